import RE2Regex

/// An HTTP virtual host: the domains it answers and its routes, first match wins.
public struct VirtualHostPlan: Sendable, Hashable {
    /// Istio's name, `host:port` of the first domain (`*:80` for the catch-all).
    public var name: String
    /// Lower-cased domains (`*.example.com` and `*` wildcards included), without ports: the gateway ignores the
    /// port of a Host header when choosing a virtual host.
    public var domains: [String]
    public var routes: [HTTPRoutePlan]
    /// Which VirtualService host and gateway server host made each domain.
    public var origins: [VirtualHostOrigin]

    public init(name: String, domains: [String], routes: [HTTPRoutePlan], origins: [VirtualHostOrigin] = []) {
        self.name = name
        self.domains = domains
        self.routes = routes
        self.origins = origins
    }

    /// The first route matching the request, as Envoy's `getRouteFromEntries`.
    public func route(for request: HTTPRouteRequest) -> HTTPRoutePlan? {
        routes.first { $0.match.matches(request) }
    }
}

/// How a domain of a virtual host came about: a VirtualService host intersected with a gateway server host
/// (the more specific of the two is the domain).
public struct VirtualHostOrigin: Sendable, Hashable, CustomStringConvertible {
    public var domain: String
    public var virtualService: ResourceRef
    public var virtualServiceHost: String
    public var server: ServerSource
    public var serverHost: String

    public var description: String {
        "\(domain) from VirtualService \(virtualService) host \(virtualServiceHost) and \(server) host \(serverHost)"
    }
}

/// One Envoy route: the conditions and what to do with a request that meets them.
public struct HTTPRoutePlan: Sendable, Hashable {
    /// Envoy's route name: the HTTPRoute `name`, with `.matchName` when the match has one.
    public var name: String
    public var match: RequestMatcher
    public var action: HTTPRouteAction
    /// Applied to the request before forwarding: the rule's operations (then a single destination's).
    public var requestHeaders: HeaderMutation
    /// Applied to the response (forwarded or local) before it is sent.
    public var responseHeaders: HeaderMutation
    public var fault: FaultPlan?
    public var cors: CorsPlan?
    public var source: RouteSource
}

/// What a route does with a request.
public enum HTTPRouteAction: Sendable, Hashable {
    case forward(ForwardAction)
    case redirect(RedirectAction)
    /// A local reply with this status and body (Envoy's `direct_response`).
    case directResponse(status: Int, body: [UInt8])
}

/// Envoy's `RouteAction`: clusters split by weight, with rewrites and upstream policies.
public struct ForwardAction: Sendable, Hashable {
    public var destinations: [WeightedDestination]
    /// `rewrite.uri`: replaces the part of the path the match consumed (Envoy's `prefix_rewrite`).
    public var prefixRewrite: String?
    /// `rewrite.uriRegexRewrite`: every match in the path (query kept) replaced (`regex_rewrite`).
    public var regexRewrite: RegexRewrite?
    /// `rewrite.authority`, or an `:authority`/`host` header set on the rule (`host_rewrite_literal`).
    public var hostRewrite: String?
    /// nil: no timeout (Istio's gateway default `0s`, not Envoy's 15 s).
    public var timeout: Duration?
    /// nil: no retries (`attempts: 0`).
    public var retry: RetryPlan?
    public var mirrors: [MirrorPlan]

    public struct RegexRewrite: Sendable, Hashable {
        public var pattern: RE2Regex
        public var substitution: String
    }
}

/// One cluster of a forward action, with its weight and the operations only its requests get.
public struct WeightedDestination: Sendable, Hashable {
    public var cluster: String
    public var weight: Int
    public var requestHeaders: HeaderMutation
    public var responseHeaders: HeaderMutation
    public var hostRewrite: String?
}

/// Envoy's `RedirectAction`.
public struct RedirectAction: Sendable, Hashable {
    public var status: Int
    public var scheme: String?
    public var host: String?
    /// nil: keep the request's port (or drop it, see `location(for:)`).
    public var port: Int?
    public var path: String?
    public var prefixRewrite: String?
}

/// Header operations in Envoy's order: removes, then sets (overwrite), then adds (append).
public struct HeaderMutation: Sendable, Hashable {
    public var remove: [String] = []
    public var set: [VirtualService.HeaderValue] = []
    public var add: [VirtualService.HeaderValue] = []

    public init(remove: [String] = [], set: [VirtualService.HeaderValue] = [], add: [VirtualService.HeaderValue] = []) {
        self.remove = remove
        self.set = set
        self.add = add
    }

    public var isEmpty: Bool { remove.isEmpty && set.isEmpty && add.isEmpty }

    /// This mutation followed by `other`.
    public func followed(by other: HeaderMutation) -> HeaderMutation {
        HeaderMutation(remove: remove + other.remove, set: set + other.set, add: add + other.add)
    }

    /// Applies the mutation to a header list (names lower-cased).
    public func apply(to headers: inout [(name: String, value: String)]) {
        let removed = Set(remove.map { $0.asciiLowercased() })
        let overwritten = Set(set.map { $0.name.asciiLowercased() })
        headers.removeAll { removed.contains($0.name) || overwritten.contains($0.name) }
        for header in set + add { headers.append((header.name.asciiLowercased(), header.value)) }
    }

    /// `set x-a: 1; add x-b: 2; remove x-c`, for explain.
    public var description: String {
        (set.map { "set \($0)" } + add.map { "add \($0)" } + remove.map { "remove \($0)" }).joined(separator: "; ")
    }
}

/// Envoy's retry policy as Istio builds it.
public struct RetryPlan: Sendable, Hashable {
    public var attempts: Int
    /// Envoy `retry_on` conditions.
    public var retryOn: [String]
    public var retriableStatusCodes: [Int]
    public var perTryTimeout: Duration?

    /// Istio's default when a rule has no `retries`: 2 attempts on connection-level failures.
    static let istioDefault = RetryPlan(
        attempts: 2,
        retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
        retriableStatusCodes: [],
        perTryTimeout: nil
    )

    public var description: String {
        var text = "\(attempts) attempts on \(retryOn.joined(separator: ","))"
        if !retriableStatusCodes.isEmpty {
            text += " (status \(retriableStatusCodes.map(String.init).joined(separator: ",")))"
        }
        if let perTryTimeout { text += ", \(GoDuration.format(perTryTimeout)) per try" }
        return text
    }
}

/// Fault injection: a delay and/or an abort, each for a share of requests.
public struct FaultPlan: Sendable, Hashable {
    public struct Delay: Sendable, Hashable {
        public var duration: Duration
        public var percentage: Double
    }

    public struct Abort: Sendable, Hashable {
        public enum Status: Sendable, Hashable {
            case http(Int)
            case grpc(String)
        }

        public var status: Status
        public var percentage: Double
    }

    public var delay: Delay?
    public var abort: Abort?
}

/// A mirror: a copy of a share of requests, sent to another cluster and its response discarded.
public struct MirrorPlan: Sendable, Hashable {
    public var cluster: String
    public var percentage: Double
}

/// Envoy's CORS policy for a route.
public struct CorsPlan: Sendable, Hashable {
    public var allowOrigins: [StringMatcher]
    public var allowMethods: [String]
    public var allowHeaders: [String]
    public var exposeHeaders: [String]
    /// Seconds, as Envoy sends `access-control-max-age`.
    public var maxAge: Int64?
    public var allowCredentials: Bool?
    /// A preflight whose origin is not allowed goes on to the upstream (unless `unmatchedPreflights: IGNORE`).
    public var forwardNotMatchingPreflights: Bool
}
