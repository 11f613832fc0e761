/// One `%COMMAND%` operator of an Envoy access-log format string, for a TCP connection or an HTTP request.
public enum AccessLogCommand: Hashable, Sendable {
    case startTime(StartTimeFormat)
    case bytesReceived
    case bytesSent
    case duration
    case responseFlags
    case responseFlagsLong
    case responseCode
    case responseCodeDetails
    case connectionTerminationDetails
    case upstreamTransportFailureReason
    case upstreamHost
    case upstreamCluster
    case upstreamLocalAddress
    case downstreamLocalAddress
    case downstreamLocalAddressWithoutPort
    case downstreamRemoteAddress
    case downstreamRemoteAddressWithoutPort
    case requestedServerName
    case routeName
    case `protocol`
    /// `%REQ(X?Y):N%`: a request header (`:method`, `:path`, `:authority` too), else the alternative, cut to
    /// N characters; `-` for a TCP connection.
    case requestHeader(HeaderLookup)
    /// `%RESP(X?Y):N%`: a response header.
    case responseHeader(HeaderLookup)
    /// `%TRAILER(...)%`, `%DYNAMIC_METADATA(...)%` and the like: filter state FrontProxy does not have,
    /// printed as `-`.
    case notApplicable(String)

    /// The header (and alternative) a `REQ`/`RESP` operator prints, lower-cased, and its length limit.
    public struct HeaderLookup: Hashable, Sendable {
        public var name: String
        public var alternative: String?
        public var maximumLength: Int?
        /// The operator as written, for `token`.
        var written: String
    }

    /// The operator's name as written in the format string, without `%` (`UPSTREAM_HOST`, `REQ(:METHOD)`).
    public var token: String {
        switch self {
        case .startTime(let format): format.pattern.map { "START_TIME(\($0))" } ?? "START_TIME"
        case .bytesReceived: "BYTES_RECEIVED"
        case .bytesSent: "BYTES_SENT"
        case .duration: "DURATION"
        case .responseFlags: "RESPONSE_FLAGS"
        case .responseFlagsLong: "RESPONSE_FLAGS_LONG"
        case .responseCode: "RESPONSE_CODE"
        case .responseCodeDetails: "RESPONSE_CODE_DETAILS"
        case .connectionTerminationDetails: "CONNECTION_TERMINATION_DETAILS"
        case .upstreamTransportFailureReason: "UPSTREAM_TRANSPORT_FAILURE_REASON"
        case .upstreamHost: "UPSTREAM_HOST"
        case .upstreamCluster: "UPSTREAM_CLUSTER"
        case .upstreamLocalAddress: "UPSTREAM_LOCAL_ADDRESS"
        case .downstreamLocalAddress: "DOWNSTREAM_LOCAL_ADDRESS"
        case .downstreamLocalAddressWithoutPort: "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT"
        case .downstreamRemoteAddress: "DOWNSTREAM_REMOTE_ADDRESS"
        case .downstreamRemoteAddressWithoutPort: "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT"
        case .requestedServerName: "REQUESTED_SERVER_NAME"
        case .routeName: "ROUTE_NAME"
        case .protocol: "PROTOCOL"
        case .requestHeader(let lookup), .responseHeader(let lookup): lookup.written
        case .notApplicable(let token): token
        }
    }

