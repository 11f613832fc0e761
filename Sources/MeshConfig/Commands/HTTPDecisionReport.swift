/// The lines `frontproxy route --host` prints for one HTTP request: listener, virtual host (and what made it),
/// route, and the action with everything that shapes it, or why the request goes nowhere.
enum HTTPDecisionReport {
    static func lines(_ decision: HTTPRouteDecision, plan: RoutePlan) -> [String] {
        let request = decision.request
        let summary = "\(request.method) \(quoted(request.authority)) \(request.path) on port \(decision.port)"
        var lines: [String] = []
        if let listener = decision.listener {
            let servers = listener.servers.map(\.description).joined(separator: ", ")
            lines.append("listener:     \(listener.name) (\(listener.protocol.rawValue), from \(servers))")
            if listener.protocol == .http { lines.append("route config: http.\(listener.port)") }
        }
        switch decision.outcome {
        case .noListener(let reason):
            return ["listener:     none on port \(decision.port) (\(reason))", "not routed: connection refused"]
        case .notHTTP(let kind):
            return lines + [
                "not routed: port \(decision.port) serves \(kind.rawValue), not HTTP requests (explain it with --sni)"
            ]
        case .noVirtualHost:
            let domains = decision.listener?.virtualHosts.flatMap(\.domains) ?? []
            return lines + [
                "virtual host: none for Host \(quoted(request.authority)) (domains: "
                    + (domains.isEmpty ? "none" : domains.joined(separator: ", ")) + ")",
                "not routed: 404 NR route_not_found: \(summary)",
            ]
        default:
            break
        }
        if let virtualHost = decision.virtualHost {
            lines.append("virtual host: \(virtualHost.name) (domains \(virtualHost.domains.joined(separator: ", ")))")
            for origin in virtualHost.origins { lines.append("              \(origin)") }
        }
        guard let route = decision.route else {
            let routes = decision.virtualHost?.routes ?? []
            lines.append("route:        none of its \(routes.count) routes matches")
            for candidate in routes { lines.append("              \(candidate.source): \(candidate.match)") }
            lines.append("not routed: 404 NR route_not_found: \(summary)")
            return lines
        }
        let name = route.name.isEmpty ? "" : " \(quoted(route.name))"
        lines.append("route:        \(route.source)\(name) (\(route.match))")
        if !route.requestHeaders.isEmpty { lines.append("request:      \(route.requestHeaders.description)") }
        if !route.responseHeaders.isEmpty { lines.append("response:     \(route.responseHeaders.description)") }
        if let fault = route.fault { lines.append("fault:        \(describe(fault))") }
        if let cors = route.cors { lines.append("cors:         \(describe(cors))") }
        switch decision.outcome {
        case .redirect(let status, let location):
            lines.append("redirect:     \(status) Location: \(location)")
            lines.append("routed: \(summary) -> \(status) redirect to \(location)")
        case .directResponse(let status, let body):
            lines.append("direct:       \(status) with a \(body.count)-byte body")
            lines.append("routed: \(summary) -> direct response \(status)")
        case .faultAbort(let status):
            let text =
                switch status {
                case .http(let code): "\(code)"
                case .grpc(let code): "gRPC \(code)"
                }
            lines.append("not routed: \(text) FI fault_filter_abort: every request is aborted")
        case .noCluster(let clusters):
            for cluster in clusters {
                lines.append("cluster:      \(cluster.name) does not exist (\(cluster.missingReason ?? "unknown"))")
            }
            lines.append("not routed: 503 NC cluster_not_found: \(summary)")
        case .forward(let forward):
            lines += describe(forward, request: request)
            lines.append("routed: \(summary) -> \(forward.clusters.map(\.name).joined(separator: ", "))")
        case .noListener, .notHTTP, .noVirtualHost, .noRoute:
            break
        }
        return lines
    }

    private static func describe(_ forward: ForwardDecision, request: HTTPRouteRequest) -> [String] {
        var lines: [String] = []
        let total = forward.clusters.reduce(0) { $0 + $1.weight }
        for routed in forward.clusters {
            let share = forward.clusters.count > 1 ? " weight \(routed.weight) of \(total)" : ""
            if let cluster = routed.cluster {
                lines.append("cluster:      \(cluster.name)\(share) (\(cluster.source), protocol \(cluster.protocol))")
                lines.append("endpoints:    \(cluster.endpointsDescription)")
            } else {
                lines.append(
                    "cluster:      \(routed.name)\(share) does not exist (\(routed.missingReason ?? "unknown")): "
                        + "503 NC when chosen"
                )
            }
        }
        for destination in forward.action.destinations where forward.clusters.count > 1 {
            if !destination.requestHeaders.isEmpty || !destination.responseHeaders.isEmpty {
                lines.append(
                    "              \(destination.cluster): request \(destination.requestHeaders.description); "
                        + "response \(destination.responseHeaders.description)"
                )
            }
        }
        if forward.upstreamPath != request.path {
            lines.append("path:         \(request.path) -> \(forward.upstreamPath)")
        }
        if forward.upstreamAuthority != request.authority {
            lines.append("authority:    \(request.authority) -> \(forward.upstreamAuthority)")
        }
        let timeout = forward.action.timeout.map(GoDuration.format) ?? "none"
        lines.append("timeout:      \(timeout)")
        lines.append("retries:      \(forward.action.retry?.description ?? "none")")
        for mirror in forward.action.mirrors {
            lines.append("mirror:       \(mirror.cluster) for \(VirtualService.Percent(mirror.percentage)) of requests")
        }
        return lines
    }

    private static func describe(_ fault: FaultPlan) -> String {
        var parts: [String] = []
        if let delay = fault.delay {
            parts.append("delay \(GoDuration.format(delay.duration)) for \(VirtualService.Percent(delay.percentage))")
        }
        if let abort = fault.abort {
            let status =
                switch abort.status {
                case .http(let code): "\(code)"
                case .grpc(let code): "gRPC \(code)"
                }
            parts.append("abort \(status) for \(VirtualService.Percent(abort.percentage))")
        }
        return parts.joined(separator: "; ")
    }

    private static func describe(_ cors: CorsPlan) -> String {
        var parts = [
            "origins "
                + (cors.allowOrigins.isEmpty ? "none" : cors.allowOrigins.map(\.description).joined(separator: ", "))
        ]
        if !cors.allowMethods.isEmpty { parts.append("methods " + cors.allowMethods.joined(separator: ",")) }
        if !cors.allowHeaders.isEmpty { parts.append("headers " + cors.allowHeaders.joined(separator: ",")) }
        if let maxAge = cors.maxAge { parts.append("max age \(maxAge)s") }
        return parts.joined(separator: "; ")
    }
}
