import Testing

@testable import TestWorld

/// Runs a handshake between two engines over memory, moving ciphertext both ways until both finish or one
/// fails. Bounded: a handshake that needs more than 20 flights is a bug.
private func handshake(
    client: TLSEngine,
    server: TLSEngine
) throws -> (client: TLSEngine.HandshakeState, server: TLSEngine.HandshakeState) {
    var clientState = TLSEngine.HandshakeState.needsMoreInput
    var serverState = TLSEngine.HandshakeState.needsMoreInput
    for _ in 0..<20 where clientState != .complete || serverState != .complete {
        clientState = try client.handshake()
        server.feed(client.takeOutput())
        serverState = try server.handshake()
        client.feed(server.takeOutput())
    }
    return (clientState, serverState)
}

@Suite struct TLSEngineTests {
    let authority: CertificateAuthority
    init() throws { authority = try CertificateAuthority() }

    @Test(arguments: PrivateKey.Algorithm.allCases)
    func tls13HandshakeOverMemoryCarriesSNIAndVerifiesTheMintedCertificate(algorithm: PrivateKey.Algorithm) throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["www.google.com"], algorithm: algorithm)
        let server = try TLSEngine(server: TLSContext(server: identity, alpn: ["h2", "http/1.1"]))
        let client = try TLSEngine(
            client: TLSContext(clientTrusting: [authority.certificate]),
            serverName: "www.google.com",
            alpn: ["http/1.1"]
        )

        let states = try handshake(client: client, server: server)

        #expect(states.client == .complete && states.server == .complete)
        #expect(client.protocolVersion == "TLSv1.3")
        #expect(server.serverName == "www.google.com")
        #expect(client.verificationFailure == nil)
        #expect(client.peerCertificate?.subject == "CN=www.google.com")
        #expect(client.peerCertificate?.issuer == "CN=FrontProxy Test CA")
        #expect(client.negotiatedALPN == "http/1.1")

        try client.write(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        server.feed(client.takeOutput())
        #expect(try server.read() == .data(Array("GET / HTTP/1.1\r\n\r\n".utf8)))
        server.shutdown()
        client.feed(server.takeOutput())
        #expect(try client.read() == .closed)
    }

    @Test func wildcardCertificateCoversASubdomain() throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["*.example.com"])
        let server = try TLSEngine(server: TLSContext(server: identity))
        let client = try TLSEngine(
            client: TLSContext(clientTrusting: [authority.certificate]),
            serverName: "api.example.com"
        )
        #expect(try handshake(client: client, server: server).client == .complete)
    }

    @Test func aWrongNameFailsVerificationWithOpenSSLsReason() throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["www.google.com"])
        let server = try TLSEngine(server: TLSContext(server: identity))
        let client = try TLSEngine(
            client: TLSContext(clientTrusting: [authority.certificate]),
            serverName: "evil.example"
        )
        let error = #expect(throws: TLSEngineError.self) { try handshake(client: client, server: server) }
        #expect(error?.description.contains("hostname mismatch") == true)
    }

    @Test func anUntrustedCAFailsVerification() throws {
        let stranger = try CertificateAuthority(commonName: "Someone Else")
        let identity = try stranger.issueServerCertificate(dnsNames: ["www.google.com"])
        let server = try TLSEngine(server: TLSContext(server: identity))
        let client = try TLSEngine(
            client: TLSContext(clientTrusting: [authority.certificate]),
            serverName: "www.google.com"
        )
        let error = #expect(throws: TLSEngineError.self) { try handshake(client: client, server: server) }
        #expect(error?.description.contains("unable to get local issuer certificate") == true)
    }

    @Test func anExpiredCertificateFailsVerification() throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["www.google.com"], validity: .expired)
        let server = try TLSEngine(server: TLSContext(server: identity))
        let client = try TLSEngine(
            client: TLSContext(clientTrusting: [authority.certificate]),
            serverName: "www.google.com"
        )
        let error = #expect(throws: TLSEngineError.self) { try handshake(client: client, server: server) }
        #expect(error?.description.contains("certificate has expired") == true)
    }

    @Test func pemExportsAreWellFormed() throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["www.google.com"], ipAddresses: ["127.0.0.1"])
        #expect(try identity.certificate.pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(try identity.key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }
}
