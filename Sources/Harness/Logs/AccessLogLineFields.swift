import Foundation
import FrontProxy

/// Reading access-log lines back into their fields is for assertions (the harness, tests): it lives with them,
/// not in the proxy.
extension AccessLogFormat {
    /// Reads a line this format wrote back into its fields: for a text format, keyed by operator token
    /// (`UPSTREAM_HOST`, `REQ(:METHOD)`; an operator used twice keeps its first value); for JSON, keyed by
    /// JSON key (a null value reads as `-`). Nil when the line does not have this format's shape.
    public func fields(in line: String) -> [String: String]? {
        switch layout {
        case .text(let segments): Self.textFields(in: line, segments: segments)
        case .json: Self.jsonFields(in: line)
        }
    }

    private static func textFields(in line: String, segments: [Segment]) -> [String: String]? {
        var pattern = "^"
        var tokens: [String] = []
        for segment in segments {
            switch segment {
            case .literal(let text): pattern += NSRegularExpression.escapedPattern(for: text)
            case .command(let command):
                tokens.append(command.token)
                pattern += command.isSingleWord ? "(\\S*)" : "(.*?)"
            }
        }
        pattern += "$"
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line))
        else { return nil }
        var fields: [String: String] = [:]
        for (index, token) in tokens.enumerated() where fields[token] == nil {
            guard let range = Range(match.range(at: index + 1), in: line) else { continue }
            fields[token] = String(line[range])
        }
        return fields
    }

    private static func jsonFields(in line: String) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return nil
        }
        return object.mapValues { value in
            switch value {
            case is NSNull: "-"
            case let number as NSNumber: number.stringValue
            default: "\(value)"
            }
        }
    }
}

extension AccessLogCommand {
    /// Whether the operator's value never contains a space, so a line parser can match it as one word.
    fileprivate var isSingleWord: Bool {
        switch self {
        case .startTime(let format): format.pattern == nil
        case .notApplicable, .responseCodeDetails, .connectionTerminationDetails, .upstreamTransportFailureReason,
            .routeName, .requestHeader, .responseHeader:
            false
        default: true
        }
    }
}
