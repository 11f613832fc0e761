/// An HTTP/1.1 request as a fake upstream received it.
public struct HTTPRequest: Hashable, Sendable {
    public var method: String
    /// The request target, e.g. `/` or `/search?q=1`.
    public var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    public var headers: HTTPHeaderFields
    public var body: [UInt8]
    /// The request exactly as it came off the wire (head and body), which the echo responder returns.
    public var raw: [UInt8]

    /// Whether the client asked to close the connection after this request.
    public var wantsClose: Bool {
        headers.lists("Connection", token: "close")
            || (version == "HTTP/1.0" && !headers.lists("Connection", token: "keep-alive"))
    }
}

/// Splits a byte stream into HTTP/1.x requests (Content-Length bodies only), bounded in head and body size.
struct HTTPRequestParser {
    /// The largest request body the responder accepts.
    static let bodyLimit = 8 * 1024 * 1024

    private var buffer: [UInt8] = []

    /// Adds bytes received from the client.
    mutating func feed(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// The next complete request, or nil when more bytes are needed.
    mutating func next() throws(HTTPMessageError) -> HTTPRequest? {
        guard let head = try HTTPHead.parse(buffer[...]) else { return nil }
        let parts = head.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[2].hasPrefix("HTTP/1.") else {
            throw .badStartLine(head.startLine)
        }
        if let coding = head.headers["Transfer-Encoding"] { throw .unsupportedTransferEncoding(coding) }
        let bodyLength = try head.contentLength() ?? 0
        guard bodyLength <= Self.bodyLimit else { throw .bodyTooLarge(limit: Self.bodyLimit) }
        guard buffer.count >= head.length + bodyLength else { return nil }
        let raw = Array(buffer[..<(head.length + bodyLength)])
        buffer.removeFirst(raw.count)
        return HTTPRequest(
            method: String(parts[0]),
            target: String(parts[1]),
            version: String(parts[2]),
            headers: head.headers,
            body: Array(raw[head.length...]),
            raw: raw
        )
    }

    /// Whether bytes of an unfinished request are waiting.
    var hasPartialRequest: Bool { !buffer.isEmpty }
}
