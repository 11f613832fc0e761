import NIOCore
import Testing

@testable import TestWorld

/// The curl-equivalent against the fake upstreams over real loopback sockets.
@Suite struct CurlClientTests {
    let authority: CertificateAuthority
    let curl: CurlClient

    init() throws {
        authority = try CertificateAuthority()
        curl = CurlClient(trustedRoots: [authority.certificate])
    }

    private func https(
        _ validity: Validity = .standard,
        by issuer: CertificateAuthority? = nil,
        fault: UpstreamFault? = nil
    ) async throws -> FakeUpstream {
        try await FakeUpstream.start(
            name: "google",
            host: "127.0.10.1",
            tls: (issuer ?? authority).issueServerCertificate(dnsNames: ["www.google.com"], validity: validity),
            behavior: .http(HTTPResponder(body: "<title>Google</title>")),
            fault: fault
        )
    }

    private func get(
        _ upstream: FakeUpstream,
        host: String = "www.google.com",
        options: String = ""
    ) async throws
        -> CurlResult
    {
        let port = try #require(upstream.address.port)
        return try await curl.run("curl -s \(options) --resolve \(host):\(port):127.0.10.1 https://\(host):\(port)/")
    }

    @Test func aVerifiedHandshakeReturnsTheBodyAndTheCertificateSubject() async throws {
        let upstream = try await https()
        let result = try await get(upstream)
        #expect(result.exitCode == 0)
        #expect(result.status == 200)
        #expect(result.bodyText == "<title>Google</title>")
        #expect(result.peerCertificateSubject == "CN=www.google.com")
        #expect(result.negotiatedALPN == "http/1.1")
        #expect(result.serverName == "www.google.com")
        await upstream.stop()
    }

    @Test func everyRawByteTheClientWroteIsWhatTheServerReadAndBack() async throws {
        let upstream = try await https()
        let result = try await get(upstream)
        #expect(await upstream.waitUntilNoOpenConnections())
        let seen = try #require(upstream.connections.first)
        #expect(seen.read.count == result.written.count && seen.read.digest == result.written.digest)
        #expect(seen.written.count == result.read.count && seen.written.digest == result.read.digest)
        #expect(seen.read.bytes.first == 0x16, "the capture starts with the ClientHello record")
        await upstream.stop()
    }

    @Test func anUntrustedCAIsExit60() async throws {
        let upstream = try await https(by: CertificateAuthority(commonName: "Someone Else"))
        let result = try await get(upstream)
        #expect(result.exitCode == 60)
        #expect(result.errorMessage == "SSL certificate problem: unable to get local issuer certificate")
        await upstream.stop()
    }

    @Test func aWrongNameIsExit60() async throws {
        let upstream = try await https()
        let result = try await get(upstream, host: "evil.example")
        #expect(result.exitCode == 60)
        #expect(result.errorMessage?.contains("'evil.example'") == true)
        #expect(await upstream.waitUntilNoOpenConnections())
        #expect(upstream.connections.first?.serverName == "evil.example")
        await upstream.stop()
    }

    @Test func anExpiredCertificateIsExit60() async throws {
        let upstream = try await https(.expired)
        let result = try await get(upstream)
        #expect(result.exitCode == 60)
        #expect(result.errorMessage == "SSL certificate problem: certificate has expired")
        await upstream.stop()
    }

    @Test func insecureSkipsVerification() async throws {
        let upstream = try await https(.expired)
        #expect(try await get(upstream, options: "-k").exitCode == 0)
        await upstream.stop()
    }

    @Test func aRefusingUpstreamIsExit7AndListensAgainWhenTheFaultClears() async throws {
        let upstream = try await https(fault: .refuse)
        #expect(try await get(upstream).exitCode == 7)
        try await upstream.setFault(nil)
        #expect(try await get(upstream).exitCode == 0)
        await upstream.stop()
    }

