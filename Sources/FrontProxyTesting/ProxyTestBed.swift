import Foundation
import FrontProxy
import Harness
import Logging
import MeshConfig
import NIOCore
import TestWorld

/// A `FrontProxyServer` on loopback with a stub DNS server, a test CA, in-memory logs and a manual clock:
/// the world the data plane's integration tests run in, built by the same assembly as `serve` and changed
/// only through its control plane. Gateway ports listen on 127.0.0.1 at ephemeral ports, and simulated
/// upstream addresses (`127.0.10.1:443`) are mapped to fake upstreams' real sockets.
public final class ProxyTestBed: Sendable {
    public let server: FrontProxyServer
    public let dns: StubDNSServer
    public let authority: CertificateAuthority
    public let accessLog: InMemoryLogLineSink
    public let telemetryLog: InMemoryLogLineSink
    public let metrics: IstioMetrics
    public let addressMap: AddressMap
    public let clock: ManualClock

    public var runtime: ProxyRuntime { server.runtime }
    public var controlPlane: ControlPlane { server.controlPlane }

    /// The seed page's three files (`Fixtures/front-proxy/`).
    public static let seedFiles = ["gateway.yaml", "virtualservice.yaml", "serviceentry.yaml"].map { name in
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/front-proxy/\(name)").path
    }

    /// - Parameters:
    ///   - reportInterval: how often live connections report telemetry (on the manual clock).
    ///   - configure: changes to the server's options (timeouts, threads, limits) before it starts.
    public init(
        reportInterval: Duration = .seconds(10),
        configure: (inout FrontProxyServer.Options) -> Void = { _ in }
    ) async throws {
        let dns = try await StubDNSServer.start()
        let accessLog = InMemoryLogLineSink()
        let telemetryLog = InMemoryLogLineSink()
        let metrics = IstioMetrics(identity: .istioIngressGateway())
        let addressMap = AddressMap()
        let clock = ManualClock()
        var options = FrontProxyServer.Options()
        options.nameservers = [dns.localAddress]
        options.dns.minimumTTL = .zero
        options.dns.queryTimeout = .milliseconds(500)
        options.dns.attempts = 1
        options.runtime.listenAddresses = [
            443: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            80: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
        ]
        options.runtime.drainTime = .milliseconds(300)
        options.runtime.clock = .manual(clock)
        options.runtime.upstreamAddressMap = { simulated in
            (try? SimulatedAddress(ip: simulated.host, port: simulated.port)).flatMap(addressMap.realAddress(for:))
        }
        options.observability = ProxyObservability(
            accessLog: accessLog,
            telemetryLog: telemetryLog,
            identity: .istioIngressGateway(),
            reportInterval: reportInterval,
            metrics: metrics
        )
        options.admin = nil
        options.logger = Logger(label: "frontproxy.testbed", factory: { _ in SwiftLogNoOpLogHandler() })
        configure(&options)
        do {
            server = try await FrontProxyServer.start(options)
        } catch {
            try? await dns.shutdown()
            throw error
        }
        self.dns = dns
        self.accessLog = accessLog
        self.telemetryLog = telemetryLog
        self.metrics = metrics
        self.addressMap = addressMap
        self.clock = clock
        authority = try CertificateAuthority()
    }

    /// Starts a fake upstream on `simulated`'s IP and maps the simulated address to it.
    public func upstream(
        _ name: String,
        at simulated: String,
        tlsNames: [String]? = nil,
        behavior: UpstreamBehavior,
        alpn: [String] = ["http/1.1"],
        fault: UpstreamFault? = nil
    ) async throws -> FakeUpstream {
        let address = try SimulatedAddress(parsing: simulated)
        let identity = try tlsNames.map { try authority.issueServerCertificate(dnsNames: $0) }
        let upstream = try await FakeUpstream.start(
            name: name,
            host: address.ip,
            tls: identity,
            alpn: alpn,
            behavior: behavior,
            fault: fault
        )
        try addressMap.register(address, at: upstream.address)
        return upstream
    }

    /// Applies YAML through the control plane (kubectl semantics); throws what it rejected.
    public func apply(yaml: String) async throws {
        let outcome = await controlPlane.apply(yaml: yaml, file: "test.yaml")
        if !outcome.succeeded { throw ChangeRefused(errors: outcome.errors) }
    }

    /// A bed with the seed page applied, www.google.com resolving to 127.0.10.1, and an HTTPS upstream for it
    /// there answering `body`.
    public static func seeded(
        body: String = "ok",
        configure: (inout FrontProxyServer.Options) -> Void = { _ in }
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

    public func applySeed() async throws {
        for file in Self.seedFiles { try await apply(yaml: String(contentsOfFile: file, encoding: .utf8)) }
    }

    /// `kubectl delete KIND NAME` through the control plane.
    public func delete(_ kind: ResourceKind, _ name: String) async throws {
        let outcome = await controlPlane.delete(ResourceID(kind: kind, name: name))
        if !outcome.succeeded { throw ChangeRefused(errors: outcome.errors) }
    }

    /// Moves the manual clock forward; timeouts, drains and TTL expiries due by then have happened when it
    /// returns.
    public func advanceClock(by amount: Duration) async {
        await server.advanceClock(by: amount)
    }

    /// Where gateway port 443 really listens, or nil when it does not.
    public var gatewayPort: Int? { gatewayPort(for: 443) }

    /// Where a gateway server port (80, 443) really listens, or nil when it does not.
    public func gatewayPort(for serverPort: Int) -> Int? {
        runtime.boundListeners.values.first { $0.plan.port == serverPort }?.localAddress.port
    }

    public func gatewayAddress() throws -> SocketAddress {
        guard let port = gatewayPort else { throw ChangeRefused(errors: ["gateway port 443 is not listening"]) }
        return try SocketAddress(ipAddress: "127.0.0.1", port: port)
    }

    /// A curl-equivalent that trusts the test CA.
    public var curl: CurlClient { CurlClient(trustedRoots: [authority.certificate]) }

    /// Runs `curl -s --resolve NAME:PORT:127.0.0.1 https://NAME:PORT/` through the gateway.
    public func curl(serverName: String, extra: String = "") async throws -> CurlResult {
        let port = try gatewayAddress().port ?? 0
        return try await curl.run(
            "curl -s \(extra) --resolve \(serverName):\(port):127.0.0.1 https://\(serverName):\(port)/"
        )
    }

    /// Waits until the access log has `count` lines (connections log when they close).
    public func accessLogLines(count: Int, timeout: Duration = .seconds(5)) async -> [String] {
        await eventually(timeout: timeout) { self.accessLog.lines.count >= count }
        return accessLog.lines
    }

    /// Polls `condition` every 10 ms of real time until it holds or `timeout` passes: for what other
    /// threads do (a connection closing, a line being logged), not for timers, which `advanceClock` drives.
    public func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    public func shutdown() async throws {
        await server.shutdown(gracePeriod: .zero)
        try await dns.shutdown()
    }

    /// What the control plane refused.
    public struct ChangeRefused: Error, CustomStringConvertible {
        public var errors: [String]
        public var description: String { errors.joined(separator: "\n") }
    }
}
