#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the access log and telemetry know about one downstream connection, filled in as the
/// connection progresses and rendered when it closes.
public struct ConnectionRecord: Sendable, Hashable {
    /// When the downstream connection was accepted.
    public var startTime: WallClockTime
    /// Milliseconds from accept to close (`%DURATION%`).
    public var durationMilliseconds: Int64?
    /// Bytes read from the downstream client (`%BYTES_RECEIVED%`).
    public var bytesReceived: Int64 = 0
    /// Bytes written to the downstream client (`%BYTES_SENT%`).
    public var bytesSent: Int64 = 0
    public var responseFlags: ResponseFlags = []
    /// `%RESPONSE_CODE_DETAILS%`, e.g. `filter_chain_not_found`.
    public var responseCodeDetails: String?
    /// `%CONNECTION_TERMINATION_DETAILS%`.
    public var connectionTerminationDetails: String?
    /// `%UPSTREAM_TRANSPORT_FAILURE_REASON%`, e.g. `delayed_connect_error:_Connection_refused`.
    public var upstreamTransportFailureReason: String?
    /// The upstream endpoint chosen (`%UPSTREAM_HOST%`), as the configuration names it.
    public var upstreamHost: EndpointAddress?
    /// `outbound|443||www.google.com`.
    public var upstreamCluster: String?
    public var upstreamLocalAddress: EndpointAddress?
    public var downstreamLocalAddress: EndpointAddress?
    public var downstreamRemoteAddress: EndpointAddress?
    /// The lower-cased SNI, if the client sent one.
    public var requestedServerName: String?
    public var routeName: String?
    /// For an HTTP request (one record per request): the request and response as Envoy's `%REQ(...)%`,
    /// `%RESP(...)%`, `%PROTOCOL%` and `%RESPONSE_CODE%` see them. nil for a TCP connection.
    public var http: HTTPExchangeFields?

    public init(startTime: WallClockTime) {
        self.startTime = startTime
    }
}

/// One HTTP request and its response, as the access log reads them.
public struct HTTPExchangeFields: Sendable, Hashable {
    public var method: String
    /// `:path` as forwarded (after a rewrite; the original is in `x-envoy-original-path`).
    public var path: String
    public var authority: String
    public var scheme: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var protocolName: String
    /// The request's other headers (names lower-cased), with those the gateway added: `x-forwarded-for`,
    /// `x-request-id`, `x-envoy-original-path`.
    public var requestHeaders: [HeaderField]
    /// 0 until a response is sent (Envoy prints 0 for a request that got none).
    public var responseCode: Int = 0
    public var responseHeaders: [HeaderField] = []

    public struct HeaderField: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        method: String,
        path: String,
        authority: String,
        scheme: String = "http",
        protocolName: String,
        requestHeaders: [HeaderField]
    ) {
        self.method = method
        self.path = path
        self.authority = authority
        self.scheme = scheme
        self.protocolName = protocolName
        self.requestHeaders = requestHeaders
    }

    /// A request header by lower-cased name, the pseudo-headers included; the first value when repeated.
    public func requestHeader(_ name: String) -> String? {
        switch name {
        case ":method": method
        case ":path": path
        case ":authority", "host": authority
        case ":scheme": scheme
        default: requestHeaders.first { $0.name == name }?.value
        }
    }

    public func responseHeader(_ name: String) -> String? {
        name == ":status" ? String(responseCode) : responseHeaders.first { $0.name == name }?.value
    }
}

/// A point in wall-clock time, in nanoseconds since the Unix epoch (UTC).
public struct WallClockTime: Hashable, Comparable, Sendable {
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The current time from the system's real-time clock.
    public static func now() -> WallClockTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallClockTime(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }

    /// The calendar fields of this instant in UTC.
    var civil: CivilTime { CivilTime(self) }
}

/// UTC calendar fields of a `WallClockTime`, computed without Foundation (days-from-civil algorithm by
/// Howard Hinnant), so formatting a timestamp per connection costs a few integer operations.
struct CivilTime {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64
    var minute: Int64
    var second: Int64
    var nanosecond: Int64
    var dayOfYear: Int64
    var weekday: Int64  // 0 = Sunday

    init(_ time: WallClockTime) {
        let nanos = time.nanosecondsSinceEpoch
        var seconds = nanos / 1_000_000_000
        var fraction = nanos % 1_000_000_000
        if fraction < 0 {
            fraction += 1_000_000_000
            seconds -= 1
        }
        var days = seconds / 86400
        var secondOfDay = seconds % 86400
        if secondOfDay < 0 {
            secondOfDay += 86400
            days -= 1
        }
        weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfMarchYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfMarchYear + 2) / 153
        day = dayOfMarchYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        dayOfYear = cumulative[Int(month - 1)] + day + (isLeap && month > 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        nanosecond = fraction
    }
}
