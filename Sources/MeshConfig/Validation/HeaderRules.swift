/// Istio's rules for header names and values in matches and header operations.
enum HeaderRules {
    /// An RFC 7230 token: what a header name may be.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    return true
                default:
                    return "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }

    /// `jwt.ToRoutingClaim`: `@request.auth.claims.name` or `@request.auth.claims[name]` (a key Istio routes on
    /// as a JWT claim, not a header).
    static func isJWTClaim(_ name: String) -> Bool {
        let prefix = "@request.auth.claims"
        let lowered = name.asciiLowercased()
        guard lowered.hasPrefix(prefix) else { return false }
        let rest = lowered.dropFirst(prefix.count)
        if rest.hasPrefix(".") { return rest.count > 1 }
        if rest.hasPrefix("[") && rest.hasSuffix("]") { return rest.count > 2 }
        return false
    }

    /// `ValidateHTTPHeaderWithAuthorityOperationName`: request `set`/`add` may name the authority (it becomes a
    /// host rewrite), nothing else pseudo.
    static func requestOperationNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "header name cannot be empty" }
        let lowered = name.asciiLowercased()
        if lowered == ":authority" || lowered == "host" { return nil }
        if name.hasPrefix(":") { return "invalid header \(quoted(name)): header cannot have \":\" prefix" }
        return nil
    }

    /// `ValidateHTTPHeaderOperationName`: request `remove` and every response operation.
    static func operationNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "header name cannot be empty" }
        if name.asciiLowercased() == "host" { return "invalid header \(quoted(name)): cannot set Host header" }
        if name.hasPrefix(":") { return "invalid header \(quoted(name)): header cannot have \":\" prefix" }
        return nil
    }

    /// `ValidateHTTPHeaderValue`: no control characters but tab, and Envoy's `%VARIABLE%` syntax well formed.
    static func valueProblem(_ value: String) -> String? {
        if value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            return "header value configuration \(value) is invalid"
        }
        return formatterProblem(value).map { "header value configuration: " + $0 }
    }

    private enum FormatterState {
        case literal, variableName, expectArray, expectString, string, expectDelimiterOrEnd, expectArgsEnd
        case expectVariableEnd
    }

    /// Istio's copy of Envoy's header formatter parser (`validateHeaderValue`): `%%` is a percent sign,
    /// `%NAME%` and `%NAME(args)%` are variables, `args` a bracketed list of strings or plain text.
    private static func formatterProblem(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        var state = FormatterState.literal
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let hasNext = index + 1 < bytes.count
            switch state {
            case .literal:
                guard byte == UInt8(ascii: "%") else { break }
                guard hasNext else { return "invalid header configuration. Un-escaped %" }
                if bytes[index + 1] == UInt8(ascii: "%") {
                    index += 1
                } else {
                    state = .variableName
                }
            case .variableName:
                if byte == UInt8(ascii: "%") {
                    state = .literal
                } else if byte == UInt8(ascii: "(") {
                    state = .expectArray
                }
            case .expectArray:
                if byte == UInt8(ascii: "[") {
                    state = .expectString
                } else if byte != UInt8(ascii: " ") {
                    state = .string
                }
            case .expectDelimiterOrEnd:
                if byte == UInt8(ascii: ",") {
                    state = .expectString
                } else if byte == UInt8(ascii: "]") {
                    state = .expectArgsEnd
                } else if byte != UInt8(ascii: " ") {
                    return "invalid header configuration. Expecting ',', ']', or whitespace"
                }
            case .expectString:
                if byte == UInt8(ascii: "\"") {
                    state = .string
                } else if byte != UInt8(ascii: " ") {
                    return "invalid header configuration. Expecting '\"'"
                }
            case .string:
                if byte == UInt8(ascii: "\\") {
                    guard hasNext else { return "invalid header configuration. Un-terminated backslash in JSON string" }
                    index += 1
                } else if byte == UInt8(ascii: ")") {
                    state = .expectVariableEnd
                } else if byte == UInt8(ascii: "\"") {
                    state = .expectDelimiterOrEnd
                }
            case .expectArgsEnd:
                if byte == UInt8(ascii: ")") {
                    state = .expectVariableEnd
                } else if byte != UInt8(ascii: " ") {
                    return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'"
                }
            case .expectVariableEnd:
                if byte == UInt8(ascii: "%") {
                    state = .literal
                } else if byte != UInt8(ascii: " ") {
                    return "invalid header configuration. Expecting '%' or whitespace after"
                }
            }
            index += 1
        }
        guard state == .literal else {
            return "invalid header configuration. Un-terminated variable expression '\(value)'"
        }
        return nil
    }
}