    /// What the operator prints for `record`: a number, a string, or nothing (printed as `-`).
    func value(for record: ConnectionRecord) -> AccessLogValue {
        switch self {
        case .startTime(let format): .string(format.format(record.startTime))
        case .bytesReceived: .number(record.bytesReceived)
        case .bytesSent: .number(record.bytesSent)
        case .duration: record.durationMilliseconds.map(AccessLogValue.number) ?? .absent
        case .responseFlags: .string(record.responseFlags.description)
        case .responseFlagsLong: .string(record.responseFlags.longDescription)
        case .responseCode: .number(Int64(record.http?.responseCode ?? 0))  // TCP: Envoy prints 0.
        case .responseCodeDetails: .optional(record.responseCodeDetails)
        case .connectionTerminationDetails: .optional(record.connectionTerminationDetails)
        case .upstreamTransportFailureReason: .optional(record.upstreamTransportFailureReason)
        case .upstreamHost: .optional(record.upstreamHost?.description)
        case .upstreamCluster: .optional(record.upstreamCluster)
        case .upstreamLocalAddress: .optional(record.upstreamLocalAddress?.description)
        case .downstreamLocalAddress: .optional(record.downstreamLocalAddress?.description)
        case .downstreamLocalAddressWithoutPort: .optional(record.downstreamLocalAddress?.host)
        case .downstreamRemoteAddress: .optional(record.downstreamRemoteAddress?.description)
        case .downstreamRemoteAddressWithoutPort: .optional(record.downstreamRemoteAddress?.host)
        case .requestedServerName: .optional(record.requestedServerName)
        case .routeName: .optional(record.routeName)
        case .protocol: .optional(record.http?.protocolName)
        case .requestHeader(let lookup): Self.header(lookup) { record.http?.requestHeader($0) }
        case .responseHeader(let lookup): Self.header(lookup) { record.http?.responseHeader($0) }
        case .notApplicable: .absent
        }
    }

    private static func header(_ lookup: HeaderLookup, _ find: (String) -> String?) -> AccessLogValue {
        guard var value = find(lookup.name) ?? lookup.alternative.flatMap(find) else { return .absent }
        if let limit = lookup.maximumLength, value.count > limit { value = String(value.prefix(limit)) }
        return .optional(value)
    }

    /// Appends what the operator prints for `record` (`value(for:).text`), writing numbers, addresses and
    /// the time straight into `bytes`.
    func append(for record: ConnectionRecord, to bytes: inout [UInt8]) {
        switch self {
        case .startTime(let format): format.format(record.startTime, into: &bytes)
        case .bytesReceived: bytes.append(decimal: record.bytesReceived)
        case .bytesSent: bytes.append(decimal: record.bytesSent)
        case .upstreamHost: Self.append(record.upstreamHost, to: &bytes)
        case .upstreamLocalAddress: Self.append(record.upstreamLocalAddress, to: &bytes)
        case .downstreamLocalAddress: Self.append(record.downstreamLocalAddress, to: &bytes)
        case .downstreamRemoteAddress: Self.append(record.downstreamRemoteAddress, to: &bytes)
        default: bytes.append(value(for: record).text)
        }
    }

    private static func append(_ address: EndpointAddress?, to bytes: inout [UInt8]) {
        guard let address else { return bytes.append(UInt8(ascii: "-")) }
        address.appendDescription(to: &bytes)
    }

