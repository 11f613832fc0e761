import RE2Regex

/// Plain-HTTP gateway servers, built the way istiod's `buildGatewayHTTPRouteConfig` builds a gateway's route
/// configuration `http.<port>`: one virtual host per distinct host, routes of every VirtualService for it
/// concatenated in istiod's order, delegates merged in, catch-all routes moved last.
extension RouteCompilation {
    /// One `http` rule ready to translate: the rule (a delegate's, merged with its root's), and where it came from.
    struct HTTPRule {
        var rule: VirtualService.HTTPRoute
        var resource: ResourceRef
        var ruleIndex: Int
        var delegatedFrom: RouteSource.Delegation?
    }

    mutating func httpListener(bind: String, port: Int, entries: [Entry]) -> ListenerPlan {
        var virtualHosts: [VirtualHostPlan] = []
        var byDomain: [String: Int] = [:]
        /// Which (gateway, VirtualService) route lists make up each virtual host, to collapse identical ones.
        var routeLists: [[String]] = []
        var routesCache: [String: [HTTPRoutePlan]] = [:]
        for entry in entries {
            let gatewayName = ref(entry.gateway).description
            let server = ServerSource(gateway: ref(entry.gateway), serverIndex: entry.index)
            for vs in virtualServices(for: entry) {
                let origins = intersectingHosts(server: entry.server, gateway: entry.gateway, virtualService: vs)
                guard !origins.isEmpty else { continue }
                let key = "\(gatewayName)|\(ref(vs))"
                let routes: [HTTPRoutePlan]
                if let cached = routesCache[key] {
                    routes = cached
                } else {
                    routes = httpRoutes(of: vs, entry: entry, serverPort: port)
                    routesCache[key] = routes
                }
                // istiod skips a VirtualService none of whose rules apply here ("no routes matched").
                guard !routes.isEmpty else { continue }
                for origin in origins {
                    let domain = origin.domain
                    let fullOrigin = VirtualHostOrigin(
                        domain: domain,
                        virtualService: ref(vs),
                        virtualServiceHost: origin.virtualServiceHost,
                        server: server,
                        serverHost: origin.serverHost
                    )
                    if let existing = byDomain[domain] {
                        virtualHosts[existing].routes += routes
                        virtualHosts[existing].origins.append(fullOrigin)
                        routeLists[existing].append(key)
                    } else {
                        byDomain[domain] = virtualHosts.count
                        virtualHosts.append(
                            VirtualHostPlan(
                                name: Self.virtualHostName(domain, port: port),
                                domains: [domain],
                                routes: routes,
                                origins: [fullOrigin]
                            )
                        )
                        routeLists.append([key])
                    }
                }
            }
        }
        var collapsed = Self.collapse(virtualHosts, routeLists: routeLists, port: port)
        for index in collapsed.indices {
            // istio_route.SortVHostRoutes: catch-alls last, everything else in order.
            let routes = collapsed[index].routes
            collapsed[index].routes = routes.filter { !$0.match.isCatchAll } + routes.filter(\.match.isCatchAll)
        }
        collapsed.sort { $0.name < $1.name }
        if collapsed.isEmpty {
            // No VirtualService routes here: Envoy still listens, and answers every request 404 NR.
            collapsed = [VirtualHostPlan(name: "blackhole:\(port)", domains: ["*"], routes: [])]
        }
        let chain = FilterChainPlan(
            id: "\(bind)_\(port)/http",
            serverNames: [],
            routeName: "http.\(port)",
            destinations: [],
            source: collapsed.first?.routes.first?.source
                ?? RouteSource(resource: ref(entries[0].gateway), kind: .http, ruleIndex: 0, matchIndex: nil)
        )
        return ListenerPlan(
            bind: bind,
            port: port,
            protocol: .http,
            chains: [chain],
            virtualHosts: collapsed,
            servers: sources(entries)
        )
    }

