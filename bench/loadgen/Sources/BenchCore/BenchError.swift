/// Everything the bench tools reject, each saying what was wrong and where.
public enum BenchError: Error, Equatable, CustomStringConvertible {
    /// An address that is not a numeric loopback address (127.0.0.0/8 or ::1) with a port.
    case notLoopback(String)
    /// An address that could not be read as `HOST:PORT` or `[::1]:PORT`.
    case malformedAddress(String)
    /// An option this command does not know.
    case unknownOption(String)
    /// An option given without the value it needs.
    case missingValue(option: String)
    /// An option whose value is of the wrong type or outside its range.
    case invalidValue(option: String, value: String, reason: String)
    /// A required option that was not given.
    case missingOption(String)
    /// A file that could not be read, or whose content is unusable.
    case unusableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .notLoopback(let address):
            "refusing \(address): only loopback addresses (127.0.0.0/8, ::1) are allowed"
        case .malformedAddress(let address):
            "malformed address \(address): expected 127.x.y.z:PORT or [::1]:PORT"
        case .unknownOption(let option):
            "unknown option \(option)"
        case .missingValue(let option):
            "option \(option) needs a value"
        case .invalidValue(let option, let value, let reason):
            "invalid value '\(value)' for \(option): \(reason)"
        case .missingOption(let option):
            "missing required option \(option)"
        case .unusableFile(let path, let reason):
            "cannot use \(path): \(reason)"
        }
    }
}
