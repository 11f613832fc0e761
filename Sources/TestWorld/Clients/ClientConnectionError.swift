/// Why a test client's connection failed.
public enum ClientConnectionError: Error, Hashable, CustomStringConvertible {
    /// Nothing listens there (ECONNREFUSED).
    case refused(address: String)
    /// The TCP connect did not finish in time.
    case connectTimedOut(address: String)
    /// The TCP connect failed for another reason.
    case connectFailed(address: String, reason: String)
    /// The TLS handshake did not finish in time.
    case handshakeTimedOut
    /// The peer closed the connection during the TLS handshake.
    case closedDuringHandshake
    /// The peer reset the connection during the TLS handshake.
    case resetDuringHandshake
    /// The TLS handshake failed (certificate verification or protocol error).
    case handshakeFailed(TLSEngineError)
    /// A read did not complete in time.
    case readTimedOut
    /// The peer reset the connection (ECONNRESET).
    case reset
    /// TLS failed after the handshake (bad record, write error).
    case tlsFailed(TLSEngineError)
    /// The connection is closed (or its output is), so bytes cannot be sent.
    case notWritable
    /// Another I/O error.
    case ioFailed(String)

    public var description: String {
        switch self {
        case .refused(let address): "connection to \(address) refused"
        case .connectTimedOut(let address): "connecting to \(address) timed out"
        case .connectFailed(let address, let reason): "connecting to \(address) failed: \(reason)"
        case .handshakeTimedOut: "TLS handshake timed out"
        case .closedDuringHandshake: "the peer closed the connection during the TLS handshake"
        case .resetDuringHandshake: "the peer reset the connection during the TLS handshake"
        case .handshakeFailed(let error): error.description
        case .readTimedOut: "reading timed out"
        case .reset: "connection reset by peer"
        case .tlsFailed(let error): error.description
        case .notWritable: "the connection is closed for writing"
        case .ioFailed(let reason): "I/O failed: \(reason)"
        }
    }
}