    /// `util.DomainName`: `host:port`, with brackets for an IPv6 literal.
    static func virtualHostName(_ domain: String, port: Int) -> String {
        domain.contains(":") ? "[\(domain)]:\(port)" : "\(domain):\(port)"
    }

    /// `collapseDuplicateRoutes`: virtual hosts made of the same route lists become one, named after the first
    /// of their domains in istiod's host order (exact names first, then longer, then alphabetical).
    private static func collapse(
        _ virtualHosts: [VirtualHostPlan],
        routeLists: [[String]],
        port: Int
    ) -> [VirtualHostPlan] {
        var groups: [[String]: [Int]] = [:]
        var order: [[String]] = []
        for (index, list) in routeLists.enumerated() {
            if groups[list] == nil { order.append(list) }
            groups[list, default: []].append(index)
        }
        return order.map { list in
            let members = groups[list, default: []].map { virtualHosts[$0] }.sorted { a, b in
                HostName.sortsBefore(a.domains[0], b.domains[0])
            }
            var merged = members[0]
            merged.name = virtualHostName(merged.domains[0], port: port)
            for other in members.dropFirst() {
                merged.domains += other.domains
                merged.origins += other.origins
            }
            return merged
        }
    }

    /// `serverHosts.Intersection(virtualServiceHosts)` after `NamesForNamespace`: for each server host in order,
    /// the more specific of it and each VirtualService host that overlaps it, lower-cased, duplicates dropped.
    func intersectingHosts(
        server: Gateway.Server,
        gateway: Gateway,
        virtualService vs: VirtualService
    ) -> [(domain: String, virtualServiceHost: String, serverHost: String)] {
        var result: [(String, String, String)] = []
        var seen: Set<String> = []
        for serverHost in server.hosts {
            var dnsName = serverHost
            if let slash = serverHost.firstIndex(of: "/") {
                let namespace = String(serverHost[..<slash])
                dnsName = String(serverHost[serverHost.index(after: slash)...])
                let effective = namespace == "." ? gateway.metadata.namespace : namespace
                if effective != "*" && effective != vs.metadata.namespace { continue }
            }
            for vsHost in vs.hosts {
                let domain: String
                if HostName.isSubset(dnsName, of: vsHost) {
                    domain = dnsName
                } else if HostName.isSubset(vsHost, of: dnsName) {
                    domain = vsHost
                } else {
                    continue
                }
                let lowered = domain.asciiLowercased()
                if seen.insert(lowered).inserted { result.append((lowered, vsHost, serverHost)) }
            }
        }
        return result
    }

    // MARK: Rules

    /// The routes one VirtualService contributes at one server: its rules in order (delegations expanded),
    /// each match one route, stopping after the first catch-all as istiod does.
    private mutating func httpRoutes(of vs: VirtualService, entry: Entry, serverPort: Int) -> [HTTPRoutePlan] {
        let gatewayName = ref(entry.gateway).description
        var routes: [HTTPRoutePlan] = []
        for rule in expandedRules(of: vs) {
            let conditions: [(VirtualService.HTTPMatch?, Int?)] =
                rule.rule.match.isEmpty ? [(nil, nil)] : rule.rule.match.enumerated().map { ($1, $0) }
            for (match, matchIndex) in conditions {
                if let match, !match.sourceLabels.isEmpty || !match.sourceNamespace.isEmpty {
                    warn(
                        "VirtualService \(rule.resource) http[\(rule.ruleIndex)].match[\(matchIndex ?? 0)]: "
                            + "sourceLabels and sourceNamespace select the client's workload, which at a gateway is "
                            + "the gateway itself: judged against Gateway \(gatewayName)'s selector and namespace"
                    )
                }
                if let match,
                    !applies(match, gateway: entry.gateway, gatewayName: gatewayName, vs: vs, serverPort: serverPort)
                {
                    continue
                }
                let source = RouteSource(
                    resource: rule.resource,
                    kind: .http,
                    ruleIndex: rule.ruleIndex,
                    matchIndex: matchIndex,
                    delegatedFrom: rule.delegatedFrom
                )
                guard let route = translate(rule.rule, match: match, source: source, entry: entry, port: serverPort)
                else { continue }
                routes.append(route)
                if match == nil || route.match.isCatchAll { return routes }
            }
        }
        return routes
    }

