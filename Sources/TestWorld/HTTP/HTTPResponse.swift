/// An HTTP/1.x response as a client received it.
public struct HTTPResponse: Hashable, Sendable {
    /// `HTTP/1.1`.
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaderFields
    public var body: [UInt8]
    /// The status line and headers exactly as received, ending with the blank line.
    public var rawHead: [UInt8]

    /// The server closes the connection after this response (`Connection: close`, or HTTP/1.0 without
    /// keep-alive).
    public var closesConnection: Bool {
        headers.lists("Connection", token: "close")
            || (version == "HTTP/1.0" && !headers.lists("Connection", token: "keep-alive"))
    }
}

/// Reads one HTTP/1.x response from a byte stream: body by Content-Length, chunked, or until the connection
/// closes; none for HEAD, 1xx, 204 and 304. Bounded in head and body size.
struct HTTPResponseParser {
    /// The largest response body the client accepts.
    static let bodyLimit = 64 * 1024 * 1024

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    private let isHeadRequest: Bool
    private var buffer: [UInt8] = []
    private var state = State.head
    private var response: HTTPResponse?

    init(isHeadRequest: Bool) { self.isHeadRequest = isHeadRequest }

    /// The head, once it has arrived (the body may still be incomplete).
    var head: HTTPResponse? { response }

    /// Whether a full response has been read.
    var isComplete: Bool { if case .done = state { true } else { false } }

    /// Whether any byte of a response arrived.
    var receivedAnything: Bool { response != nil || !buffer.isEmpty }

    /// Adds bytes from the server; returns the response when it is complete.
    mutating func feed(_ bytes: [UInt8]) throws(HTTPMessageError) -> HTTPResponse? {
        buffer.append(contentsOf: bytes)
        try advance()
        return isComplete ? response : nil
    }

    /// The server closed the connection: returns the response if it is complete now.
    mutating func finish() throws(HTTPMessageError) -> HTTPResponse {
        if case .untilClose = state {
            state = .done
        }
        guard isComplete, let response else { throw .truncated }
        return response
    }

    private mutating func advance() throws(HTTPMessageError) {
        while true {
            switch state {
            case .head:
                guard let head = try HTTPHead.parse(buffer[...]) else { return }
                let parts = head.startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]),
                    (100...999).contains(status)
                else { throw .badStartLine(head.startLine) }
                let rawHead = Array(buffer[..<head.length])
                buffer.removeFirst(head.length)
                if (100...199).contains(status) { continue }  // 100 Continue and friends precede the answer
                response = HTTPResponse(
                    version: String(parts[0]),
                    status: status,
                    reason: parts.count > 2 ? String(parts[2]) : "",
                    headers: head.headers,
                    body: [],
                    rawHead: rawHead
                )
                if isHeadRequest || status == 204 || status == 304 {
                    state = .done
                } else if let coding = head.headers["Transfer-Encoding"] {
                    guard coding.lowercased().hasSuffix("chunked") else { throw .unsupportedTransferEncoding(coding) }
                    state = .chunkSize
                } else if let length = try head.contentLength() {
                    guard length <= Self.bodyLimit else { throw .bodyTooLarge(limit: Self.bodyLimit) }
                    state = .fixedBody(remaining: length)
                } else {
                    state = .untilClose
                }
            case .fixedBody(let remaining):
                let take = min(remaining, buffer.count)
                appendBody(take)
                state = remaining == take ? .done : .fixedBody(remaining: remaining - take)
                if remaining != take { return }
            case .chunkSize:
                guard let line = try takeLine() else { return }
                let sizeText = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingASCIISpaces() } ?? ""
                guard let size = Int(sizeText, radix: 16), size >= 0 else { throw .badChunk(line) }
                guard (response?.body.count ?? 0) + size <= Self.bodyLimit else {
                    throw .bodyTooLarge(limit: Self.bodyLimit)
                }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count)
                appendBody(take)
                guard remaining == take else {
                    state = .chunkData(remaining: remaining - take)
                    return
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let line = try takeLine() else { return }
                guard line.isEmpty else { throw .badChunk(line) }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine() else { return }
                if line.isEmpty { state = .done }
            case .untilClose:
                guard (response?.body.count ?? 0) + buffer.count <= Self.bodyLimit else {
                    throw .bodyTooLarge(limit: Self.bodyLimit)
                }
                appendBody(buffer.count)
                return
            case .done:
                return
            }
        }
    }

    private mutating func appendBody(_ count: Int) {
        response?.body.append(contentsOf: buffer[..<count])
        buffer.removeFirst(count)
    }

    /// Takes one CRLF-terminated line (without the CRLF), if complete; bounded like a head.
    private mutating func takeLine() throws(HTTPMessageError) -> String? {
        guard let end = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) else {
            if buffer.count > HTTPHead.limit { throw .headTooLarge(limit: HTTPHead.limit) }
            return nil
        }
        let line = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 2)
        return line
    }
}
