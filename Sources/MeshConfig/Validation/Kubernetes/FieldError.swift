/// One field error as the Kubernetes API server words it (`k8s.io/apimachinery/pkg/util/validation/field`):
/// `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. The path goes in a
/// diagnostic's `path`, the rest (`ErrorBody`) in its message.
struct FieldError: Hashable {
    enum Kind: Hashable {
        case required
        case invalid
        case duplicate
        case notSupported
        case forbidden
        case tooMany

        /// `ErrorType.String()`.
        var text: String {
            switch self {
            case .required: "Required value"
            case .invalid: "Invalid value"
            case .duplicate: "Duplicate value"
            case .notSupported: "Unsupported value"
            case .forbidden: "Forbidden"
            case .tooMany: "Too many"
            }
        }
    }

    /// A bad value, printed as `ErrorBody` prints it: Go's `%q` for a string, the number for an integer,
    /// JSON for anything else.
    enum Value: Hashable {
        case string(String)
        case integer(Int)
        /// Already rendered as JSON (`["10.0.0.1","10.0.0.2"]`).
        case json(String)

        var rendered: String {
            switch self {
            case .string(let text): quoted(text)
            case .integer(let number): String(number)
            case .json(let text): text
            }
        }

        /// JSON for a list of strings, as `json.Marshal` writes it.
        static func strings(_ values: [String]) -> Value {
            .json("[" + values.map(jsonString).joined(separator: ",") + "]")
        }

        /// JSON for a string pointer's target (`json.Marshal(*string)`).
        static func jsonString(_ value: String) -> String {
            var result = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case "<": result += "\\u003c"
                case ">": result += "\\u003e"
                case "&": result += "\\u0026"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result + "\""
        }
    }

    var kind: Kind
    var path: String
    var value: Value?
    var detail: String

    static func required(_ path: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, path: path, value: nil, detail: detail)
    }

    static func invalid(_ path: String, _ value: Value, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, path: path, value: value, detail: detail)
    }

    static func duplicate(_ path: String, _ value: Value) -> FieldError {
        FieldError(kind: .duplicate, path: path, value: value, detail: "")
    }

    /// `field.NotSupported`: the supported values quoted and listed in the order given (sorted by the caller,
    /// as `sets.List` does).
    static func notSupported(_ path: String, _ value: Value, _ supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(quoted).joined(separator: ", ")
        return FieldError(kind: .notSupported, path: path, value: value, detail: detail)
    }

    static func forbidden(_ path: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, path: path, value: nil, detail: detail)
    }

    static func tooMany(_ path: String, actual: Int, maximum: Int) -> FieldError {
        FieldError(
            kind: .tooMany,
            path: path,
            value: .integer(actual),
            detail: "must have at most \(maximum) \(maximum == 1 ? "item" : "items")"
        )
    }

    /// `ErrorBody`: the type, the value where the type shows one, then the detail.
    var body: String {
        var text = kind.text
        if let value, kind != .required, kind != .forbidden { text += ": " + value.rendered }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    var diagnostic: Diagnostic { .error(body, path: path) }
}
