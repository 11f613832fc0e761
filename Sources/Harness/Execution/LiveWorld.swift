import Foundation
import FrontProxy
import Logging
import MeshConfig
import NIOCore
import Synchronization
import TestWorld

/// A scenario's world while it runs: stub DNS, CA, fake upstreams, and the proxy — a `FrontProxyServer`,
/// built as `serve` builds it, with in-memory logs, a manual clock and no admin API. Configuration changes
/// go through its `ControlPlane`, as `apply`, `delete`, the admin API and SIGHUP do. Gateway ports listen on a
/// loopback IP of the scenario's own (`127.101.x.y`), so its sockets can be told apart from those of
/// scenarios running in parallel.
final class LiveWorld {
    struct Parts {
        var gatewayIP: String
        var dns: StubDNSServer
        var authority: CertificateAuthority
        var accessLog: InMemoryLogLineSink
        var telemetryLog: InMemoryLogLineSink
        var metrics: IstioMetrics
        var addressMap: AddressMap
        var clock: ManualClock
        var server: FrontProxyServer
    }

    let scenario: Scenario
    let parts: Parts
    private(set) var upstreams: [(spec: UpstreamSpec, server: FakeUpstream)] = []
    /// The real port each gateway port was last bound to (kept after the listener goes, to probe it).
    private(set) var boundPorts: [Int: Int] = [:]
    /// Client connections kept open across steps, by name.
    var sessions: [String: ClientSession] = [:]
    /// Every client connection a connect step opened, closed at the end whatever happened.
    var allSessions: [ClientSession] = []
    /// The cluster's pods as they are now (a `pod` step changes readiness).
    var pods: [PodSpec]
    /// Objects of kinds FrontProxy does not read that the scenario created (applied Deployments, `kubectl
    /// create secret`), so a later `kubectl delete` finds them, as it would in a cluster.
    var unreadObjects: Set<UnreadObject> = []
    /// Lines for the report: the documents of kinds not read, counted per step (listed with `-v`).
    var skippedDocuments: [SkippedDocument] = []
    /// The scenario's working directory: where `caFile` is written and relative `--cacert` paths are read.
    let workingDirectory: String

    var gatewayIP: String { parts.gatewayIP }
    var server: FrontProxyServer { parts.server }
    var controlPlane: ControlPlane { parts.server.controlPlane }
    var runtime: ProxyRuntime { parts.server.runtime }
    var accessLog: InMemoryLogLineSink { parts.accessLog }
    var telemetryLog: InMemoryLogLineSink { parts.telemetryLog }
    var accessLogFormat: AccessLogFormat { scenario.world.proxy.accessLogFormat }

    private static let gatewayIPCounter = Atomic<Int>(0)

    /// A loopback IP no other scenario of this process uses at the same time.
    static func nextGatewayIP() -> String {
        let number = gatewayIPCounter.wrappingAdd(1, ordering: .relaxed).oldValue % (250 * 250)
        return "127.101.\(number / 250).\(number % 250 + 1)"
    }

    private init(scenario: Scenario, parts: Parts, workingDirectory: String) {
        self.scenario = scenario
        self.parts = parts
        self.pods = scenario.world.pods
        self.workingDirectory = workingDirectory
    }

    /// The server options a scenario's world block asks for.
    static func serverOptions(
        for scenario: Scenario,
        gatewayIP: String,
        nameserver: SocketAddress,
        addressMap: AddressMap,
        clock: ManualClock,
        sinks: (accessLog: InMemoryLogLineSink, telemetryLog: InMemoryLogLineSink, metrics: IstioMetrics)
    ) -> FrontProxyServer.Options {
        let proxy = scenario.world.proxy
        var options = FrontProxyServer.Options()
        options.nameservers = [nameserver]
        options.dns.minimumTTL = .zero
        options.dns.negativeTTL = .zero
        options.dns.queryTimeout = .milliseconds(300)
        options.dns.attempts = 1
        options.runtime.connectTimeout = proxy.connectTimeout
        options.runtime.idleTimeout = proxy.idleTimeout
        options.runtime.clientHelloTimeout = proxy.clientHelloTimeout
        options.runtime.drainTime = proxy.drainTime
        options.runtime.maximumConnectionsPerCluster = proxy.maximumConnectionsPerCluster
        options.runtime.maximumClientHelloLength = proxy.maximumClientHelloLength
        // Every gateway port listens on the scenario's own loopback IP, on an ephemeral port.
        options.runtime.ephemeralListenIP = gatewayIP
        options.runtime.clock = .manual(clock)
        options.runtime.threads = 2
        options.runtime.upstreamAddressMap = { simulated in
            (try? SimulatedAddress(ip: simulated.host, port: simulated.port)).flatMap(addressMap.realAddress(for:))
        }
        options.observability = ProxyObservability(
            accessLog: sinks.accessLog,
            accessLogFormat: proxy.accessLogFormat,
            telemetryLog: sinks.telemetryLog,
            identity: .istioIngressGateway(),
            metrics: sinks.metrics
        )
        options.compile = proxy.compile
        options.admin = nil
        options.logger = Logger(label: "frontproxy.harness", factory: { _ in SwiftLogNoOpLogHandler() })
        return options
    }

