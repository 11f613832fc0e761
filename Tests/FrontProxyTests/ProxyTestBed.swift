import Foundation
import FrontProxy
import MeshConfig
import NIOCore
import NIOPosix
import Synchronization
import TestWorld
import Testing

/// A proxy runtime on loopback with a stub DNS server, a test CA and in-memory logs: the world the data
/// plane's integration tests run in. Gateway port 443 listens on 127.0.0.1 at an ephemeral port, and
/// simulated upstream addresses (`127.0.10.1:443`) are mapped to fake upstreams' real sockets.
final class ProxyTestBed: Sendable {
    let runtime: ProxyRuntime
    let dns: StubDNSServer
    let resolver: DNSResolver
    let authority: CertificateAuthority
    let accessLog = InMemoryLogLineSink()
    let telemetryLog = InMemoryLogLineSink()
    let metrics = TCPMetrics(identity: .istioIngressGateway())
    let addressMap = AddressMap()
    private let store = Mutex(ConfigStore())

    static let seedFiles = ["gateway.yaml", "virtualservice.yaml", "serviceentry.yaml"].map { name in
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/front-proxy/\(name)").path
    }

    init(
        reportInterval: Duration = .seconds(10),
        configure: (inout ProxyRuntime.Configuration) -> Void = { _ in }
    ) async throws {
        dns = try await StubDNSServer.start()
        var dnsConfiguration = DNSResolver.Configuration()
        dnsConfiguration.minimumTTL = .zero
        dnsConfiguration.queryTimeout = .milliseconds(500)
        dnsConfiguration.attempts = 1
        resolver = DNSResolver(nameservers: [dns.localAddress], configuration: dnsConfiguration)
        authority = try CertificateAuthority()
        var configuration = ProxyRuntime.Configuration()
        configuration.listenAddresses = [443: try SocketAddress(ipAddress: "127.0.0.1", port: 0)]
        configuration.drainTime = .milliseconds(300)
        let addressMap = self.addressMap
        configuration.upstreamAddressMap = { simulated in
            (try? SimulatedAddress(ip: simulated.host, port: simulated.port)).flatMap(addressMap.realAddress(for:))
        }
        configure(&configuration)
        runtime = ProxyRuntime(
            configuration: configuration,
            observability: ProxyObservability(
                accessLog: accessLog,
                telemetryLog: telemetryLog,
                identity: .istioIngressGateway(),
                reportInterval: reportInterval,
                metrics: metrics
            ),
            resolver: ClusterEndpointResolver(dns: resolver)
        )
    }

    /// Starts a fake upstream on `simulated`'s IP and maps the simulated address to it.
    func upstream(
        _ name: String,
        at simulated: String,
        tlsNames: [String]? = nil,
        behavior: UpstreamBehavior,
        alpn: [String] = ["http/1.1"]
    ) async throws -> FakeUpstream {
        let address = try #require(EndpointAddress(simulated))
        let identity = try tlsNames.map { try authority.issueServerCertificate(dnsNames: $0) }
        let upstream = try await FakeUpstream.start(
            name: name,
            host: address.host,
            tls: identity,
            alpn: alpn,
            behavior: behavior
        )
        try addressMap.register(SimulatedAddress(ip: address.host, port: address.port), at: upstream.address)
        return upstream
    }

    /// Applies YAML (kubectl semantics) and serves the resulting plan.
    func apply(yaml: String) async throws {
        let plan = try store.withLock { store -> RoutePlan in
            let report = store.apply(yaml: yaml, file: "test.yaml")
            if report.hasErrors { throw ApplyFailed(diagnostics: report.diagnostics.map(\.description)) }
            return RouteCompiler.compile(store.snapshot)
        }
        try await runtime.apply(plan)
    }

    /// A bed with the seed page applied, www.google.com resolving to 127.0.10.1, and an HTTPS upstream for it
    /// there answering `body`.
    static func seeded(
        body: String = "ok",
        configure: (inout ProxyRuntime.Configuration) -> Void = { _ in }
    ) async throws -> (ProxyTestBed, FakeUpstream) {
        let bed = try await ProxyTestBed(configure: configure)
        try bed.dns.setRecords([.a("127.0.10.1", ttl: 30)], for: "www.google.com")
        let upstream = try await bed.upstream(
            "google",
            at: "127.0.10.1:443",
            tlsNames: ["www.google.com"],
            behavior: .http(HTTPResponder(status: 200, body: body))
        )
        try await bed.applySeed()
        return (bed, upstream)
    }

    func applySeed() async throws {
        for file in Self.seedFiles { try await apply(yaml: String(contentsOfFile: file, encoding: .utf8)) }
    }

    func delete(_ kind: ResourceKind, _ name: String) async throws {
        let plan = store.withLock { store -> RoutePlan in
            _ = store.delete(ResourceID(kind: kind, name: name))
            return RouteCompiler.compile(store.snapshot)
        }
        try await runtime.apply(plan)
    }

    /// Where gateway port 443 really listens, or nil when it does not.
    var gatewayPort: Int? {
        runtime.boundListeners.values.first { $0.plan.port == 443 }?.localAddress.port
    }

    func gatewayAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: "127.0.0.1", port: try #require(gatewayPort))
    }

    /// A curl-equivalent that trusts the test CA.
    var curl: CurlClient { CurlClient(trustedRoots: [authority.certificate]) }

    /// Runs `curl -s --resolve NAME:PORT:127.0.0.1 https://NAME:PORT/` through the gateway.
    func curl(serverName: String, extra: String = "") async throws -> CurlResult {
        let port = try #require(gatewayPort)
        return try await curl.run(
            "curl -s \(extra) --resolve \(serverName):\(port):127.0.0.1 https://\(serverName):\(port)/"
        )
    }

    /// Waits until the access log has `count` lines (connections log when they close).
    func accessLogLines(count: Int, timeout: Duration = .seconds(5)) async -> [String] {
        await eventually(timeout: timeout) { self.accessLog.lines.count >= count }
        return accessLog.lines
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes.
    func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    func shutdown() async throws {
        await runtime.stop()
        resolver.shutdown()
        try await dns.shutdown()
    }

    struct ApplyFailed: Error, CustomStringConvertible {
        var diagnostics: [String]
        var description: String { diagnostics.joined(separator: "\n") }
    }
}
