import Foundation
import FrontProxy
import Harness
import NIOCore
import TestWorld
import Testing

/// Whether this process may bind port 443 (root, or unprivileged ports lowered): the seed's ServiceEntry
/// names port 443, so the real upstream must listen there.
private let canBindPort443: Bool = {
    let start =
        (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8))
        .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1024
    return geteuid() == 0 || start <= 443
}()

/// The seed page, step by step, with the real `frontproxy` binary and clients nobody here wrote: `curl`,
/// `openssl s_client`, `gnutls-cli` and python3's `ssl`, against `openssl s_server` on 127.0.10.1:443,
/// with a stub DNS server on loopback answering for www.google.com.
@Suite(.serialized, .enabled(if: canBindPort443, "needs to bind 127.0.10.1:443 for the upstream"))
struct ServeEndToEndTests {
    let directory: String
    let authority: CertificateAuthority
    let caFile: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        authority = try CertificateAuthority()
        caFile = directory + "/ca.pem"
        try authority.certificate.pem.write(toFile: caFile, atomically: true, encoding: .utf8)
    }

    /// The `frontproxy` executable built next to the test bundle.
    static let frontproxy: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("frontproxy").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return here.appendingPathComponent("frontproxy").path
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/front-proxy").path

    /// Starts `openssl s_server -www` for www.google.com on 127.0.10.1:443.
    private func startUpstream() async throws -> ChildProcess {
        let identity = try authority.issueServerCertificate(dnsNames: ["www.google.com"])
        try identity.certificate.pem.write(toFile: directory + "/google.pem", atomically: true, encoding: .utf8)
        try identity.key.pem.write(toFile: directory + "/google.key", atomically: true, encoding: .utf8)
        let server = try ChildProcess(
            "/usr/bin/openssl",
            [
                "s_server", "-accept", "127.0.10.1:443", "-cert", directory + "/google.pem", "-key",
                directory + "/google.key", "-www", "-quiet",
            ]
        )
        // s_server prints nothing with -quiet and serves one connection at a time: wait until the port is
        // bound, without connecting to it.
        for _ in 0..<500 {
            let google = EndpointAddress("127.0.10.1:443")
            if SocketInventory.machineTCPSockets().contains(where: { $0.isListening && $0.local == google }) {
                return server
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("openssl s_server did not start: \(server.standardError)")
        return server
    }

    /// Starts `frontproxy serve` with no configuration, on ephemeral ports.
    private func startProxy(dns: StubDNSServer) async throws -> (ChildProcess, admin: String) {
        let proxy = try ChildProcess(
            Self.frontproxy,
            [
                "serve", "--listen", "443=127.0.0.1:0", "--dns-server",
                "127.0.0.1:\(dns.port)", "--admin", "127.0.0.1:0", "--access-log", directory + "/access.log",
                "--telemetry-log", directory + "/telemetry.log", "--drain-time", "1",
            ]
        )
        #expect(await proxy.waitForOutput(containing: "admin API on http://"), "\(proxy.standardError)")
        let admin = try #require(
            proxy.standardError.split(separator: "\n").first { $0.contains("admin API on http://") }?
                .split(separator: "http://").last.map(String.init)
        )
        return (proxy, admin)
    }

    private func frontproxy(_ arguments: [String]) async throws -> (status: Int32?, output: String, error: String) {
        try await ChildProcess.run(Self.frontproxy, arguments)
    }

    /// The port gateway port 443 listens on, from the admin API's `/listeners`.
    private func gatewayPort(admin: String) async throws -> Int? {
        let (_, output, _) = try await ChildProcess.run("/usr/bin/curl", ["-s", "http://\(admin)/listeners"])
        return output.split(separator: "\n").first { $0.hasPrefix("0.0.0.0_443::") }
            .flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
    }

    /// The file's text once it has at least `lines` lines, or what it has after 5 s.
    static func contents(of path: String, lines: Int) async -> String {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if text.split(separator: "\n").count >= lines || ContinuousClock.now > deadline { return text }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func theSeedPageWorksStepByStepWithRealClients() async throws {
        let dns = try await StubDNSServer.start()
        try dns.setRecords([.a("127.0.10.1", ttl: 30)], for: "www.google.com")
        let upstream = try await startUpstream()
        let (proxy, admin) = try await startProxy(dns: dns)

        // 1-3: kubectl apply the Gateway, the VirtualService and the ServiceEntry.
        for (file, line) in [
            ("gateway.yaml", "gateway.networking.istio.io/front-proxy created"),
            ("virtualservice.yaml", "virtualservice.networking.istio.io/front-proxy created"),
            ("serviceentry.yaml", "serviceentry.networking.istio.io/google created"),
        ] {
            let result = try await frontproxy(["apply", "-f", Self.fixtures + "/" + file, "--admin", admin])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output == line + "\n")
        }
        let port = try #require(try await gatewayPort(admin: admin))

        // 5: curl through the gateway with --resolve; the upstream's certificate verifies.
        let curl = try await ChildProcess.run(
            "/usr/bin/curl",
            [
                "-s", "-v", "--cacert", caFile, "--resolve", "www.google.com:\(port):127.0.0.1",
                "https://www.google.com:\(port)/",
            ]
        )
        #expect(curl.status == 0, "\(curl.error)")
        #expect(curl.output.contains("Ciphers supported in s_server binary"), "the upstream's page")
        #expect(curl.error.contains("subject: CN=www.google.com"))
        #expect(curl.error.contains("SSL certificate verify ok."))

        // Other clients nobody here wrote, through the same route.
        let sClient = try await ChildProcess.run(
            "/bin/sh",
            [
                "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:\(port) -servername www.google.com -CAfile \(caFile) -verify_return_error -ign_eof",
            ]
        )
        #expect(sClient.output.contains("Verify return code: 0 (ok)"), "\(sClient.output)\(sClient.error)")
        let gnutls = try await ChildProcess.run(
            "/bin/sh",
            [
                "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | gnutls-cli --sni-hostname=www.google.com --verify-hostname=www.google.com --x509cafile=\(caFile) -p \(port) 127.0.0.1",
            ]
        )
        #expect(gnutls.output.contains("Ciphers supported in s_server binary"), "\(gnutls.output)\(gnutls.error)")
        let python = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import socket, ssl
                context = ssl.create_default_context(cafile="\(caFile)")
                with socket.create_connection(("127.0.0.1", \(port)), timeout=10) as raw:
                    with context.wrap_socket(raw, server_hostname="www.google.com") as tls:
                        tls.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
                        data = b""
                        while chunk := tls.recv(65536):
                            data += chunk
                        print(tls.version(), tls.getpeercert()["subject"])
                        print(data.decode(errors="replace"))
                """,
            ]
        )
        #expect(python.output.contains("'commonName', 'www.google.com'"), "\(python.output)\(python.error)")

        // 6: the access log has the seed's line for each connection (written in batches every 200 ms).
        let accessLog = await Self.contents(of: directory + "/access.log", lines: 4)
        let lines = accessLog.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(accessLog)")
        for line in lines {
            let fields = try #require(AccessLogFormat.istio2019.fields(in: line), "\(line)")
            #expect(fields["RESPONSE_FLAGS"] == "-")
            #expect(fields["UPSTREAM_HOST"] == "127.0.10.1:443")
            #expect(fields["UPSTREAM_CLUSTER"] == "outbound|443||www.google.com")
            #expect(fields["REQUESTED_SERVER_NAME"] == "www.google.com")
        }

        // 7: the telemetry log has the Mixer `open` event of the seed.
        let telemetry = await Self.contents(of: directory + "/telemetry.log", lines: 8)
        let open = try #require(telemetry.split(separator: "\n").first { $0.contains(#""connectionEvent":"open""#) })
        #expect(open.contains(#""requestedServerName":"www.google.com""#))
        #expect(open.contains(#""sourceWorkload":"istio-ingressgateway""#))
        #expect(open.contains(#""destinationIp":"fwAKAQ==""#))

        // Cleanup: kubectl delete the three resources; the port stops listening.
        for (kind, name) in [("gateway", "front-proxy"), ("virtualservice", "front-proxy"), ("serviceentry", "google")]
        {
            let result = try await frontproxy(["delete", kind, name, "--admin", admin])
            #expect(result.output == "\(kind).networking.istio.io \"\(name)\" deleted\n", "\(result.error)")
        }
        let refused = try await ChildProcess.run(
            "/usr/bin/curl",
            [
                "-s", "--cacert", caFile, "--resolve", "www.google.com:\(port):127.0.0.1",
                "https://www.google.com:\(port)/",
            ]
        )
        #expect(refused.status == 7, "connection refused")

        proxy.signal(SIGTERM)
        #expect(await proxy.wait() == 0, "SIGTERM drains and exits 0: \(proxy.standardError)")
        upstream.signal(SIGKILL)  // s_server ignores SIGTERM
        _ = await upstream.wait()
        try await dns.shutdown()
    }
}