    /// istiod's build-time filters of a match: `port`, `gateways`, and `sourceLabels`/`sourceNamespace`, which
    /// at a gateway select the gateway's own pod (judged here by the Gateway's selector and namespace).
    private func applies(
        _ match: VirtualService.HTTPMatch,
        gateway: Gateway,
        gatewayName: String,
        vs: VirtualService,
        serverPort: Int
    ) -> Bool {
        guard match.port == 0 || match.port == serverPort else { return false }
        if !match.gateways.isEmpty {
            return match.gateways.contains { GatewayBinding.resolve($0, in: vs.metadata.namespace) == gatewayName }
        }
        let labelsApply = match.sourceLabels.allSatisfy { gateway.selector[$0.key] == $0.value }
        let namespaceApplies = match.sourceNamespace.isEmpty || match.sourceNamespace == gateway.metadata.namespace
        return labelsApply && namespaceApplies
    }

    /// A VirtualService's `http` rules with every `delegate` replaced by the delegate's rules merged with it
    /// (`mergeVirtualServicesIfNeeded`); a missing or hidden delegate drops the rule, with a warning.
    private mutating func expandedRules(of vs: VirtualService) -> [HTTPRule] {
        var rules: [HTTPRule] = []
        for (ruleIndex, rule) in vs.http.enumerated() {
            guard let delegate = rule.delegate else {
                rules.append(HTTPRule(rule: rule, resource: ref(vs), ruleIndex: ruleIndex))
                continue
            }
            let namespace = delegate.namespace.isEmpty ? vs.metadata.namespace : delegate.namespace
            guard
                let target = virtualServices.first(where: {
                    $0.metadata.name == delegate.name && $0.metadata.namespace == namespace && $0.hosts.isEmpty
                })
            else {
                warn("VirtualService \(ref(vs)) http[\(ruleIndex)]: delegate \(namespace)/\(delegate.name) not found")
                continue
            }
            guard ExportToRules.isVisible(target.exportTo, from: namespace, to: vs.metadata.namespace) else {
                warn(
                    "VirtualService \(ref(vs)) http[\(ruleIndex)]: delegate \(namespace)/\(delegate.name) is not "
                        + "exported to namespace \(vs.metadata.namespace)"
                )
                continue
            }
            let root = RouteSource.Delegation(resource: ref(vs), ruleIndex: ruleIndex)
            for (delegateIndex, delegateRule) in target.http.enumerated() {
                guard let merged = DelegateMerge.merge(root: rule, delegate: delegateRule) else {
                    warn(
                        "VirtualService \(ref(target)) http[\(delegateIndex)] skipped under \(ref(vs)) "
                            + "http[\(ruleIndex)]: its matches conflict with the root's"
                    )
                    continue
                }
                rules.append(
                    HTTPRule(rule: merged, resource: ref(target), ruleIndex: delegateIndex, delegatedFrom: root)
                )
            }
        }
        return rules
    }

    // MARK: Translation

