import NIOCore

/// What running a curl command produced, with what curl would print and what the harness can check.
public struct CurlResult: Sendable {
    /// curl's exit code: 0, or 6 (resolve), 7 (connect), 18 (partial body), 28 (timeout), 35 (TLS
    /// handshake), 52 (empty reply), 56 (receive failure), 60 (certificate).
    public var exitCode: Int32
    /// curl's error text for a non-zero exit, e.g. `Empty reply from server`.
    public var errorMessage: String?
    /// The response, when one (complete) arrived; for several URLs, the last one's.
    public var response: HTTPResponse?
    /// For several URLs: the responses before the last, in order.
    public var earlierResponses: [HTTPResponse] = []
    /// What curl would write to stdout (the body; the head too with `-i` or `-I`; nothing with `-o`).
    public var stdout: [UInt8]
    /// What curl would write to stderr (verbose lines with `-v`, `curl: (N) ...` unless `-s`), without the
    /// progress meter.
    public var stderr: String
    /// The socket actually connected to (after `--resolve`, `--connect-to` and the address map).
    public var connectedAddress: SocketAddress?
    /// The SNI sent (nil for plain HTTP or an IP-literal host).
    public var serverName: String?
    /// What TLS negotiated.
    public var tls: NegotiatedTLS?
    /// The raw bytes written to the socket (ciphertext on TLS), ClientHello included.
    public var written: CapturedBytes
    /// The raw bytes read from the socket.
    public var read: CapturedBytes

    /// The response status, if a response arrived.
    public var status: Int? { response?.status }
    /// The response body (empty without a response).
    public var body: [UInt8] { response?.body ?? [] }
    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
    /// The server certificate's subject, e.g. `CN=www.google.com`.
    public var peerCertificateSubject: String? { tls?.peerCertificate?.subject }
    /// The ALPN protocol the server chose.
    public var negotiatedALPN: String? { tls?.alpn }
}

/// A way the request failed, as curl reports it.
struct CurlFailure: Error {
    var exitCode: Int32
    var message: String

    static func from(_ error: ClientConnectionError, host: String, port: Int, elapsedMilliseconds: Int) -> CurlFailure {
        switch error {
        case .refused, .connectFailed:
            CurlFailure(
                exitCode: 7,
                message:
                    "Failed to connect to \(host) port \(port) after \(elapsedMilliseconds) ms: Couldn't connect to server"
            )
        case .connectTimedOut:
            CurlFailure(exitCode: 28, message: "Connection timed out after \(elapsedMilliseconds) milliseconds")
        case .handshakeTimedOut:
            CurlFailure(exitCode: 28, message: "SSL connection timeout")
        case .closedDuringHandshake:
            CurlFailure(
                exitCode: 35,
                message: "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to \(host):\(port) "
            )
        case .resetDuringHandshake:
            CurlFailure(
                exitCode: 35,
                message: "Recv failure: Connection reset by peer"
            )
        case .handshakeFailed(.handshakeFailed(let verification?, _)):
            verification == "hostname mismatch"
                ? CurlFailure(
                    exitCode: 60,
                    message: "SSL: no alternative certificate subject name matches target host name '\(host)'"
                )
                : CurlFailure(exitCode: 60, message: "SSL certificate problem: \(verification)")
        case .handshakeFailed(let failure):
            CurlFailure(exitCode: 35, message: "OpenSSL SSL_connect: \(failure)")
        case .readTimedOut:
            CurlFailure(exitCode: 28, message: "Operation timed out after \(elapsedMilliseconds) milliseconds")
        case .reset:
            CurlFailure(exitCode: 56, message: "Recv failure: Connection reset by peer")
        case .tlsFailed(let failure):
            CurlFailure(exitCode: 56, message: "OpenSSL SSL_read: \(failure)")
        case .notWritable:
            CurlFailure(exitCode: 55, message: "Send failure: Broken pipe")
        case .ioFailed(let reason):
            CurlFailure(exitCode: 56, message: "Recv failure: \(reason)")
        }
    }
}
