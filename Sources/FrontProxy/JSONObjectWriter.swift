/// Writes one flat JSON object in the order fields are added: the access log and telemetry lines need a
/// fixed key order and cheap rendering, which `JSONEncoder` does not give.
struct JSONObjectWriter {
    private var output = "{"
    private var isFirst = true

    mutating func add(_ key: String, _ value: AccessLogValue) {
        switch value {
        case .number(let number): addRaw(key, String(number))
        case .string(let string): add(key, string)
        case .absent: addRaw(key, "null")
        }
    }

    mutating func add(_ key: String, _ string: String) {
        addRaw(key, Self.quoted(string))
    }

    mutating func add(_ key: String, _ number: Int64) {
        addRaw(key, String(number))
    }

    private mutating func addRaw(_ key: String, _ rendered: String) {
        if !isFirst { output += "," }
        isFirst = false
        output += Self.quoted(key)
        output += ":"
        output += rendered
    }

    func finish() -> String { output + "}" }

    /// A JSON string literal (RFC 8259 §7).
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