    /// `TranslateRoute`: one match of one rule as an Envoy route; nil when istiod would drop it.
    private mutating func translate(
        _ rule: VirtualService.HTTPRoute,
        match: VirtualService.HTTPMatch?,
        source: RouteSource,
        entry: Entry,
        port: Int
    ) -> HTTPRoutePlan? {
        guard let matcher = Self.requestMatcher(match) else { return nil }
        var name = rule.name
        if let matchName = match?.name, !matchName.isEmpty {
            name = name.isEmpty ? matchName : "\(name).\(matchName)"
        }
        let ruleHeaders = Self.mutations(rule.headers)
        let action: HTTPRouteAction
        var requestHeaders = ruleHeaders.request
        var responseHeaders = ruleHeaders.response
        if let redirect = rule.redirect {
            guard let translated = redirectAction(redirect, port: port, source: source) else { return nil }
            action = .redirect(translated)
        } else if let response = rule.directResponse {
            let body: [UInt8]
            switch response.body {
            case .string(let text): body = Array(text.utf8)
            case .bytes(let bytes): body = bytes
            case nil: body = []
            }
            action = .directResponse(status: response.status, body: body)
        } else {
            var forward = forwardAction(rule, entry: entry, port: port)
            if forward.destinations.count == 1 {
                // A single destination's operations join the route's, after them.
                let only = forward.destinations[0]
                requestHeaders = requestHeaders.followed(by: only.requestHeaders)
                responseHeaders = responseHeaders.followed(by: only.responseHeaders)
                forward.hostRewrite = forward.hostRewrite ?? only.hostRewrite
                forward.destinations[0].requestHeaders = HeaderMutation()
                forward.destinations[0].responseHeaders = HeaderMutation()
                forward.destinations[0].hostRewrite = nil
            }
            action = .forward(forward)
        }
        return HTTPRoutePlan(
            name: name,
            match: matcher,
            action: action,
            requestHeaders: requestHeaders,
            responseHeaders: responseHeaders,
            fault: Self.fault(rule.fault),
            cors: Self.cors(rule.corsPolicy),
            source: source
        )
    }

    /// `TranslateRouteMatch`. nil when a regex does not compile (validation has reported it).
    static func requestMatcher(_ match: VirtualService.HTTPMatch?) -> RequestMatcher? {
        guard let match else {
            return RequestMatcher(path: StringMatcher(kind: .prefix("/")), headers: [], queryParameters: [])
        }
        let path: StringMatcher
        if let uri = match.uri {
            guard let compiled = StringMatcher(uri, ignoreCase: match.ignoreUriCase) else { return nil }
            path = compiled
        } else {
            path = StringMatcher(kind: .prefix("/"), ignoreCase: match.ignoreUriCase)
        }
        var headers: [HeaderMatcher] = []
        func header(_ name: String, _ value: VirtualService.StringMatch?, invert: Bool) -> HeaderMatcher? {
            // An empty StringMatch, or regex "*", is Istio's "present".
            guard let value, value != .regex("*") else {
                return HeaderMatcher(
                    name: name.asciiLowercased(),
                    value: nil,
                    invert: invert,
                    treatMissingAsEmpty: false
                )
            }
            guard let compiled = StringMatcher(value) else { return nil }
            return HeaderMatcher(
                name: name.asciiLowercased(),
                value: compiled,
                invert: invert,
                treatMissingAsEmpty: invert
            )
        }
        for condition in match.headers {
            guard let matcher = header(condition.key, condition.value, invert: false) else { return nil }
            headers.append(matcher)
        }
        for condition in match.withoutHeaders {
            guard let matcher = header(condition.key, condition.value, invert: true) else { return nil }
            headers.append(matcher)
        }
        headers.sort { $0.name < $1.name }
        for (name, value) in [(":method", match.method), (":authority", match.authority), (":scheme", match.scheme)] {
            guard let value else { continue }
            guard let matcher = header(name, value, invert: false) else { return nil }
            headers.append(matcher)
        }
        var queryParameters: [QueryParameterMatcher] = []
        for parameter in match.queryParams {
            if let value = parameter.value, value != .regex("*") {
                guard let compiled = StringMatcher(value) else { return nil }
                queryParameters.append(QueryParameterMatcher(name: parameter.key, value: compiled))
            } else {
                queryParameters.append(QueryParameterMatcher(name: parameter.key, value: nil))
            }
        }
        return RequestMatcher(path: path, headers: headers, queryParameters: queryParameters)
    }

