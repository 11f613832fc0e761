import RE2Regex

/// What a gateway does with one HTTP request, and why: Envoy's router decision, computed from the plan.
public struct HTTPRouteDecision: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Nothing listens on the port: the connection is refused.
        case noListener(reason: String)
        /// The port serves TLS or TCP, not HTTP requests.
        case notHTTP(ListenerProtocol)
        /// No virtual host for the Host, or no route in it: 404, `NR`, `route_not_found`.
        case noVirtualHost
        case noRoute
        case redirect(status: Int, location: String)
        case directResponse(status: Int, body: [UInt8])
        /// A fault abort for every request (`percentage: 100`): `FI`, `fault_filter_abort`.
        case faultAbort(FaultPlan.Abort.Status)
        case forward(ForwardDecision)
        /// Every cluster of the route is missing: 503, `NC`, `cluster_not_found`.
        case noCluster([RoutedCluster])
    }

    public var port: Int
    public var request: HTTPRouteRequest
    public var listener: ListenerPlan?
    public var virtualHost: VirtualHostPlan?
    public var route: HTTPRoutePlan?
    public var outcome: Outcome

    /// The status the client gets; nil when the request is forwarded (the upstream answers) or refused.
    public var responseCode: Int? {
        switch outcome {
        case .noListener, .notHTTP, .forward: nil
        case .noVirtualHost, .noRoute: 404
        case .redirect(let status, _), .directResponse(let status, _): status
        case .faultAbort(.http(let status)): status
        case .faultAbort(.grpc): 200
        case .noCluster: 503
        }
    }

    /// Envoy's `%RESPONSE_FLAGS%`; nil for none.
    public var responseFlag: String? {
        switch outcome {
        case .noVirtualHost, .noRoute: "NR"
        case .noCluster: "NC"
        case .faultAbort: "FI"
        case .forward(let forward) where forward.delayed: "DI"
        default: nil
        }
    }

    /// Envoy's `%RESPONSE_CODE_DETAILS%` for a local reply.
    public var responseCodeDetails: String? {
        switch outcome {
        case .noVirtualHost, .noRoute: "route_not_found"
        case .redirect, .directResponse: "direct_response"
        case .faultAbort: "fault_filter_abort"
        case .noCluster: "cluster_not_found"
        default: nil
        }
    }

    public var isRouted: Bool {
        switch outcome {
        case .redirect, .directResponse, .forward: true
        default: false
        }
    }
}

/// A forwarded request: where it goes and how it is changed on the way.
public struct ForwardDecision: Sendable, Hashable {
    public var action: ForwardAction
    public var clusters: [RoutedCluster]
    /// `:path` as the upstream receives it (after `rewrite`).
    public var upstreamPath: String
    /// `:authority` as the upstream receives it (after a host rewrite).
    public var upstreamAuthority: String
    /// A fault delay applies to every request (`DI`).
    public var delayed: Bool
}

extension RoutePlan {
    /// Explains what the gateway does with an HTTP request arriving on `port`.
    public func explain(port: Int, request: HTTPRouteRequest) -> HTTPRouteDecision {
        var decision = HTTPRouteDecision(port: port, request: request, outcome: .noVirtualHost)
        guard let listener = listener(port: port) else {
            let omitted = omittedListeners.first { $0.port == port }
            decision.outcome = .noListener(reason: omitted?.reason ?? "no Gateway server has port \(port)")
            return decision
        }
        decision.listener = listener
        guard listener.protocol == .http else {
            decision.outcome = .notHTTP(listener.protocol)
            return decision
        }
        guard let virtualHost = listener.virtualHost(forHost: request.authority) else { return decision }
        decision.virtualHost = virtualHost
        guard let route = virtualHost.route(for: request) else {
            decision.outcome = .noRoute
            return decision
        }
        decision.route = route
        if let abort = route.fault?.abort, abort.percentage >= 100 {
            decision.outcome = .faultAbort(abort.status)
            return decision
        }
        switch route.action {
        case .redirect(let redirect):
            let location = redirect.location(for: request, matched: route.match.path)
            decision.outcome = .redirect(status: redirect.status, location: location)
        case .directResponse(let status, let body):
            decision.outcome = .directResponse(status: status, body: body)
        case .forward(let forward):
            let clusters = forward.destinations.map { destination in
                RoutedCluster(
                    name: destination.cluster,
                    weight: destination.weight,
                    cluster: self.clusters[destination.cluster],
                    missingReason: missingClusters[destination.cluster]
                )
            }
            if clusters.allSatisfy({ $0.cluster == nil }) {
                decision.outcome = .noCluster(clusters)
                return decision
            }
            decision.outcome = .forward(
                ForwardDecision(
                    action: forward,
                    clusters: clusters,
                    upstreamPath: forward.upstreamPath(for: request, matched: route.match.path),
                    upstreamAuthority: forward.hostRewrite ?? request.authority,
                    delayed: (route.fault?.delay?.percentage ?? 0) >= 100
                )
            )
        }
        return decision
    }
}

extension ForwardAction {
    /// The path after Envoy's `prefix_rewrite` (the matched part replaced; the query kept) or `regex_rewrite`
    /// (every match in the path without the query replaced).
    public func upstreamPath(for request: HTTPRouteRequest, matched: StringMatcher) -> String {
        let path = request.pathWithoutQuery
        let rest = request.path[path.endIndex...]
        if let prefixRewrite {
            let consumed = matched.matchedLength(of: path)
            let utf8 = request.path.utf8
            let tail = utf8.index(utf8.startIndex, offsetBy: min(consumed, utf8.count))
            return prefixRewrite + String(request.path[tail...])
        }
        if let regexRewrite {
            return regexRewrite.pattern.replacingAll(in: String(path), with: regexRewrite.substitution) + rest
        }
        return request.path
    }
}

extension RedirectAction {
    /// The `Location` Envoy sends (`Http::Utility::newUri`): scheme, host (the request's, without its port
    /// when a port is set or the scheme changes from its default port), port, and path (the redirect's, with
    /// the request's query unless it has one; or the request's, prefix-rewritten).
    public func location(for request: HTTPRouteRequest, matched: StringMatcher) -> String {
        let scheme = self.scheme ?? request.scheme
        var host = self.host ?? request.authority
        if self.host == nil, let colon = HostHeader.portStart(in: host) {
            let requestPort = host[host.index(after: colon)...]
            let defaultPort = request.scheme == "https" ? "443" : "80"
            if port != nil || (scheme != request.scheme && requestPort == defaultPort) {
                host = String(host[..<colon])
            }
        }
        let portText = port.map { ":\($0)" } ?? ""
        var path: String
        if let redirectPath = self.path {
            let query = request.path.firstIndex(of: "?").map { request.path[$0...] } ?? ""
            path = redirectPath.contains("?") ? redirectPath : redirectPath + query
        } else if let prefixRewrite {
            let consumed = matched.matchedLength(of: request.pathWithoutQuery)
            let utf8 = request.path.utf8
            path =
                prefixRewrite
                + String(request.path[utf8.index(utf8.startIndex, offsetBy: min(consumed, utf8.count))...])
        } else {
            path = request.path
        }
        if !path.hasPrefix("/") { path = "/" + path }
        return "\(scheme)://\(host)\(portText)\(path)"
    }
}
