/// A curl command line the harness cannot run.
public enum CurlCommandError: Error, Hashable, CustomStringConvertible {
    /// The words do not start with `curl`.
    case notCurl(String)
    /// The shell-like splitting failed.
    case shell(ShellWordsError)
    /// An option the harness does not implement.
    case unsupportedOption(String)
    /// An option that takes an argument came last.
    case missingArgument(String)
    /// An option's argument is malformed.
    case badArgument(option: String, argument: String, reason: String)
    /// The command names no URL.
    case noURL
    /// The URL is malformed or uses an unsupported feature.
    case badURL(String, reason: String)
    /// `--cacert` could not be read or holds no certificate.
    case badCACertificate(path: String, reason: String)

    public var description: String {
        switch self {
        case .notCurl(let word): "expected a curl command, found '\(word)'"
        case .shell(let error): error.description
        case .unsupportedOption(let option): "curl option \(option) is not supported by the harness"
        case .missingArgument(let option): "curl option \(option) needs an argument"
        case .badArgument(let option, let argument, let reason): "curl option \(option) '\(argument)': \(reason)"
        case .noURL: "the curl command has no URL"
        case .badURL(let url, let reason): "bad URL '\(url)': \(reason)"
        case .badCACertificate(let path, let reason): "cannot use --cacert \(path): \(reason)"
        }
    }
}
