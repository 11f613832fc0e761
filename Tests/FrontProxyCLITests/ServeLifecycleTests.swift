import Foundation
import NIOCore
import TestWorld
import Testing

/// `frontproxy serve` start-up errors, SIGHUP reloads and admin-side validation, with the real binary.
@Suite(.serialized) struct ServeLifecycleTests {
    let directory: String
    let authority: CertificateAuthority

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        authority = try CertificateAuthority()
        try authority.certificate.pem.write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
    }

    /// Gateway + VirtualService + STATIC ServiceEntry routing `sni` to 127.0.10.5:`port`.
    private func config(sni: String, port: Int) -> String {
        """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: gw}
        spec:
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: PASSTHROUGH}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          tls:
          - match: [{port: 443, sniHosts: [\(sni)]}]
            route: [{destination: {host: app.internal, port: {number: \(port)}}}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: ServiceEntry
        metadata: {name: app}
        spec:
          hosts: [app.internal]
          ports: [{number: \(port), name: https, protocol: HTTPS}]
          resolution: STATIC
          endpoints: [{address: 127.0.10.5}]
        """
    }

    private func serve(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(
            ServeEndToEndTests.frontproxy,
            ["serve", "--dns-server", "127.0.0.1:53", "--access-log", directory + "/access.log"] + arguments
        )
    }

    private func curl(_ name: String, port: Int) async throws -> Int32? {
        try await ChildProcess.run(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "5", "--cacert", directory + "/ca.pem", "--resolve", "\(name):\(port):127.0.0.1",
                "https://\(name):\(port)/",
            ]
        ).status
    }

    static func fixture(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/\(path)")
    }

    private func freePort() throws -> Int {
        let socket = try ServerSocketProbe()
        return socket.port
    }

    @Test func anInvalidConfigurationIsRefusedWithTheFieldPathAndExit1() async throws {
        let file = directory + "/bad.yaml"
        try config(sni: "www.example.com", port: 8443).replacingOccurrences(of: "sniHosts", with: "snihosts")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let proxy = try serve(["-f", file, "--admin", "127.0.0.1:0", "--listen", "443=127.0.0.1:0"])
        #expect(await proxy.wait() == 1)
        #expect(proxy.standardError.contains("spec.tls[0].match[0].snihosts"), "\(proxy.standardError)")
    }

    @Test func aPortThatCannotBeBoundIsAClearErrorAndExit1() async throws {
        let file = directory + "/ok.yaml"
        try config(sni: "www.example.com", port: 8443).write(toFile: file, atomically: true, encoding: .utf8)
        let occupied = try ServerSocketProbe()
        let proxy = try serve(["-f", file, "--admin", "127.0.0.1:0", "--listen", "443=127.0.0.1:\(occupied.port)"])
        #expect(await proxy.wait() == 1)
        #expect(proxy.standardError.contains("cannot listen on 127.0.0.1:\(occupied.port)"), "\(proxy.standardError)")
        _ = occupied
    }

    @Test func theAdminAPIRefusesANonLoopbackAddress() async throws {
        let proxy = try serve(["--admin", "0.0.0.0:0"])
        #expect(await proxy.wait() == 1)
        #expect(proxy.standardError.contains("not a loopback address"), "\(proxy.standardError)")
    }

    @Test func sighupReloadsTheFilesAndAppliesTheDifference() async throws {
        let upstream = try await FakeUpstream.start(
            name: "app",
            host: "127.0.10.5",
            tls: authority.issueServerCertificate(dnsNames: ["www.example.com", "other.example.com"]),
            behavior: .http(HTTPResponder(status: 200, body: "app"))
        )
        let upstreamPort = try #require(upstream.address.port)
        let gatewayPort = try freePort()
        let file = directory + "/app.yaml"
        try config(sni: "www.example.com", port: upstreamPort).write(toFile: file, atomically: true, encoding: .utf8)
        let proxy = try serve([
            "-f", file, "--admin", "127.0.0.1:0", "--listen", "443=127.0.0.1:\(gatewayPort)", "--threads", "3",
            "--drain-time", "0.2",
        ])
        #expect(await proxy.waitForOutput(containing: "admin API on"), "\(proxy.standardError)")
        #expect(proxy.standardError.contains("for listener 0.0.0.0_443 (3 threads)"), "\(proxy.standardError)")
        #expect(try await curl("www.example.com", port: gatewayPort) == 0)
        // A live connection on the chain the reload removes: a real ClientHello, then nothing more.
        let live = try await ClientConnection.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: gatewayPort))
        try await live.send(Array(try Data(contentsOf: Self.fixture("clienthello/openssl-s_client-tls13-sni.bin"))))
        #expect(try await live.read(deadline: .now() + .seconds(5)) != nil, "the upstream's ServerHello came back")

        try config(sni: "other.example.com", port: upstreamPort).write(toFile: file, atomically: true, encoding: .utf8)
        proxy.signal(SIGHUP)
        #expect(await proxy.waitForOutput(containing: "reload: virtualservice.networking.istio.io/vs configured"))
        #expect(await proxy.waitForOutput(containing: "draining 1 connection(s) on removed listeners or chains"))
        // Ends (instead of timing out) once the proxy closes it, 0.2 s after the reload.
        _ = try await live.readToEnd(deadline: .now() + .seconds(5))
        await live.close()
        #expect(try await curl("www.example.com", port: gatewayPort) == 35, "NR: closed during the handshake")
        #expect(try await curl("other.example.com", port: gatewayPort) == 0)

        try "kind: Gateway\nspec: [".write(toFile: file, atomically: true, encoding: .utf8)
        proxy.signal(SIGHUP)
        #expect(await proxy.waitForOutput(containing: "reload refused, configuration unchanged"))
        #expect(try await curl("other.example.com", port: gatewayPort) == 0, "a broken file changed nothing")

        proxy.signal(SIGTERM)
        #expect(await proxy.wait() == 0)
        await upstream.stop()
    }

    @Test func runningOutOfDescriptorsPausesAcceptingAndServesAgainOnceSomeAreFree() async throws {
        let upstream = try await FakeUpstream.start(
            name: "app",
            host: "127.0.10.5",
            tls: authority.issueServerCertificate(dnsNames: ["www.example.com"]),
            behavior: .http(HTTPResponder(status: 200, body: "app"))
        )
        let gatewayPort = try freePort()
        let file = directory + "/app.yaml"
        try config(sni: "www.example.com", port: try #require(upstream.address.port))
            .write(toFile: file, atomically: true, encoding: .utf8)
        // A descriptor limit the proxy reaches after a few dozen silent clients.
        let proxy = try ChildProcess(
            "/bin/sh",
            [
                "-c", #"ulimit -n 64 && exec "$0" "$@""#, ServeEndToEndTests.frontproxy, "serve",
                "--dns-server", "127.0.0.1:53", "--access-log", directory + "/access.log", "-f", file,
                "--admin", "127.0.0.1:0", "--listen", "443=127.0.0.1:\(gatewayPort)",
            ]
        )
        #expect(await proxy.waitForOutput(containing: "admin API on"), "\(proxy.standardError)")
        let gateway = try SocketAddress(ipAddress: "127.0.0.1", port: gatewayPort)
        var silent: [ClientConnection] = []
        for _ in 0..<80 { silent.append(try await ClientConnection.connect(to: gateway)) }
        // This client waits in the kernel's backlog while the proxy has no descriptor to accept it with.
        let waiting = Task { try await curl("www.example.com", port: gatewayPort) }
        #expect(await proxy.waitForOutput(containing: "Too many open files; pausing accepts"), "\(proxy.standardError)")
        #expect(proxy.isRunning)

        for client in silent { await client.close() }
        #expect(try await waiting.value == 0, "accepted and served once descriptors were free again")
        #expect(try await curl("www.example.com", port: gatewayPort) == 0)

        proxy.signal(SIGTERM)
        #expect(await proxy.wait() == 0)
        let log = try String(contentsOfFile: directory + "/access.log", encoding: .utf8)
        #expect(log.contains("downstream_closed_before_client_hello") || log.contains(" NR "), "the silent ones logged")
        await upstream.stop()
    }

    @Test func anInvalidApplyChangesNothingAndSaysWhy() async throws {
        let proxy = try serve(["--admin", "127.0.0.1:0", "--listen", "443=127.0.0.1:0"])
        #expect(await proxy.waitForOutput(containing: "admin API on http://"))
        let admin = try #require(
            proxy.standardError.split(separator: "\n").first { $0.contains("admin API on http://") }?
                .split(separator: "http://").last.map(String.init)
        )
        let good = directory + "/good.yaml"
        try config(sni: "www.example.com", port: 8443).write(toFile: good, atomically: true, encoding: .utf8)
        let applied = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            ["apply", "-f", good, "--admin", admin]
        )
        #expect(applied.status == 0)
        #expect(applied.output.contains("gateway.networking.istio.io/gw created"))

        let bad = directory + "/bad.yaml"
        try """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          tls:
          - match: [{port: 443, sniHosts: [evil.example]}]
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let rejected = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            ["apply", "-f", bad, "--admin", admin]
        )
        #expect(rejected.status == 1)
        #expect(rejected.error.contains("TLS route is required"), "\(rejected.error)")
        let current = try await ChildProcess.run(ServeEndToEndTests.frontproxy, ["get", "vs", "vs", "--admin", admin])
        #expect(current.output.contains("www.example.com") && !current.output.contains("evil.example"))

        let deleted = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            ["delete", "-f", good, "--admin", admin]
        )
        #expect(deleted.output.contains("serviceentry.networking.istio.io \"app\" deleted"), "\(deleted.error)")
        let missing = try await ChildProcess.run(ServeEndToEndTests.frontproxy, ["get", "gw", "gw", "--admin", admin])
        #expect(missing.status == 1)
        #expect(missing.error.contains("NotFound"))
        proxy.signal(SIGTERM)
        #expect(await proxy.wait() == 0)
    }
}

/// Holds a bound loopback TCP port (listening), so a test can occupy a port or learn a free one.
final class ServerSocketProbe {
    private let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
