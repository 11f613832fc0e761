extension VirtualService {
    /// `HTTPRoute`: conditions on a request and what to do with it. Exactly one of `route`, `redirect`,
    /// `directResponse` and `delegate` says what happens (validation enforces it).
    public struct HTTPRoute: Sendable, Hashable {
        public var name: String = ""
        public var match: [HTTPMatch] = []
        public var route: [RouteDestination] = []
        public var redirect: HTTPRedirect?
        public var directResponse: HTTPDirectResponse?
        public var delegate: Delegate?
        public var rewrite: HTTPRewrite?
        /// nil: no timeout configured (Istio's gateway default: none).
        public var timeout: Duration?
        public var retries: HTTPRetry?
        public var fault: HTTPFaultInjection?
        public var mirror: Destination?
        /// Deprecated `mirrorPercent` (an integer percentage).
        public var mirrorPercent: Int?
        public var mirrorPercentage: Percent?
        public var mirrors: [HTTPMirrorPolicy] = []
        public var corsPolicy: CorsPolicy?
        public var headers: Headers?

        public init(name: String = "", match: [HTTPMatch] = [], route: [RouteDestination] = []) {
            self.name = name
            self.match = match
            self.route = route
        }
    }

    /// `HTTPMatchRequest`: every condition set must hold.
    public struct HTTPMatch: Sendable, Hashable {
        public var name: String = ""
        public var uri: StringMatch?
        public var scheme: StringMatch?
        public var method: StringMatch?
        public var authority: StringMatch?
        /// Header conditions by lower-cased name, sorted; a nil match means "present".
        public var headers: [KeyMatch] = []
        public var withoutHeaders: [KeyMatch] = []
        public var queryParams: [KeyMatch] = []
        public var port: Int = 0
        public var gateways: [String] = []
        public var ignoreUriCase: Bool = false
        public var sourceLabels: [String: String] = [:]
        public var sourceNamespace: String = ""
        public var statPrefix: String = ""

        public init(name: String = "", uri: StringMatch? = nil, authority: StringMatch? = nil, port: Int = 0) {
            self.name = name
            self.uri = uri
            self.authority = authority
            self.port = port
        }
    }

    /// A condition on one header or query parameter: the name, and the value's match (nil: the key is
    /// present with any value, as Istio reads an empty `StringMatch`).
    public struct KeyMatch: Sendable, Hashable {
        public var key: String
        public var value: StringMatch?

        public init(key: String, value: StringMatch?) {
            self.key = key
            self.value = value
        }
    }

    /// `StringMatch`. Regexes are RE2 syntax, matched against the whole value as Envoy's `safe_regex` does.
    public enum StringMatch: Sendable, Hashable, CustomStringConvertible {
        case exact(String)
        case prefix(String)
        case regex(String)

        public var description: String {
            switch self {
            case .exact(let value): "exact \(quoted(value))"
            case .prefix(let value): "prefix \(quoted(value))"
            case .regex(let value): "regex \(quoted(value))"
            }
        }
    }

    /// `HTTPRedirect`.
    public struct HTTPRedirect: Sendable, Hashable {
        public enum PortSelection: String, Sendable, Hashable, CaseIterable {
            case fromProtocolDefault = "FROM_PROTOCOL_DEFAULT"
            case fromRequestPort = "FROM_REQUEST_PORT"
        }

        public enum Port: Sendable, Hashable {
            case number(Int)
            case derive(PortSelection)
        }

        /// Replaces the whole path (and query).
        public var uri: String = ""
        /// Replaces the part of the path the match's `uri.prefix` matched.
        public var prefixRewrite: String = ""
        public var authority: String = ""
        public var port: Port?
        public var scheme: String = ""
        /// 0 when unset: Envoy answers 301.
        public var redirectCode: Int = 0

        public init(
            uri: String = "",
            prefixRewrite: String = "",
            authority: String = "",
            scheme: String = "",
            redirectCode: Int = 0
        ) {
            self.uri = uri
            self.prefixRewrite = prefixRewrite
            self.authority = authority
            self.scheme = scheme
            self.redirectCode = redirectCode
        }
    }

    /// `HTTPDirectResponse`.
    public struct HTTPDirectResponse: Sendable, Hashable {
        public enum Body: Sendable, Hashable {
            case string(String)
            /// `bytes`, base64 in YAML as in protobuf's JSON mapping; decoded here.
            case bytes([UInt8])
        }

        public var status: Int
        public var body: Body?

        public init(status: Int, body: Body? = nil) {
            self.status = status
            self.body = body
        }
    }

    /// `Delegate`: the HTTP routes of another VirtualService (which has no hosts) take over.
    public struct Delegate: Sendable, Hashable {
        public var name: String
        /// Empty: the namespace of the VirtualService that delegates.
        public var namespace: String

        public init(name: String, namespace: String = "") {
            self.name = name
            self.namespace = namespace
        }
    }

    /// `HTTPRewrite`.
    public struct HTTPRewrite: Sendable, Hashable {
        public struct RegexRewrite: Sendable, Hashable {
            public var match: String
            public var rewrite: String

            public init(match: String, rewrite: String) {
                self.match = match
                self.rewrite = rewrite
            }
        }

        public var uri: String = ""
        public var authority: String = ""
        public var uriRegexRewrite: RegexRewrite?

        public init(uri: String = "", authority: String = "", uriRegexRewrite: RegexRewrite? = nil) {
            self.uri = uri
            self.authority = authority
            self.uriRegexRewrite = uriRegexRewrite
        }
    }

    /// `HTTPRetry`.
    public struct HTTPRetry: Sendable, Hashable {
        public var attempts: Int = 0
        public var perTryTimeout: Duration?
        /// Comma-separated Envoy retry conditions and status codes, as written.
        public var retryOn: String = ""
        public var retryRemoteLocalities: Bool?

        public init(attempts: Int = 0, perTryTimeout: Duration? = nil, retryOn: String = "") {
            self.attempts = attempts
            self.perTryTimeout = perTryTimeout
            self.retryOn = retryOn
        }
    }

    /// `HTTPFaultInjection`.
    public struct HTTPFaultInjection: Sendable, Hashable {
        public struct Delay: Sendable, Hashable {
            public var fixedDelay: Duration?
            /// `exponentialDelay`: decoded so validation can refuse it as Istio does.
            public var exponentialDelay: Duration?
            public var percentage: Percent?
            /// Deprecated integer `percent`.
            public var percent: Int = 0

            public init(fixedDelay: Duration? = nil, percentage: Percent? = nil) {
                self.fixedDelay = fixedDelay
                self.percentage = percentage
            }
        }

        public struct Abort: Sendable, Hashable {
            public enum ErrorType: Sendable, Hashable {
                case httpStatus(Int)
                case grpcStatus(String)
                case http2Error(String)
            }

            public var error: ErrorType?
            public var percentage: Percent?

            public init(error: ErrorType?, percentage: Percent? = nil) {
                self.error = error
                self.percentage = percentage
            }
        }

        public var delay: Delay?
        public var abort: Abort?

        public init(delay: Delay? = nil, abort: Abort? = nil) {
            self.delay = delay
            self.abort = abort
        }
    }

    /// `HTTPMirrorPolicy`.
    public struct HTTPMirrorPolicy: Sendable, Hashable {
        public var destination: Destination?
        public var percentage: Percent?

        public init(destination: Destination?, percentage: Percent? = nil) {
            self.destination = destination
            self.percentage = percentage
        }
    }

    /// `Percent`: a double in 0...100.
    public struct Percent: Sendable, Hashable, CustomStringConvertible {
        public var value: Double

        public init(_ value: Double) { self.value = value }

        public var description: String {
            value == value.rounded() ? "\(Int(value))%" : "\(value)%"
        }
    }

    /// `CorsPolicy`.
    public struct CorsPolicy: Sendable, Hashable {
        public enum UnmatchedPreflights: String, Sendable, Hashable, CaseIterable {
            case unspecified = "UNSPECIFIED"
            case forward = "FORWARD"
            case ignore = "IGNORE"
        }

        /// Deprecated exact origins.
        public var allowOrigin: [String] = []
        public var allowOrigins: [StringMatch] = []
        public var allowMethods: [String] = []
        public var allowHeaders: [String] = []
        public var exposeHeaders: [String] = []
        public var maxAge: Duration?
        public var allowCredentials: Bool?
        public var unmatchedPreflights: UnmatchedPreflights = .unspecified

        public init() {}
    }

    /// `Headers`: operations on the request (before forwarding) and the response (before answering).
    public struct Headers: Sendable, Hashable {
        public var request: HeaderOperations?
        public var response: HeaderOperations?

        public init(request: HeaderOperations? = nil, response: HeaderOperations? = nil) {
            self.request = request
            self.response = response
        }
    }

    /// `HeaderOperations`: `set` replaces, `add` appends, `remove` deletes. Maps are kept sorted by name.
    public struct HeaderOperations: Sendable, Hashable {
        public var set: [HeaderValue] = []
        public var add: [HeaderValue] = []
        public var remove: [String] = []

        public init(set: [HeaderValue] = [], add: [HeaderValue] = [], remove: [String] = []) {
            self.set = set
            self.add = add
            self.remove = remove
        }

        public var isEmpty: Bool { self.set.isEmpty && add.isEmpty && remove.isEmpty }
    }

    /// One header name and value, as a header operation writes it.
    public struct HeaderValue: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public var description: String { "\(name): \(value)" }
    }
}
