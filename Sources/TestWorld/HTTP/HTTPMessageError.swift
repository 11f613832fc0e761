/// An HTTP/1.1 message that could not be parsed, or that exceeds the harness's bounds.
public enum HTTPMessageError: Error, Hashable, CustomStringConvertible {
    /// The request or status line is not HTTP/1.x.
    case badStartLine(String)
    /// A header line has no colon, or a bad name.
    case badHeader(String)
    /// The head (start line and headers) is longer than the limit.
    case headTooLarge(limit: Int)
    /// The body is longer than the limit.
    case bodyTooLarge(limit: Int)
    /// `Content-Length` is not a non-negative integer.
    case badContentLength(String)
    /// A chunk size line is not hex.
    case badChunk(String)
    /// A request uses a transfer coding the responder does not take.
    case unsupportedTransferEncoding(String)
    /// The stream ended inside a message.
    case truncated

    public var description: String {
        switch self {
        case .badStartLine(let line): "malformed HTTP start line '\(line)'"
        case .badHeader(let line): "malformed HTTP header line '\(line)'"
        case .headTooLarge(let limit): "HTTP head is larger than \(limit) bytes"
        case .bodyTooLarge(let limit): "HTTP body is larger than \(limit) bytes"
        case .badContentLength(let value): "malformed Content-Length '\(value)'"
        case .badChunk(let line): "malformed chunk size line '\(line)'"
        case .unsupportedTransferEncoding(let value): "unsupported Transfer-Encoding '\(value)'"
        case .truncated: "the connection closed in the middle of an HTTP message"
        }
    }
}