    @Test func aResetAfterTheRequestIsExit56() async throws {
        let upstream = try await FakeUpstream.start(
            name: "plain",
            behavior: .http(HTTPResponder()),
            fault: .resetAfterReading(bytes: 1)
        )
        let port = try #require(upstream.address.port)
        let result = try await curl.run("curl -s http://127.0.0.1:\(port)/")
        #expect(result.exitCode == 56)
        #expect(result.errorMessage == "Recv failure: Connection reset by peer")
        await upstream.stop()
    }

    @Test func aStallWithMaxTimeIsExit28() async throws {
        let upstream = try await https(fault: .stall)
        let result = try await get(upstream, options: "--max-time 0.2")
        #expect(result.exitCode == 28)
        await upstream.stop()
    }

    @Test func aCloseBeforeAnsweringIsExit52OnPlainHTTPAnd35DuringTLS() async throws {
        let plain = try await FakeUpstream.start(
            name: "plain",
            behavior: .http(HTTPResponder()),
            fault: .closeAfterReading(bytes: 1)
        )
        let port = try #require(plain.address.port)
        #expect(try await curl.run("curl -s http://localhost:\(port)/").exitCode == 52)
        await plain.stop()

        let tls = try await https(fault: .closeAfterReading(bytes: 1))
        #expect(try await get(tls).exitCode == 35)
        await tls.stop()
    }

    @Test func aDelayedResponseStillArrives() async throws {
        let upstream = try await https(fault: .delayResponse(.milliseconds(50)))
        let result = try await get(upstream)
        #expect(result.exitCode == 0 && result.bodyText == "<title>Google</title>")
        await upstream.stop()
    }

    @Test func verboseOutputShowsTheHandshakeLikeCurl() async throws {
        let upstream = try await https()
        let result = try await get(upstream, options: "-v")
        #expect(result.stderr.contains("*  subject: CN=www.google.com\n"))
        #expect(result.stderr.contains("*  SSL certificate verify ok.\n"))
        #expect(result.stderr.contains("> GET / HTTP/1.1\n> Host: www.google.com:"))
        #expect(result.stderr.contains("< HTTP/1.1 200 OK\n"))
        await upstream.stop()
    }

    @Test func headPrintsOnlyTheResponseHead() async throws {
        let upstream = try await https()
        let result = try await get(upstream, options: "-I")
        #expect(result.exitCode == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\n")
        await upstream.stop()
    }

    @Test func aSimulatedAddressIsReachedThroughTheAddressMap() async throws {
        let upstream = try await https()
        let map = AddressMap()
        try map.register(SimulatedAddress(parsing: "127.0.10.1:443"), at: upstream.address)
        let mapped = CurlClient(trustedRoots: [authority.certificate], addressMap: map)
        let result = try await mapped.run("curl -s --resolve www.google.com:443:127.0.10.1 https://www.google.com")
        #expect(result.exitCode == 0 && result.status == 200)
        await upstream.stop()
    }

    @Test func anUnknownNameWithoutAResolverIsExit6() async throws {
        let result = try await curl.run("curl -s https://www.google.com/")
        #expect(result.exitCode == 6)
        #expect(result.errorMessage == "Could not resolve host: www.google.com")
    }

    @Test func aNonLoopbackTargetIsRefusedBeforeAnyTraffic() async throws {
        let error = await #expect(throws: AddressError.self) {
            try await curl.run("curl -s --resolve www.google.com:443:10.0.0.1 https://www.google.com/")
        }
        #expect(error == .notLoopback("10.0.0.1:443"))
    }

    @Test func stopClosesEveryConnection() async throws {
        let upstream = try await https(fault: .stall)
        let client = try await ClientConnection.connect(to: upstream.address)
        try await client.send([1, 2, 3])
        await upstream.stop()
        #expect(upstream.counts.open == 0)
        #expect(!upstream.isListening)
        // The stalled server never read [1, 2, 3], so its close may be a FIN or, with unread bytes, a reset.
        do {
            #expect(try await client.readToEnd(deadline: .now() + .seconds(5)) == [])
        } catch ClientConnectionError.reset {
            // closed as well
        }
        await client.close()
    }
}
