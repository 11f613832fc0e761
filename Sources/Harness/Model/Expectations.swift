/// What a client step must observe. Every field is optional; only those given are checked.
public struct ConnectionExpectation: Sendable, Hashable {
    /// curl's exit code (curl steps only).
    public var exitCode: Int?
    public var status: Int?
    /// A regex the response body (curl) or received text (client) must contain a match of.
    public var bodyMatches: String?
    /// What the `| grep` (or, without one, curl's standard output) printed, exactly (trailing newline ignored).
    public var output: String?
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

/// Route cases: each one a real connection.
public struct RouteTable: Sendable {
    public var cases: [RouteCase]
    /// Fail the step when less than this percentage of VirtualService rules was exercised.
    public var failUnder: Double?
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
