import NIOCore
import Testing

@testable import TestWorld

/// The curl-equivalent and the system curl run the same command lines against the same fake upstream; the
/// results must agree.
@Suite(.enabled(if: RealCurl.isInstalled, "needs /usr/bin/curl (Debian package curl)"))
struct CurlAgainstRealCurlTests {
    let authority: CertificateAuthority
    let directory: TemporaryDirectory
    let caFile: String

    init() throws {
        authority = try CertificateAuthority()
        directory = try TemporaryDirectory()
        caFile = try directory.write("ca.pem", authority.certificate.pem)
    }

    private func upstream(_ responder: HTTPResponder, alpn: [String] = ["http/1.1"]) async throws -> FakeUpstream {
        try await FakeUpstream.start(
            name: "google",
            host: "127.0.10.1",
            tls: authority.issueServerCertificate(dnsNames: ["www.google.com"]),
            alpn: alpn,
            behavior: .http(responder)
        )
    }

    private func both(_ arguments: String, environment: [String: String]) async throws -> (CurlResult, RealCurl) {
        let ours = try await CurlClient(trustedRoots: [authority.certificate]).run(
            "curl " + arguments,
            environment: environment
        )
        let words = try ShellWords.split(arguments, environment: environment)
        let theirs = try await RealCurl.run(words)
        return (ours, theirs)
    }

    @Test func theSeedRequestGetsTheSameStatusBodyAndServerSideOffer() async throws {
        let google = try await upstream(HTTPResponder(body: "<html><head><title>Google</title></head></html>"))
        let port = try #require(google.address.port)
        let environment = ["SECURE_INGRESS_PORT": "\(port)", "INGRESS_HOST": "127.0.10.1"]
        let (ours, theirs) = try await both(
            "-s --cacert \(caFile) --resolve www.google.com:$SECURE_INGRESS_PORT:$INGRESS_HOST "
                + "https://www.google.com:$SECURE_INGRESS_PORT",
            environment: environment
        )
        #expect(ours.exitCode == 0 && theirs.exitCode == 0, "\(ours.stderr) / \(theirs.stderr)")
        #expect(ours.bodyText == theirs.stdout)
        #expect(String(decoding: ours.stdout, as: UTF8.self) == theirs.stdout)
        #expect(ours.peerCertificateSubject == "CN=www.google.com")
        #expect(await google.waitUntilNoOpenConnections())
        let connections = google.connections
        try #require(connections.count == 2)
        #expect(connections[0].serverName == "www.google.com" && connections[1].serverName == "www.google.com")
        #expect(connections[0].offeredALPN == connections[1].offeredALPN)
        #expect(connections[0].negotiatedALPN == connections[1].negotiatedALPN)
        #expect(connections[0].read.digest == ours.read.digest || connections[0].read.digest == ours.written.digest)
        await google.stop()
    }

    @Test func anEchoedRequestIsByteForByteTheSame() async throws {
        let echo = try await upstream(HTTPResponder(echoesRequest: true))
        let port = try #require(echo.address.port)
        let (ours, theirs) = try await both(
            "-s --cacert \(caFile) --resolve www.google.com:\(port):127.0.10.1 -H 'X-Test: a b' -d 'k=v' -X PUT "
                + "https://www.google.com:\(port)/path?q=1",
            environment: [:]
        )
        #expect(ours.exitCode == 0 && theirs.exitCode == 0, "\(ours.stderr) / \(theirs.stderr)")
        #expect(ours.bodyText == theirs.stdout)
        await echo.stop()
    }

    @Test func aRefusedConnectionIsExit7InBoth() async throws {
        let google = try await upstream(HTTPResponder(), alpn: ["http/1.1"])
        let port = try #require(google.address.port)
        try await google.setFault(.refuse)
        let (ours, theirs) = try await both(
            "-sS --cacert \(caFile) --resolve www.google.com:\(port):127.0.10.1 https://www.google.com:\(port)",
            environment: [:]
        )
        #expect(ours.exitCode == 7 && theirs.exitCode == 7)
        #expect(ours.stderr.replacing(/after \d+ ms/, with: "") == theirs.stderr.replacing(/after \d+ ms/, with: ""))
        await google.stop()
    }

    @Test func aWrongNameIsExit60InBoth() async throws {
        let google = try await upstream(HTTPResponder())
        let port = try #require(google.address.port)
        let (ours, theirs) = try await both(
            "-sS --cacert \(caFile) --resolve evil.example:\(port):127.0.10.1 https://evil.example:\(port)",
            environment: [:]
        )
        #expect(ours.exitCode == 60 && theirs.exitCode == 60)
        #expect(ours.serverName == "evil.example")
        #expect(ours.stderr == theirs.stderr)
        await google.stop()
    }

    @Test(arguments: [
        UpstreamFault.resetAfterReading(bytes: 1), .closeAfterReading(bytes: 0), .closeAfterHandshake,
        .closeAfterReading(bytes: 1),
    ])
    func faultsGiveTheSameExitCodeAsCurl(fault: UpstreamFault) async throws {
        let google = try await upstream(HTTPResponder())
        let port = try #require(google.address.port)
        try await google.setFault(fault)
        let (ours, theirs) = try await both(
            "-sS --max-time 5 --cacert \(caFile) --resolve www.google.com:\(port):127.0.10.1 https://www.google.com:\(port)",
            environment: [:]
        )
        // A server that closes with the request unread sends FIN or RST depending on timing, so a client
        // sees an empty reply (52) or a receive failure (56): the two clients agree up to that race.
        func outcome(_ code: Int32) -> Int32 { code == 56 ? 52 : code }
        #expect(
            outcome(ours.exitCode) == outcome(theirs.exitCode),
            "\(fault): ours \(ours.exitCode) \(ours.stderr) / curl \(theirs.exitCode) \(theirs.stderr)"
        )
        await google.stop()
    }
}
