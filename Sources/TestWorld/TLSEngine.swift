import COpenSSL

/// A configured OpenSSL `SSL_CTX`: the settings shared by every connection of one endpoint.
public final class TLSContext: @unchecked Sendable {
    // The SSL_CTX is fully configured in init and only read afterwards (SSL_new), which OpenSSL allows
    // from any thread.
    let pointer: OpaquePointer
    private let alpn: ALPNSelection?

    /// A server context presenting `identity`, choosing from `alpn` (in server preference order) when the
    /// client offers ALPN.
    public init(server identity: TLSIdentity, alpn: [String] = []) throws(OpenSSLError) {
        pointer = try requireNonNil(SSL_CTX_new(TLS_server_method()), "create server SSL_CTX")
        self.alpn = alpn.isEmpty ? nil : ALPNSelection(protocols: alpn)
        try requireSuccess(SSL_CTX_use_certificate(pointer, identity.certificate.pointer), "use certificate")
        try requireSuccess(SSL_CTX_use_PrivateKey(pointer, identity.key.pointer), "use private key")
        try requireSuccess(SSL_CTX_check_private_key(pointer), "check private key")
        for certificate in identity.chain {
            try requireSuccess(COpenSSL_SSL_CTX_add1_chain_cert(pointer, certificate.pointer), "add chain certificate")
        }
        if let alpn = self.alpn {
            SSL_CTX_set_alpn_select_cb(pointer, ALPNSelection.callback, Unmanaged.passUnretained(alpn).toOpaque())
        }
        SSL_CTX_set_client_hello_cb(pointer, ClientHelloObserver.callback, nil)
    }

    /// A client context that trusts `trustedRoots` and, when `verifyPeer` is set, refuses a peer whose
    /// chain or name does not verify (as curl does without `-k`).
    public init(clientTrusting trustedRoots: [Certificate], verifyPeer: Bool = true) throws(OpenSSLError) {
        pointer = try requireNonNil(SSL_CTX_new(TLS_client_method()), "create client SSL_CTX")
        alpn = nil
        let store = SSL_CTX_get_cert_store(pointer)
        for root in trustedRoots {
            try requireSuccess(X509_STORE_add_cert(store, root.pointer), "trust root \(root.subject)")
        }
        SSL_CTX_set_verify(pointer, verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
    }

    deinit { SSL_CTX_free(pointer) }
}

/// The server's ALPN preference list, handed to OpenSSL's selection callback through its `arg` pointer.
private final class ALPNSelection {
    /// The list in wire format: length-prefixed names.
    let wire: [UInt8]

    init(protocols: [String]) {
        wire = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    static let callback:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
            UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
        ) -> Int32 = { _, out, outLength, offered, offeredLength, argument in
            guard let argument, let out, let outLength else { return SSL_TLSEXT_ERR_NOACK }
            let selection = Unmanaged<ALPNSelection>.fromOpaque(argument).takeUnretainedValue()
            // The server's list must outlive the handshake: `wire` lives as long as the context.
            return selection.wire.withUnsafeBufferPointer { server in
                var chosen: UnsafeMutablePointer<UInt8>?
                let result = SSL_select_next_proto(
                    &chosen,
                    outLength,
                    server.baseAddress,
                    UInt32(server.count),
                    offered,
                    offeredLength
                )
                guard result == OPENSSL_NPN_NEGOTIATED, let chosen else { return SSL_TLSEXT_ERR_ALERT_FATAL }
                out.pointee = UnsafePointer(chosen)
                return SSL_TLSEXT_ERR_OK
            }
        }
}

/// Records what a client offered (SNI, ALPN) on the server engine handling its ClientHello, before any
/// verdict, so a server sees the offer even when the handshake later fails.
private enum ClientHelloObserver {
    static let callback:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32 =
            { ssl, _, _ in
                guard let ssl, let engine = SSL_get_ex_data(ssl, 0) else { return SSL_CLIENT_HELLO_SUCCESS }
                let observed = Unmanaged<TLSEngine>.fromOpaque(engine).takeUnretainedValue()
                observed.offeredServerName = extensionBytes(ssl, type: 0).flatMap(ClientHelloExtensions.serverName)
                observed.offeredALPN = extensionBytes(ssl, type: 16).map(ClientHelloExtensions.alpnProtocols) ?? []
                return SSL_CLIENT_HELLO_SUCCESS
            }