    /// Starts everything the world block describes.
    static func start(_ scenario: Scenario) async throws -> LiveWorld {
        let gatewayIP = nextGatewayIP()
        let dns = try await StubDNSServer.start()
        let addressMap = AddressMap()
        let clock = ManualClock()
        let metrics = IstioMetrics(identity: TelemetryIdentity.istioIngressGateway())
        let accessLog = InMemoryLogLineSink()
        let telemetryLog = InMemoryLogLineSink()
        let server: FrontProxyServer
        do {
            server = try await FrontProxyServer.start(
                serverOptions(
                    for: scenario,
                    gatewayIP: gatewayIP,
                    nameserver: dns.localAddress,
                    addressMap: addressMap,
                    clock: clock,
                    sinks: (accessLog, telemetryLog, metrics)
                )
            )
        } catch {
            try? await dns.shutdown()
            throw error
        }
        let workingDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("frontproxy-scenario-\(UUID().uuidString)").path
        let world = LiveWorld(
            scenario: scenario,
            parts: Parts(
                gatewayIP: gatewayIP,
                dns: dns,
                authority: try CertificateAuthority(commonName: "FrontProxy Scenario CA"),
                accessLog: accessLog,
                telemetryLog: telemetryLog,
                metrics: metrics,
                addressMap: addressMap,
                clock: clock,
                server: server
            ),
            workingDirectory: workingDirectory
        )
        do {
            try await world.populate()
        } catch {
            await world.shutdown()
            throw error
        }
        return world
    }

    /// DNS names, upstreams and the CA files from the world block.
    private func populate() async throws {
        try FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
        for file in scenario.world.caFiles {
            let url = URL(fileURLWithPath: workingDirectory).appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try parts.authority.certificate.pem.write(to: url, atomically: true, encoding: .utf8)
        }
        for name in scenario.world.dns {
            try parts.dns.setRecords(name.records.map(\.record), for: name.name)
            if let fault = name.fault { try parts.dns.setFault(fault.fault, for: name.name) }
        }
        for spec in scenario.world.upstreams {
            let identity = try spec.tls.map { tls in
                try parts.authority.issueServerCertificate(
                    dnsNames: tls.serverNames,
                    validity: tls.validity,
                    algorithm: tls.algorithm
                )
            }
            let server = try await FakeUpstream.start(
                name: spec.name,
                host: spec.address.ip,
                tls: identity,
                alpn: spec.alpn,
                behavior: spec.behavior,
                fault: spec.fault?.fault
            )
            upstreams.append((spec, server))
            try parts.addressMap.register(spec.address, at: server.address)
        }
    }

    func upstream(named name: String) -> FakeUpstream? {
        upstreams.first { $0.spec.name == name }?.server
    }

    // MARK: - Serving the configuration

    /// Remembers where each gateway port listens after a change, so the port can still be probed once its
    /// listener is gone.
    func recordBoundPorts() {
        for listener in runtime.boundListeners.values {
            if let port = listener.localAddress.port { boundPorts[listener.plan.port] = port }
        }
    }

    /// The real port a gateway port listens on now, or else the one it last listened on.
    func realPort(for gatewayPort: Int) -> Int? {
        runtime.boundListeners.values.first { $0.plan.port == gatewayPort }?.localAddress.port
            ?? boundPorts[gatewayPort]
    }

    var everBoundPorts: [Int: Int] { boundPorts }

    /// `$INGRESS_HOST`, `$SECURE_INGRESS_PORT`, `$INGRESS_PORT`, `$TCP_INGRESS_PORT` and `$GATEWAY_PORT_<N>`.
    var environment: [String: String] {
        var environment = ["INGRESS_HOST": gatewayIP]
        for port in Set(scenario.world.proxy.ports ?? []).union(boundPorts.keys) {
            environment["GATEWAY_PORT_\(port)"] = String(realPort(for: port) ?? port)
        }
        environment["SECURE_INGRESS_PORT"] = String(realPort(for: 443) ?? 443)
        environment["INGRESS_PORT"] = String(realPort(for: 80) ?? 80)
        environment["TCP_INGRESS_PORT"] = String(realPort(for: 31400) ?? 31400)
        return environment
    }

