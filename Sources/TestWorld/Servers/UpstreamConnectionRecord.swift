import NIOCore

/// What a fake upstream saw on one accepted connection.
public struct UpstreamConnectionRecord: Hashable, Sendable {
    /// 1 for the first connection the server accepted, then 2, 3, ...
    public var id: Int
    /// The client's address as the server saw it.
    public var remote: SocketAddress?
    /// The raw bytes read from the socket (ciphertext on a TLS server).
    public var read: CapturedBytes
    /// The raw bytes written to the socket.
    public var written: CapturedBytes
    /// The SNI in the client's ClientHello (TLS servers; nil without SNI or without a ClientHello).
    public var serverName: String?
    /// The ALPN protocols the client offered, in its order.
    public var offeredALPN: [String]
    /// The ALPN protocol the server chose.
    public var negotiatedALPN: String?
    /// Whether the TLS handshake completed.
    public var handshakeCompleted: Bool
    /// Why the TLS handshake or a later read failed, in OpenSSL's words.
    public var tlsFailure: String?
    /// The HTTP requests read (HTTP responder only; at most the first 1,000).
    public var requests: [HTTPRequest]
    /// Whether the connection is still open.
    public var isOpen: Bool
}

/// Connection counts of one fake upstream.
public struct UpstreamConnectionCounts: Hashable, Sendable {
    /// Connections accepted since start.
    public var accepted: Int
    /// Connections open now.
    public var open: Int
    /// Connections closed since start.
    public var closed: Int
}

/// The mutable record of one connection, kept under the server's lock.
final class UpstreamConnectionLog {
    static let requestLimit = 1000

    let id: Int
    let remote: SocketAddress?
    let read: ByteRecorder
    let written: ByteRecorder
    var serverName: String?
    var offeredALPN: [String] = []
    var negotiatedALPN: String?
    var handshakeCompleted = false
    var tlsFailure: String?
    var requests: [HTTPRequest] = []
    var isOpen = true

    init(id: Int, remote: SocketAddress?, captureCap: Int) {
        self.id = id
        self.remote = remote
        read = ByteRecorder(cap: captureCap)
        written = ByteRecorder(cap: captureCap)
    }

    var record: UpstreamConnectionRecord {
        UpstreamConnectionRecord(
            id: id,
            remote: remote,
            read: read.captured,
            written: written.captured,
            serverName: serverName,
            offeredALPN: offeredALPN,
            negotiatedALPN: negotiatedALPN,
            handshakeCompleted: handshakeCompleted,
            tlsFailure: tlsFailure,
            requests: requests,
            isOpen: isOpen
        )
    }
}
