import NIOCore

/// A way a fake upstream misbehaves, so tests can see how the proxy and clients react. A new fault applies
/// to connections accepted after it is set; connections already open keep the one they started with.
public enum UpstreamFault: Hashable, Sendable {
    /// Not listening at all: connecting is refused (the listener is closed until the fault is cleared).
    case refuse
    /// Once at least `bytes` bytes have been read, reset the connection (SO_LINGER 0, so an RST, no FIN).
    case resetAfterReading(bytes: Int)
    /// Accept, read and record, but never answer (not even the TLS handshake).
    case stall
    /// Complete the TLS handshake, then close (a FIN, no close_notify). Plain servers close at once.
    case closeAfterHandshake
    /// Once at least `bytes` bytes have been read (0: at once), close with a FIN without answering.
    case closeAfterReading(bytes: Int)
    /// Hold every response (HTTP answer, echoed bytes) back for this long.
    case delayResponse(TimeAmount)
}

/// What a fake upstream does with the plaintext it reads.
public enum UpstreamBehavior: Sendable {
    /// Answer HTTP/1.1 requests.
    case http(HTTPResponder)
    /// Send back every byte read; on end of input, finish writing and close.
    case echo
    /// Read and record, never write.
    case sink
}

/// How the HTTP/1.1 responder answers each request.
public struct HTTPResponder: Hashable, Sendable {
    public var status: Int
    /// The reason phrase; nil picks the standard one (`OK` for 200).
    public var reason: String?
    /// Extra response headers; `Content-Length` is added unless given here.
    public var headers: HTTPHeaderFields
    public var body: [UInt8]
    /// When set, the body is the request exactly as received (head and body), ignoring `body`.
    public var echoesRequest: Bool
    /// Answers by path as httpbin.org does (`/status/418`, `/headers`, `/anything`, `/get`, `/ip`), for
    /// Istio's httpbin tasks; other paths get `status`/`body`.
    public var httpbin: Bool
    /// Responses for exact paths (the query ignored), ahead of everything else.
    public var paths: [String: HTTPResponder]

    public init(
        status: Int = 200,
        reason: String? = nil,
        headers: HTTPHeaderFields = [:],
        body: String = "",
        echoesRequest: Bool = false,
        httpbin: Bool = false,
        paths: [String: HTTPResponder] = [:]
    ) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = Array(body.utf8)
        self.echoesRequest = echoesRequest
        self.httpbin = httpbin
        self.paths = paths
    }
}
