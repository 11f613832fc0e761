import MeshConfig

/// What the gateway does with one request, decided from its head and the plan before any byte moves on:
/// answer it locally, or forward it (and how). Pure, so every rule about routing, faults and CORS is tested
/// without sockets.
enum RequestDisposition: Equatable {
    case reply(LocalReply, route: HTTPRoutePlan?)
    case forward(ForwardPlan)
}

/// A request to forward: the route, the cluster chosen for this request, and the rewritten head facts.
struct ForwardPlan: Equatable {
    var route: HTTPRoutePlan
    var action: ForwardAction
    /// The cluster this request goes to (weighted choice made).
    var cluster: String
    /// `:path` and `:authority` as the upstream gets them.
    var path: String
    var authority: String
    /// Route, then destination, header operations on the request and on the response.
    var requestHeaders: HeaderMutation
    var responseHeaders: HeaderMutation
    /// Held for the fault delay first (`DI`).
    var delay: Duration?
    /// Response headers a matched CORS origin adds.
    var corsHeaders: [(name: String, value: String)]

    static func == (lhs: ForwardPlan, rhs: ForwardPlan) -> Bool {
        lhs.route == rhs.route && lhs.cluster == rhs.cluster && lhs.path == rhs.path && lhs.authority == rhs.authority
            && lhs.delay == rhs.delay && lhs.requestHeaders == rhs.requestHeaders
            && lhs.corsHeaders.elementsEqual(rhs.corsHeaders) { $0 == $1 }
    }
}

enum RequestRouting {
    /// Decides a request: the plan's route decision, then the route's fault and CORS filters (they run
    /// before the router in Envoy), then the weighted cluster. `roll` returns a uniform value in 0..<100
    /// (a fault's percentage) and `pick` one in 0..<total (a weighted cluster).
    static func decide(
        _ request: HTTPRouteRequest,
        port: Int,
        plan: RoutePlan,
        roll: () -> Double,
        pick: (Int) -> Int
    ) -> RequestDisposition {
        let decision = plan.explain(port: port, request: request)
        let route = decision.route
        switch decision.outcome {
        case .noListener, .notHTTP, .noVirtualHost, .noRoute:
            return .reply(.routeNotFound(), route: route)
        case .noCluster:
            return .reply(.clusterNotFound(), route: route)
        case .faultAbort, .redirect, .directResponse, .forward:
            break
        }
        guard let route else { return .reply(.routeNotFound(), route: nil) }
        var corsHeaders: [(name: String, value: String)] = []
        if let cors = route.cors, let origin = request.headerValue("origin") {
            let allowed = cors.allowOrigins.contains { $0.matches(origin[...]) }
            let isPreflight =
                request.method == "OPTIONS" && request.headerValue("access-control-request-method") != nil
            if isPreflight && (allowed || !cors.forwardNotMatchingPreflights) {
                return .reply(preflightReply(cors, origin: origin, allowed: allowed), route: route)
            }
            if allowed { corsHeaders = simpleCORSHeaders(cors, origin: origin) }
        }
        if let abort = route.fault?.abort, abort.percentage > 0, roll() < abort.percentage {
            switch abort.status {
            case .http(let status): return .reply(.faultAbort(status: status), route: route)
            case .grpc: return .reply(.faultAbort(status: 200), route: route)
            }
        }
        var delay: Duration?
        if let fault = route.fault?.delay, fault.percentage > 0, roll() < fault.percentage {
            delay = fault.duration
        }
        switch route.action {
        case .redirect(let redirect):
            // The plan's decision has the Location already (unless a full abort cut it short).
            var location = redirect.location(for: request, matched: route.match.path)
            if case .redirect(_, let decided) = decision.outcome { location = decided }
            var reply = LocalReply(
                status: redirect.status,
                body: [],
                headers: [("location", location)],
                details: "direct_response"
            )
            reply.headers += corsHeaders
            return .reply(reply, route: route)
        case .directResponse(let status, let body):
            var reply = LocalReply(status: status, body: body, details: "direct_response")
            reply.headers += corsHeaders
            return .reply(reply, route: route)
        case .forward(let action):
            var forwarded: ForwardDecision?
            if case .forward(let decided) = decision.outcome { forwarded = decided }
            let live = action.destinations.filter { plan.clusters[$0.cluster] != nil }
            // Envoy picks among all weighted clusters and answers NC when the one picked is missing.
            let total = action.destinations.reduce(0) { $0 + $1.weight }
            var chosen = action.destinations.first
            if action.destinations.count > 1, total > 0 {
                var point = pick(total)
                for destination in action.destinations {
                    if point < destination.weight {
                        chosen = destination
                        break
                    }
                    point -= destination.weight
                }
            }
            guard let destination = chosen, live.contains(where: { $0.cluster == destination.cluster }) else {
                return .reply(.clusterNotFound(), route: route)
            }
            return .forward(
                ForwardPlan(
                    route: route,
                    action: action,
                    cluster: destination.cluster,
                    path: forwarded?.upstreamPath ?? action.upstreamPath(for: request, matched: route.match.path),
                    authority: destination.hostRewrite ?? action.hostRewrite ?? request.authority,
                    requestHeaders: route.requestHeaders.followed(by: destination.requestHeaders),
                    responseHeaders: route.responseHeaders.followed(by: destination.responseHeaders),
                    delay: delay,
                    corsHeaders: corsHeaders
                )
            )
        }
    }

    /// Envoy's CORS filter answering a preflight: 200 with the allowed methods and headers for an allowed
    /// origin; an origin that is not allowed (with `unmatchedPreflights: IGNORE`) gets 200 without them.
    private static func preflightReply(_ cors: CorsPlan, origin: String, allowed: Bool) -> LocalReply {
        var headers: [(name: String, value: String)] = []
        if allowed {
            headers.append(("access-control-allow-origin", origin))
            if cors.allowCredentials == true { headers.append(("access-control-allow-credentials", "true")) }
            if !cors.allowMethods.isEmpty {
                headers.append(("access-control-allow-methods", cors.allowMethods.joined(separator: ",")))
            }
            if !cors.allowHeaders.isEmpty {
                headers.append(("access-control-allow-headers", cors.allowHeaders.joined(separator: ",")))
            }
            if let maxAge = cors.maxAge { headers.append(("access-control-max-age", String(maxAge))) }
        }
        return LocalReply(status: 200, body: [], headers: headers, details: "cors_response")
    }

    private static func simpleCORSHeaders(_ cors: CorsPlan, origin: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("access-control-allow-origin", origin)]
        if cors.allowCredentials == true { headers.append(("access-control-allow-credentials", "true")) }
        if !cors.exposeHeaders.isEmpty {
            headers.append(("access-control-expose-headers", cors.exposeHeaders.joined(separator: ",")))
        }
        return headers
    }
}