    private static func extensionBytes(_ ssl: OpaquePointer, type: UInt32) -> [UInt8]? {
        var data: UnsafePointer<UInt8>?
        var length = 0
        guard SSL_client_hello_get0_ext(ssl, type, &data, &length) == 1, let data else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}

/// Decoders for the ClientHello extension bodies a server records.
enum ClientHelloExtensions {
    /// The host name in a server_name extension body (RFC 6066 §3), if well-formed.
    static func serverName(_ body: [UInt8]) -> String? {
        guard body.count >= 5, body[2] == 0 else { return nil }
        let length = Int(body[3]) << 8 | Int(body[4])
        guard body.count >= 5 + length else { return nil }
        return String(decoding: body[5..<(5 + length)], as: UTF8.self)
    }

    /// The protocol names in an ALPN extension body (RFC 7301 §3.1); stops at the first malformed entry.
    static func alpnProtocols(_ body: [UInt8]) -> [String] {
        var protocols: [String] = []
        var index = 2
        while index < body.count {
            let length = Int(body[index])
            guard length > 0, index + 1 + length <= body.count else { break }
            protocols.append(String(decoding: body[(index + 1)..<(index + 1 + length)], as: UTF8.self))
            index += 1 + length
        }
        return protocols
    }
}

/// One TLS connection driven over memory BIOs: ciphertext in and out as bytes, plaintext in and out as
/// bytes. It does no I/O, so it runs over any transport (a blocking socket, a NIO channel, or another
/// engine in the same test).
public final class TLSEngine {
    private let ssl: OpaquePointer
    /// Ciphertext from the network, read by OpenSSL.
    private let networkIn: OpaquePointer
    /// Ciphertext from OpenSSL, to send to the network.
    private let networkOut: OpaquePointer
    private let context: TLSContext

    /// On a server: the SNI the client's ClientHello carried (nil: none, or no ClientHello yet).
    public internal(set) var offeredServerName: String?
    /// On a server: the ALPN protocols the client offered, in its order.
    public internal(set) var offeredALPN: [String] = []

    /// The handshake's progress.
    public enum HandshakeState: Equatable, Sendable {
        /// OpenSSL needs more ciphertext from the peer (after sending what `takeOutput()` returns).
        case needsMoreInput
        case complete
    }

    /// A client engine that sends `serverName` as SNI (nil: no SNI) and verifies the peer's name as
    /// `verifyName` (defaults to `serverName`), offering `alpn`.
    public init(
        client context: TLSContext,
        serverName: String?,
        verifyName: String? = nil,
        alpn: [String] = []
    )
        throws(OpenSSLError)
    {
        (ssl, networkIn, networkOut) = try Self.makeSSL(context)
        self.context = context
        SSL_set_connect_state(ssl)
        if let serverName {
            try requireSuccess(COpenSSL_SSL_set_tlsext_host_name(ssl, serverName), "set SNI \(serverName)")
        }
        if let name = verifyName ?? serverName {
            let parameters = SSL_get0_param(ssl)
            let isIP = name.contains(":") || name.split(separator: ".").allSatisfy { UInt8($0) != nil }
            if isIP {
                try requireSuccess(X509_VERIFY_PARAM_set1_ip_asc(parameters, name), "verify IP \(name)")
            } else {
                try requireSuccess(SSL_set1_host(ssl, name), "verify host \(name)")
            }
        }
        if !alpn.isEmpty {
            let wire = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            // SSL_set_alpn_protos returns 0 on success, unlike almost everything else.
            guard SSL_set_alpn_protos(ssl, wire, UInt32(wire.count)) == 0 else {
                throw .drainingQueue("set ALPN \(alpn)")
            }
        }
    }

    /// A server engine for `context`.
    public init(server context: TLSContext) throws(OpenSSLError) {
        (ssl, networkIn, networkOut) = try Self.makeSSL(context)
        self.context = context
        SSL_set_accept_state(ssl)
        // Lets the ClientHello callback find this engine; the SSL never outlives it.
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    private static func makeSSL(
        _ context: TLSContext
    ) throws(OpenSSLError) -> (OpaquePointer, OpaquePointer, OpaquePointer) {
        let ssl = try requireNonNil(SSL_new(context.pointer), "create SSL")
        guard let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .drainingQueue("allocate memory BIOs")
        }
        // An empty input BIO means "retry later", not end of stream.
        _ = COpenSSL_BIO_set_mem_eof_return(networkIn, -1)
        SSL_set_bio(ssl, networkIn, networkOut)  // the SSL now owns both BIOs
        return (ssl, networkIn, networkOut)
    }