    /// Upstream connection counts now, to tell which upstream a step's connection reached.
    var upstreamBaseline: UpstreamBaseline {
        var baseline = UpstreamBaseline()
        for entry in upstreams {
            baseline.accepted[entry.spec.name] = entry.server.counts.accepted
            for connection in entry.server.connections where !connection.requests.isEmpty {
                baseline.requests[entry.spec.name, default: [:]][connection.id] = connection.requests.count
            }
        }
        return baseline
    }

    /// Connections each upstream accepted since `baseline`, and (for HTTP) kept-alive ones that carried a
    /// request since, oldest first.
    func newUpstreamConnections(since baseline: UpstreamBaseline) -> [(name: String, record: UpstreamConnectionRecord)]
    {
        upstreams.flatMap { entry in
            entry.server.connections.filter { connection in
                connection.id > baseline.accepted[entry.spec.name, default: 0]
                    || connection.requests.count > baseline.requests[entry.spec.name]?[connection.id] ?? 0
            }.map { (entry.spec.name, $0) }
        }
    }

    /// Requests each upstream received since `baseline` (on new connections and on pooled ones).
    func requestCounts(since baseline: UpstreamBaseline) -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in upstreams {
            let name = entry.spec.name
            for connection in entry.server.connections {
                let before =
                    connection.id > baseline.accepted[name, default: 0]
                    ? 0 : baseline.requests[name]?[connection.id] ?? 0
                counts[name, default: 0] += connection.requests.count - before
            }
        }
        return counts
    }

    var curl: CurlClient {
        CurlClient(
            trustedRoots: [parts.authority.certificate],
            addressMap: parts.addressMap,
            workingDirectory: workingDirectory
        )
    }

    // MARK: - The simulated cluster

    /// Gives every Service the EndpointSlices the cluster's controller would write for the world's pods, and
    /// removes those of Services that are gone; applied through the control plane like any configuration.
    /// Their pod IPs are loopback addresses, which the API server would refuse in an EndpointSlice: the
    /// harness's own slices are exempt, slices in the scenario's YAML are not.
    func reconcileEndpointSlices() async throws {
        let services = await controlPlane.resources(kind: .service, name: nil, namespace: nil).compactMap { stored in
            if case .service(let service) = stored.resource { return service }
            return nil
        }
        let desired = SimulatedEndpointSlices.slices(for: services, pods: pods)
        let current = await controlPlane.resources(kind: .endpointSlice, name: nil, namespace: nil).filter { stored in
            stored.resource.metadata.labels[SimulatedEndpointSlices.managedByLabel]
                == SimulatedEndpointSlices.controllerName
        }
        let desiredIDs = Set(
            desired.map { ResourceID(kind: .endpointSlice, namespace: $0.metadata.namespace, name: $0.metadata.name) }
        )
        for stale in current where !desiredIDs.contains(stale.id) {
            _ = await controlPlane.delete(stale.id)
        }
        guard !desired.isEmpty else { return }
        let documents = ConfigLoader.load(
            yaml: SimulatedEndpointSlices.yaml(desired),
            file: "<endpointslice-controller>",
            options: ConfigLoader.Options(allowsLoopbackEndpoints: true)
        )
        let outcome = await controlPlane.apply(documents)
        guard outcome.succeeded else {
            throw HarnessError(
                "the simulated EndpointSlice controller's slices were refused:\n"
                    + outcome.errors.joined(separator: "\n")
            )
        }
    }

    /// What the upstreams had seen at a moment: connections accepted, and requests per HTTP connection (a
    /// pooled upstream connection carries later requests without a new accept).
    struct UpstreamBaseline: Sendable {
        var accepted: [String: Int] = [:]
        var requests: [String: [Int: Int]] = [:]
    }

    // MARK: - Teardown

    func shutdown() async {
        for session in allSessions { await session.connection.close() }
        await server.shutdown(gracePeriod: .zero)
        for (_, server) in upstreams { await server.stop() }
        try? await parts.dns.shutdown()
        try? FileManager.default.removeItem(atPath: workingDirectory)
    }
}

/// An object of a kind FrontProxy does not read, known by kind, namespace and name.
struct UnreadObject: Hashable {
    var kind: String
    var namespace: String
    var name: String
}

/// A harness failure that is not a scenario expectation (a world that cannot start, a port not mapped).
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