    /// `ApplyRedirect`; nil (the route is dropped, with a warning) for a code Envoy cannot send.
    private mutating func redirectAction(
        _ redirect: VirtualService.HTTPRedirect,
        port: Int,
        source: RouteSource
    ) -> RedirectAction? {
        let status = redirect.redirectCode == 0 ? 301 : redirect.redirectCode
        guard [301, 302, 303, 307, 308].contains(status) else {
            warn("\(source): Redirect Code \(status) is not yet supported; the rule is skipped")
            return nil
        }
        var redirectPort: Int?
        switch redirect.port {
        case .number(let number): redirectPort = number
        case .derive(.fromRequestPort): redirectPort = port
        case .derive(.fromProtocolDefault), nil: redirectPort = nil
        }
        // A plain-text server: the scheme is http unless the redirect names one.
        let scheme = redirect.scheme.isEmpty ? "http" : redirect.scheme
        if (redirectPort == 80 && scheme == "http") || (redirectPort == 443 && scheme == "https") {
            redirectPort = nil
        }
        return RedirectAction(
            status: status,
            scheme: redirect.scheme.isEmpty ? nil : redirect.scheme,
            host: redirect.authority.isEmpty ? nil : redirect.authority,
            port: redirectPort,
            path: redirect.uri.isEmpty ? nil : redirect.uri,
            prefixRewrite: redirect.prefixRewrite.isEmpty ? nil : redirect.prefixRewrite
        )
    }

    private mutating func forwardAction(_ rule: VirtualService.HTTPRoute, entry: Entry, port: Int) -> ForwardAction {
        var destinations: [WeightedDestination] = []
        for route in rule.route {
            // Weight 0 gets nothing when there are other destinations; a single one gets everything.
            guard let destination = route.destination, rule.route.count == 1 || route.weight > 0 else { continue }
            let operations = Self.mutations(route.headers)
            destinations.append(
                WeightedDestination(
                    cluster: cluster(for: destination, serverPort: port, gateway: entry.gateway),
                    weight: rule.route.count == 1 ? 100 : route.weight,
                    requestHeaders: operations.request,
                    responseHeaders: operations.response,
                    hostRewrite: Self.authority(in: route.headers)
                )
            )
        }
        var mirrors: [MirrorPlan] = []
        if let mirror = rule.mirror {
            let percentage = rule.mirrorPercentage?.value ?? rule.mirrorPercent.map(Double.init) ?? 100
            if percentage > 0 {
                mirrors.append(
                    MirrorPlan(
                        cluster: cluster(for: mirror, serverPort: port, gateway: entry.gateway),
                        percentage: percentage
                    )
                )
            }
        }
        for mirror in rule.mirrors {
            guard let destination = mirror.destination else { continue }
            let percentage = mirror.percentage?.value ?? 100
            guard percentage > 0 else { continue }
            mirrors.append(
                MirrorPlan(
                    cluster: cluster(for: destination, serverPort: port, gateway: entry.gateway),
                    percentage: percentage
                )
            )
        }
        var regexRewrite: ForwardAction.RegexRewrite?
        if let rewrite = rule.rewrite?.uriRegexRewrite, let pattern = try? RE2Regex(rewrite.match) {
            regexRewrite = ForwardAction.RegexRewrite(pattern: pattern, substitution: rewrite.rewrite)
        }
        let authority = rule.rewrite.flatMap { $0.authority.isEmpty ? nil : $0.authority }
        return ForwardAction(
            destinations: destinations,
            prefixRewrite: rule.rewrite.flatMap { $0.uri.isEmpty ? nil : $0.uri },
            regexRewrite: regexRewrite,
            hostRewrite: authority ?? Self.authority(in: rule.headers),
            timeout: rule.timeout.flatMap { $0 == .zero ? nil : $0 },
            retry: Self.retry(rule.retries),
            mirrors: mirrors
        )
    }