    /// Parses the inside of `%...%`, or explains why it cannot.
    init(parsing token: Substring) throws(AccessLogFormatError) {
        let name = token.prefix { $0 != "(" }
        let argument = token.dropFirst(name.count)
        if name == "START_TIME" {
            self = .startTime(try StartTimeFormat(parsingArgument: argument))
            return
        }
        let simple: [Substring: AccessLogCommand] = [
            "BYTES_RECEIVED": .bytesReceived, "BYTES_SENT": .bytesSent, "DURATION": .duration,
            "RESPONSE_FLAGS": .responseFlags, "RESPONSE_FLAGS_LONG": .responseFlagsLong,
            "RESPONSE_CODE": .responseCode,
            "RESPONSE_CODE_DETAILS": .responseCodeDetails,
            "CONNECTION_TERMINATION_DETAILS": .connectionTerminationDetails,
            "UPSTREAM_TRANSPORT_FAILURE_REASON": .upstreamTransportFailureReason, "UPSTREAM_HOST": .upstreamHost,
            "UPSTREAM_CLUSTER": .upstreamCluster, "UPSTREAM_CLUSTER_RAW": .upstreamCluster,
            "UPSTREAM_LOCAL_ADDRESS": .upstreamLocalAddress, "DOWNSTREAM_LOCAL_ADDRESS": .downstreamLocalAddress,
            "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT": .downstreamLocalAddressWithoutPort,
            "DOWNSTREAM_REMOTE_ADDRESS": .downstreamRemoteAddress,
            "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT": .downstreamRemoteAddressWithoutPort,
            "DOWNSTREAM_PEER_ADDRESS": .downstreamRemoteAddress,
            "REQUESTED_SERVER_NAME": .requestedServerName, "ROUTE_NAME": .routeName, "PROTOCOL": .protocol,
        ]
        if argument.isEmpty, let command = simple[name] {
            // UPSTREAM_CLUSTER_RAW prints the same as UPSTREAM_CLUSTER here: FrontProxy has no alt_stat_name.
            self = command
            return
        }
        if name == "REQ" || name == "RESP", let lookup = Self.headerLookup(argument, token: token) {
            self = name == "REQ" ? .requestHeader(lookup) : .responseHeader(lookup)
            return
        }
        let httpOrFilterState: Set<Substring> = [
            "TRAILER", "DYNAMIC_METADATA", "FILTER_STATE", "CEL", "METADATA", "UPSTREAM_FILTER_STATE", "RESP_TRAILER",
            "REQ_WITHOUT_QUERY",
        ]
        if httpOrFilterState.contains(name), argument.hasPrefix("("), argument.contains(")") {
            self = .notApplicable(String(token))
            return
        }
        throw .unsupportedCommand(String(token))
    }

    /// `(X-A?X-B)` with an optional `:N` after it.
    private static func headerLookup(_ argument: Substring, token: Substring) -> HeaderLookup? {
        guard argument.hasPrefix("("), let close = argument.firstIndex(of: ")") else { return nil }
        let names = argument[argument.index(after: argument.startIndex)..<close]
        let parts = names.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { return nil }
        var maximumLength: Int?
        let rest = argument[argument.index(after: close)...]
        if !rest.isEmpty {
            guard rest.hasPrefix(":"), let limit = Int(rest.dropFirst()), limit > 0 else { return nil }
            maximumLength = limit
        }
        return HeaderLookup(
            name: first.lowercased(),
            alternative: parts.count > 1 ? parts[1].lowercased() : nil,
            maximumLength: maximumLength,
            written: String(token)
        )
    }
}

/// A value an operator produced, before rendering as text or JSON.
enum AccessLogValue: Equatable {
    case number(Int64)
    case string(String)
    case absent

    static func optional(_ text: String?) -> AccessLogValue {
        guard let text, !text.isEmpty else { return .absent }
        return .string(text)
    }

    /// The text rendering: Envoy prints an absent value as `-`.
    var text: String {
        switch self {
        case .number(let number): String(number)
        case .string(let string): string
        case .absent: "-"
        }
    }
}

/// Why a format string was refused.
public enum AccessLogFormatError: Error, Hashable, CustomStringConvertible {
    /// An operator Envoy does not have, or one that needs an argument it was not given.
    case unsupportedCommand(String)
    /// A `%` that is never closed.
    case unterminatedCommand(at: Int)
    /// A `%START_TIME(...)%` pattern with a specifier we do not support.
    case unsupportedTimeSpecifier(String)
    /// A preset name that does not exist.
    case unknownPreset(String)

    public var description: String {
        switch self {
        case .unsupportedCommand(let token): "Not supported field in StreamInfo: %\(token)%"
        case .unterminatedCommand(let offset): "unterminated '%' at offset \(offset) in the access log format"
        case .unsupportedTimeSpecifier(let specifier):
            "unsupported START_TIME specifier '\(specifier)' (supported: %Y %m %d %H %M %S %Ef %3f %6f %9f %s %z %j %e %a %b %F %T %%)"
        case .unknownPreset(let name):
            "unknown access log format '\(name)': use istio-2019, istio, json or an Envoy format string"
        }
    }
}
