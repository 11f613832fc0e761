import Foundation
import NIOCore
import Testing

@testable import TestWorld

@Suite struct FakeUpstreamTests {
    let authority: CertificateAuthority
    init() throws { authority = try CertificateAuthority() }

    private func tlsOptions(_ name: String, alpn: [String] = []) -> ClientTLSOptions {
        ClientTLSOptions(serverName: name, alpn: alpn, trustedRoots: [authority.certificate])
    }

    @Test func tlsEchoReturnsBytesAndBothSidesRecordTheSameCiphertext() async throws {
        let identity = try authority.issueServerCertificate(dnsNames: ["echo.test"])
        let upstream = try await FakeUpstream.start(name: "echo", host: "127.0.0.2", tls: identity, behavior: .echo)
        let client = try await ClientConnection.connect(
            to: upstream.address,
            tls: tlsOptions("echo.test", alpn: ["h2", "http/1.1"])
        )
        try await client.send(Array("hello".utf8))
        #expect(try await client.read(deadline: .now() + .seconds(5)) == Array("hello".utf8))
        try await client.closeOutput()
        #expect(try await client.readToEnd(deadline: .now() + .seconds(5)) == [])
        await client.close()
        #expect(await upstream.waitUntilNoOpenConnections())

        let seen = try #require(upstream.connections.first)
        let mine = await client.captured
        #expect(seen.serverName == "echo.test")
        #expect(seen.offeredALPN == ["h2", "http/1.1"])
        #expect(seen.negotiatedALPN == "http/1.1")
        #expect(seen.read.digest == mine.written.digest && seen.read.count == mine.written.count)
        #expect(seen.written.digest == mine.read.digest && seen.written.count == mine.read.count)
        #expect(upstream.counts == UpstreamConnectionCounts(accepted: 1, open: 0, closed: 1))
        await upstream.stop()
    }

    @Test func tcpEchoFinishesWritingAfterTheClientHalfCloses() async throws {
        let upstream = try await FakeUpstream.start(name: "echo", behavior: .echo)
        let client = try await ClientConnection.connect(to: upstream.address)
        try await client.send(Array("half".utf8))
        try await client.closeOutput()
        #expect(try await client.readToEnd(deadline: .now() + .seconds(5)) == Array("half".utf8))
        await client.close()
        await upstream.stop()
    }

    @Test func aNonLoopbackAddressIsRefusedWithAClearError() async throws {
        let error = await #expect(throws: AddressError.self) {
            try await FakeUpstream.start(name: "x", host: "10.0.0.1", port: 443, behavior: .sink)
        }
        #expect(
            error?.description
                == "10.0.0.1:443 is not a loopback address: the harness only talks to 127.0.0.0/8 and ::1"
        )
    }
}

/// A TLS client no one here wrote talks to the HTTPS responder (`-ign_eof`: s_client reads until the server
/// closes, which `Connection: close` makes deterministic).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs /usr/bin/openssl"))
struct OpenSSLClientInteropTests {
    @Test func opensslSClientGetsAnAnswerAndTheServerSeesItsSNIAndALPN() async throws {
        let authority = try CertificateAuthority()
        let directory = try TemporaryDirectory()
        let caFile = try directory.write("ca.pem", authority.certificate.pem)
        let upstream = try await FakeUpstream.start(
            name: "web",
            host: "127.0.0.3",
            tls: authority.issueServerCertificate(dnsNames: ["echo.test"]),
            behavior: .http(HTTPResponder(body: "pong"))
        )
        let port = try #require(upstream.address.port)
        let result = try await RealCurl.run(
            [
                "s_client", "-connect", "127.0.0.3:\(port)", "-servername", "echo.test", "-CAfile", caFile,
                "-verify_return_error", "-alpn", "http/1.1", "-quiet", "-ign_eof",
            ],
            executable: "/usr/bin/openssl",
            input: "GET / HTTP/1.1\r\nHost: echo.test\r\nConnection: close\r\n\r\n"
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\npong")
        #expect(await upstream.waitUntilNoOpenConnections())
        #expect(upstream.connections.first?.serverName == "echo.test")
        #expect(upstream.connections.first?.negotiatedALPN == "http/1.1")
        await upstream.stop()
    }
}