    /// `TranslateHeadersOperations`: sets and adds sorted by name, pseudo-headers and `host` left out (an
    /// authority becomes a host rewrite instead).
    static func mutations(_ headers: VirtualService.Headers?) -> (request: HeaderMutation, response: HeaderMutation) {
        func mutation(_ operations: VirtualService.HeaderOperations?) -> HeaderMutation {
            guard let operations else { return HeaderMutation() }
            func isInternal(_ name: String) -> Bool { name.hasPrefix(":") || name.asciiLowercased() == "host" }
            return HeaderMutation(
                remove: operations.remove.filter { !isInternal($0) },
                set: operations.set.filter { !isInternal($0.name) },
                add: operations.add.filter { !isInternal($0.name) }
            )
        }
        return (mutation(headers?.request), mutation(headers?.response))
    }

    /// An `:authority` or `host` value set or added on the request.
    static func authority(in headers: VirtualService.Headers?) -> String? {
        let request = headers?.request
        return ((request?.set ?? []) + (request?.add ?? [])).first {
            let name = $0.name.asciiLowercased()
            return name == ":authority" || name == "host"
        }?.value
    }

    /// `retry.ConvertPolicy`: Istio's default without `retries`, none with `attempts: 0`.
    static func retry(_ retries: VirtualService.HTTPRetry?) -> RetryPlan? {
        guard let retries else { return RetryPlan.istioDefault }
        guard retries.attempts > 0 else { return nil }
        var plan = RetryPlan.istioDefault
        plan.attempts = retries.attempts
        if !retries.retryOn.isEmpty {
            var conditions: [String] = []
            var codes: [Int] = []
            for part in retries.retryOn.split(separator: ",") {
                let trimmed = part.trimmingCharacters(in: " ")
                if let code = Int(trimmed), RetryPolicy.statusCodes.contains(code) {
                    codes.append(code)
                } else if !trimmed.isEmpty {
                    conditions.append(trimmed)
                }
            }
            if !codes.isEmpty && !conditions.contains("retriable-status-codes") {
                conditions.append("retriable-status-codes")
            }
            plan.retryOn = conditions
            plan.retriableStatusCodes = codes
        }
        plan.perTryTimeout = retries.perTryTimeout
        return plan
    }

    /// `TranslateFault`: a delay needs a fixed delay; an abort an HTTP or gRPC status.
    static func fault(_ fault: VirtualService.HTTPFaultInjection?) -> FaultPlan? {
        guard let fault else { return nil }
        var plan = FaultPlan()
        if let delay = fault.delay, let fixed = delay.fixedDelay, delay.exponentialDelay == nil {
            plan.delay = FaultPlan.Delay(duration: fixed, percentage: delay.percentage?.value ?? Double(delay.percent))
        }
        if let abort = fault.abort {
            // Envoy's FaultAbort without a percentage aborts 0% of requests.
            let percentage = abort.percentage?.value ?? 0
            switch abort.error {
            case .httpStatus(let status): plan.abort = FaultPlan.Abort(status: .http(status), percentage: percentage)
            case .grpcStatus(let status): plan.abort = FaultPlan.Abort(status: .grpc(status), percentage: percentage)
            case .http2Error, nil: break
            }
        }
        return plan.delay == nil && plan.abort == nil ? nil : plan
    }

    /// `TranslateCORSPolicy`.
    static func cors(_ policy: VirtualService.CorsPolicy?) -> CorsPlan? {
        guard let policy else { return nil }
        let origins =
            policy.allowOrigins.isEmpty
            ? policy.allowOrigin.map { StringMatcher(kind: .exact($0)) }
            : policy.allowOrigins.compactMap { StringMatcher($0) }
        return CorsPlan(
            allowOrigins: origins,
            allowMethods: policy.allowMethods,
            allowHeaders: policy.allowHeaders,
            exposeHeaders: policy.exposeHeaders,
            maxAge: policy.maxAge.map { $0.components.seconds },
            allowCredentials: policy.allowCredentials,
            forwardNotMatchingPreflights: policy.unmatchedPreflights != .ignore
        )
    }
}

extension StringProtocol {
    /// The text without leading and trailing copies of `character`.
    func trimmingCharacters(in character: Character) -> String {
        var slice = self[...]
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