    deinit { SSL_free(ssl) }

    // MARK: - Ciphertext

    /// Hands ciphertext received from the peer to OpenSSL.
    public func feed<Bytes: Collection<UInt8>>(_ ciphertext: Bytes) {
        guard !ciphertext.isEmpty else { return }
        let written =
            ciphertext.withContiguousStorageIfAvailable { buffer in
                BIO_write(networkIn, buffer.baseAddress, Int32(buffer.count))
            } ?? Array(ciphertext).withUnsafeBufferPointer { BIO_write(networkIn, $0.baseAddress, Int32($0.count)) }
        // A memory BIO grows as needed; a short write would mean out of memory.
        precondition(Int(written) == ciphertext.count, "memory BIO refused \(ciphertext.count) bytes")
    }

    /// Takes the ciphertext OpenSSL has produced for the peer.
    public func takeOutput() -> [UInt8] {
        let pending = BIO_ctrl_pending(networkOut)
        guard pending > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: pending) { buffer, count in
            count = Int(max(0, BIO_read(networkOut, buffer.baseAddress, Int32(pending))))
        }
    }

    // MARK: - Handshake and application data

    /// Advances the handshake with whatever ciphertext has been fed.
    public func handshake() throws(TLSEngineError) -> HandshakeState {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .complete }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .needsMoreInput
        case SSL_ERROR_ZERO_RETURN: throw .closedDuringHandshake
        default: throw .handshakeFailed(verification: verificationFailure, OpenSSLError.drainErrorQueue())
        }
    }

    /// Encrypts `plaintext`; the records appear in `takeOutput()`.
    public func write(_ plaintext: [UInt8]) throws(TLSEngineError) {
        guard !plaintext.isEmpty else { return }
        let result = SSL_write(ssl, plaintext, Int32(plaintext.count))
        guard result > 0 else { throw .writeFailed(OpenSSLError.drainErrorQueue()) }
    }

    /// What reading plaintext produced.
    public enum ReadResult: Equatable, Sendable {
        /// Plaintext (possibly empty when OpenSSL needs more ciphertext).
        case data([UInt8])
        /// The peer sent close_notify.
        case closed
    }

    /// Decrypts whatever complete records have been fed.
    public func read() throws(TLSEngineError) -> ReadResult {
        var plaintext: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let result = SSL_read(ssl, &chunk, Int32(chunk.count))
            if result > 0 {
                plaintext.append(contentsOf: chunk[..<Int(result)])
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .data(plaintext)
            case SSL_ERROR_ZERO_RETURN: return plaintext.isEmpty ? .closed : .data(plaintext)
            default: throw .readFailed(OpenSSLError.drainErrorQueue())
            }
        }
    }

    /// Sends close_notify (its record appears in `takeOutput()`).
    public func shutdown() {
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    // MARK: - What was negotiated

    /// The negotiated protocol version, e.g. `TLSv1.3`.
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`.
    public var cipher: String? { SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } }

    /// The SNI: on a server, the name the client sent; on a client, the name it set.
    public var serverName: String? {
        SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)).map { String(cString: $0) }
    }

    /// The ALPN protocol the server selected, if any.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The peer's leaf certificate, if it sent one.
    public var peerCertificate: Certificate? {
        SSL_get1_peer_certificate(ssl).map(Certificate.init(taking:))
    }

    /// Why certificate verification failed (`hostname mismatch`, `certificate has expired`, ...), or nil.
    public var verificationFailure: String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return String(cString: X509_verify_cert_error_string(result))
    }
}

/// A TLS connection failed; the message says how, in OpenSSL's words.
public enum TLSEngineError: Error, Hashable, CustomStringConvertible {
    /// The handshake failed; `verification` is set when the peer's certificate did not verify.
    case handshakeFailed(verification: String?, [String])
    /// The peer closed the connection before the handshake completed.
    case closedDuringHandshake
    case writeFailed([String])
    case readFailed([String])

    public var description: String {
        switch self {
        case .handshakeFailed(let verification?, _): "TLS handshake failed: certificate verify failed: \(verification)"
        case .handshakeFailed(nil, let reasons): "TLS handshake failed: \(reasons.joined(separator: "; "))"
        case .closedDuringHandshake: "TLS handshake failed: peer closed the connection"
        case .writeFailed(let reasons): "TLS write failed: \(reasons.joined(separator: "; "))"
        case .readFailed(let reasons): "TLS read failed: \(reasons.joined(separator: "; "))"
        }
    }
}
