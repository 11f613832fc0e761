/// How a test client does TLS.
public struct ClientTLSOptions: Sendable {
    /// The SNI to send (nil: none).
    public var serverName: String?
    /// The name the certificate must match; nil checks `serverName`.
    public var verifyName: String?
    /// ALPN protocols to offer, in order.
    public var alpn: [String]
    /// The roots to trust, e.g. the scenario CA.
    public var trustedRoots: [Certificate]
    /// When false, any certificate is accepted (`curl -k`).
    public var verifiesPeer: Bool

    public init(
        serverName: String?,
        verifyName: String? = nil,
        alpn: [String] = [],
        trustedRoots: [Certificate],
        verifiesPeer: Bool = true
    ) {
        self.serverName = serverName
        self.verifyName = verifyName
        self.alpn = alpn
        self.trustedRoots = trustedRoots
        self.verifiesPeer = verifiesPeer
    }
}

/// What a completed client handshake negotiated.
public struct NegotiatedTLS: Sendable {
    /// `TLSv1.3`.
    public var protocolVersion: String
    /// `TLS_AES_256_GCM_SHA384`.
    public var cipher: String?
    public var alpn: String?
    /// The server's leaf certificate.
    public var peerCertificate: Certificate?
}
