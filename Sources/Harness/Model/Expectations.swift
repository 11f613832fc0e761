/// What a client step must observe. Every field is optional; only those given are checked.
public struct ConnectionExpectation: Sendable, Hashable {
    /// curl's exit code (curl steps only).
    public var exitCode: Int?
    public var status: Int?
    /// A regex the response body (curl) or received text (client) must contain a match of.
    public var bodyMatches: String?
    /// What the `| grep` (or, without one, curl's standard output) printed, exactly (trailing newline ignored).
    public var output: String?
    /// A regex curl's standard error (its `-v` lines, as `* SSL certificate verify ok.`) must contain a match of.
    public var stderrMatches: String?
    public var certificateSubject: String?
    /// The ALPN protocol the TLS client negotiated.
    public var alpn: String?
    /// The upstream (by scenario name) that got the connection; `none` for no upstream at all.
    public var reachedUpstream: String?
    /// Every byte the client wrote reached the upstream and every byte the upstream wrote reached the client.
    public var untouched: Bool?
    public var connectionRefused: Bool?
    /// The proxy closed the connection, the client got no byte and no upstream got one either.
    public var closedWithoutBytes: Bool?
    public var reset: Bool?
    /// The TLS handshake did not complete.
    public var handshakeFailed: Bool?
    /// The received bytes as text, exactly.
    public var received: String?
    public var receivedBytes: Int?
    /// What the reached upstream saw: SNI and negotiated ALPN.
    public var upstreamServerName: String?
    public var upstreamALPN: String?
    /// For HTTP: the request the upstream received (path, authority and headers as forwarded).
    public var upstreamRequest: UpstreamRequestExpectation?
    /// For curl: response headers by name (case-insensitive), compared exactly; `-` for absent.
    public var responseHeaders: [String: String] = [:]
    /// For HTTP: how many requests each named upstream received during the step (retries, mirrors and
    /// weighted splits show here), as a range (`3`, or `1..29` for a random split); an upstream not named
    /// may have received any number.
    public var upstreamRequestCounts: [String: ClosedRange<Int>] = [:]

    public init() {}
}

/// Access-log lines to find: one line must satisfy every condition (or, with `absent`, none may).
public struct LogExpectation: Sendable, Hashable {
    public var matches: String?
    /// Fields parsed with the active format, compared exactly (`RESPONSE_FLAGS: NR`).
    public var fields: [String: String] = [:]
    /// Fields compared by regex (whole value).
    public var fieldsMatch: [String: String] = [:]
    /// How many lines the log must have in total.
    public var count: Int?
    /// No line may satisfy the conditions.
    public var absent = false

    public init() {}
}

/// A telemetry event to find: every field equal (numbers compared as text).
public struct TelemetryExpectation: Sendable, Hashable {
    public var fields: [String: String]
    /// How many events the log must have in total.
    public var count: Int?
    public var absent = false
}

/// A Prometheus counter: the sum over series whose labels include `labels`.
public struct MetricExpectation: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var value: Double?
    public var atLeast: Double?
}

/// What "clean" means after the scenario's changes.
public struct CleanExpectation: Sendable, Hashable {
    /// No listener may remain (else only connections and sockets are checked).
    public var noListeners = true

    public init() {}
}

/// Route cases: each TLS or TCP case one real connection; each HTTP case one request decided on the running
/// server's plan (like Envoy's `router_check_tool`) and then sent through the gateway, which must agree.
public struct RouteTable: Sendable {
    public var cases: [RouteCase]
    public var httpCases: [HTTPRouteCase] = []
    /// Fail the step when less than this percentage of VirtualService rules was exercised.
    public var failUnder: Double?
}

/// One HTTP request and what the gateway must do with it.
public struct HTTPRouteCase: Sendable, Hashable {
    public var port: Int
    public var host: String
    public var path: String
    public var method: String
    public var headers: [HeaderField]
    public var expect: HTTPRouteExpectation
    public var line: Int?

    public struct HeaderField: Sendable, Hashable {
        public var name: String
        public var value: String
    }
}

/// What an HTTP route case checks; every field given must hold.
public struct HTTPRouteExpectation: Sendable, Hashable, CustomStringConvertible {
    /// The cluster the request goes to (one of them, for a weighted route).
    public var cluster: String?
    /// The status the gateway answers itself (404, 503, a redirect's or a direct response's).
    public var status: Int?
    /// A redirect's `Location`.
    public var redirect: String?
    /// The rule that matched: `VirtualService ns/name http[0].match[1]`.
    public var route: String?
    /// Envoy's response flags (`NR`, `NC`, `FI`), or `-` for none.
    public var flags: String?
    /// `:path` as the upstream receives it, after rewrites.
    public var upstreamPath: String?
    /// `:authority` as the upstream receives it, after a host rewrite.
    public var upstreamAuthority: String?

    public var description: String {
        var parts: [String] = []
        if let cluster { parts.append("cluster \(cluster)") }
        if let status { parts.append("status \(status)") }
        if let redirect { parts.append("redirect \(redirect)") }
        if let route { parts.append("route \(route)") }
        if let flags { parts.append("flags \(flags)") }
        if let upstreamPath { parts.append("upstream path \(upstreamPath)") }
        if let upstreamAuthority { parts.append("upstream authority \(upstreamAuthority)") }
        return parts.joined(separator: ", ")
    }
}

public struct RouteCase: Sendable, Hashable {
    public var port: Int
    /// nil: a ClientHello without SNI.
    public var serverName: String?
    /// false: send plain-text bytes instead of a ClientHello.
    public var tls: Bool
    public var expect: RouteOutcome
    public var line: Int?
    public var path: String
}

/// Where a route case's connection went.
public enum RouteOutcome: Sendable, Hashable, CustomStringConvertible {
    case upstream(String)
    case refused
    /// Closed by the proxy with these response flags (`NR`, `NC`, `UH`, `UF,URX`), nothing forwarded.
    case flags(String)

    public var description: String {
        switch self {
        case .upstream(let name): name
        case .refused: "refused"
        case .flags(let flags): flags
        }
    }
}

/// What an upstream must have received as a request: each field given must match exactly; a header given as
/// `-` must be absent.
public struct UpstreamRequestExpectation: Sendable, Hashable {
    public var method: String?
    public var path: String?
    public var authority: String?
    public var headers: [String: String] = [:]
}
