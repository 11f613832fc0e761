import Foundation

/// An access-log format: an Envoy format string (`[%START_TIME%] "%REQ(:METHOD)% ..."`) or a JSON format
/// (key → operator), compiled once and rendered once per connection when it closes.
public struct AccessLogFormat: Sendable, Hashable {
    /// A piece of a text format: literal text or an operator.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case command(AccessLogCommand)
    }

    package enum Layout: Sendable, Hashable {
        case text([Segment])
        /// Keys in output order (sorted, as Envoy prints a JSON format) with their segments.
        case json([JSONField])
    }

    package struct JSONField: Sendable, Hashable {
        package var key: String
        package var segments: [Segment]
    }

    /// The preset name or the format string this was built from.
    public let name: String
    package let layout: Layout

    // MARK: - Presets

    /// Istio's TCP access-log format before February 2019: the format of the seed page's line.
    public static let istio2019 = try! AccessLogFormat(
        name: "istio-2019",
        formatString:
            #"[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME%"#
    )

    /// Istio's current default text format (`EnvoyTextLogFormat`, 1.9 onwards).
    public static let istio = try! AccessLogFormat(
        name: "istio",
        formatString:
            #"[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%"#
    )

    /// Istio's JSON format (`EnvoyJSONLogFormatIstio`).
    public static let json = try! AccessLogFormat(
        name: "json",
        jsonFields: [
            "start_time": "%START_TIME%", "route_name": "%ROUTE_NAME%", "method": "%REQ(:METHOD)%",
            "path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", "protocol": "%PROTOCOL%",
            "response_code": "%RESPONSE_CODE%", "response_flags": "%RESPONSE_FLAGS%",
            "response_code_details": "%RESPONSE_CODE_DETAILS%",
            "connection_termination_details": "%CONNECTION_TERMINATION_DETAILS%",
            "bytes_received": "%BYTES_RECEIVED%", "bytes_sent": "%BYTES_SENT%", "duration": "%DURATION%",
            "upstream_service_time": "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
            "x_forwarded_for": "%REQ(X-FORWARDED-FOR)%", "user_agent": "%REQ(USER-AGENT)%",
            "request_id": "%REQ(X-REQUEST-ID)%", "authority": "%REQ(:AUTHORITY)%",
            "upstream_host": "%UPSTREAM_HOST%", "upstream_cluster": "%UPSTREAM_CLUSTER_RAW%",
            "upstream_local_address": "%UPSTREAM_LOCAL_ADDRESS%",
            "downstream_local_address": "%DOWNSTREAM_LOCAL_ADDRESS%",
            "downstream_remote_address": "%DOWNSTREAM_REMOTE_ADDRESS%",
            "requested_server_name": "%REQUESTED_SERVER_NAME%",
            "upstream_transport_failure_reason": "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
        ]
    )

    /// The presets by the names `--access-log-format` accepts.
    public static let presets: [String: AccessLogFormat] = ["istio-2019": .istio2019, "istio": .istio, "json": .json]

    // MARK: - Building formats

    /// A preset by name, or else an Envoy format string (anything containing `%`).
    public init(presetOrFormatString text: String) throws(AccessLogFormatError) {
        if let preset = Self.presets[text] {
            self = preset
        } else if text.contains("%") {
            try self.init(name: text, formatString: text)
        } else {
            throw .unknownPreset(text)
        }
    }

    /// Compiles an Envoy format string. A trailing newline is dropped: the sink ends each line.
    public init(name: String? = nil, formatString: String) throws(AccessLogFormatError) {
        var text = formatString
        while text.hasSuffix("\n") { text.removeLast() }
        self.name = name ?? formatString
        layout = .text(try Self.segments(of: text))
    }

    /// Compiles a JSON format: each key's value is a format string.
    public init(name: String, jsonFields: [String: String]) throws(AccessLogFormatError) {
        self.name = name
        var fields: [JSONField] = []
        for key in jsonFields.keys.sorted() {
            fields.append(JSONField(key: key, segments: try Self.segments(of: jsonFields[key]!)))
        }
        layout = .json(fields)
    }

    static func segments(of text: String) throws(AccessLogFormatError) -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "%" else {
                literal.append(character)
                index = text.index(after: index)
                continue
            }
            let start = text.index(after: index)
            guard let end = closingPercent(in: text, from: start) else {
                throw .unterminatedCommand(at: text.distance(from: text.startIndex, to: index))
            }
            if start == end {
                literal.append("%")  // `%%` is a literal percent sign.
            } else {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(.command(try AccessLogCommand(parsing: text[start..<end])))
            }
            index = text.index(after: end)
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }

    /// The `%` that closes a command, skipping `%` inside `( ... )` such as `%START_TIME(%s)%`.
    private static func closingPercent(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var index = start
        while index < text.endIndex {
            switch text[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "%" where depth == 0: return index
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    // MARK: - Rendering

    /// The log line for `record`, without a trailing newline.
    public func render(_ record: ConnectionRecord) -> String {
        var bytes: [UInt8] = []
        render(record, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the log line for `record`, without a trailing newline, to `bytes`: a sink's own buffer, so a
    /// line costs no string of its own.
    func render(_ record: ConnectionRecord, into bytes: inout [UInt8]) {
        switch layout {
        case .text(let segments):
            for segment in segments {
                switch segment {
                case .literal(let text): bytes.append(text)
                case .command(let command): command.append(for: record, to: &bytes)
                }
            }
        case .json(let fields):
            bytes.append(Self.renderJSON(fields, record))
        }
    }

    private static func renderJSON(_ fields: [JSONField], _ record: ConnectionRecord) -> String {
        var writer = JSONObjectWriter()
        for field in fields {
            if field.segments.count == 1, case .command(let command) = field.segments[0] {
                writer.add(field.key, command.value(for: record))
            } else {
                let text = field.segments.map { segment -> String in
                    switch segment {
                    case .literal(let text): text
                    case .command(let command): command.value(for: record).text
                    }
                }.joined()
                writer.add(field.key, .string(text))
            }
        }
        return writer.finish()
    }
}

extension AccessLogFormat: CustomStringConvertible {
    public var description: String { name }
}
