import Logging
import MeshConfig
import NIOCore
import NIOPosix

/// The one assembly of a proxy: resolver, runtime, control plane, log sinks and admin API.
///
/// `frontproxy serve`, the scenario harness and the integration tests all build one of these, and change its
/// configuration only through `controlPlane` — the path `apply`, `delete`, the admin API and SIGHUP take —
/// so a scenario that passes exercised what a user runs. What a harness or a test needs to vary is an
/// option: nameservers, resolver settings, the clock, sinks, the address map, listen addresses, timeouts,
/// thread count, admin on or off.
public final class FrontProxyServer: Sendable {
    /// Everything a server is built from.
    public struct Options: Sendable {
        /// YAML files and folders loaded at start and re-read by `reload()` (SIGHUP); empty: start with no
        /// configuration, to be applied through `controlPlane`.
        public var files: [String] = []
        /// Timeouts, limits, listen addresses, the address map, the clock and the thread count.
        public var runtime = ProxyRuntime.Configuration()
        /// Access log, telemetry events and metrics.
        public var observability = ProxyObservability()
        /// Resolvers for DNS clusters; empty: the nameservers of `/etc/resolv.conf`.
        public var nameservers: [SocketAddress] = []
        public var dns = DNSResolver.Configuration()
        /// The gateway proxy's namespace (`exportTo` is judged against it) and the cluster domain of Kubernetes
        /// Service hosts.
        public var compile = CompileOptions()
        /// The admin API; nil turns it off.
        public var admin: Admin? = Admin()
        public var logger = Logger(label: "frontproxy")

        public init(files: [String] = []) {
            self.files = files
        }
    }

    /// Where the admin API listens, and whether a non-loopback address is allowed.
    public struct Admin: Sendable {
        public var address: SocketAddress
        public var allowRemote: Bool

        public init(
            address: SocketAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 15000),
            allowRemote: Bool = false
        ) {
            self.address = address
            self.allowRemote = allowRemote
        }
    }

    /// Why the server would not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let runtime: ProxyRuntime
    public let controlPlane: ControlPlane
    public let options: Options
    private let admin: AdminHTTPServer?
    private let resolver: DNSResolver
    private let controlGroup: MultiThreadedEventLoopGroup

    private init(
        runtime: ProxyRuntime,
        controlPlane: ControlPlane,
        admin: AdminHTTPServer?,
        resolver: DNSResolver,
        controlGroup: MultiThreadedEventLoopGroup,
        options: Options
    ) {
        self.runtime = runtime
        self.controlPlane = controlPlane
        self.admin = admin
        self.resolver = resolver
        self.controlGroup = controlGroup
        self.options = options
    }

    private var logger: Logger { options.logger }

    /// Where the admin API listens, if enabled.
    public var adminAddress: SocketAddress? { admin?.localAddress }

    /// Loads the files, binds every listener and the admin API. Fails, with nothing left running, when the
    /// configuration is invalid or an address cannot be bound.
    public static func start(_ options: Options) async throws -> FrontProxyServer {
        let logger = options.logger
        var nameservers = options.nameservers
        if nameservers.isEmpty {
            let resolvConf = try ResolvConf.load()
            nameservers = resolvConf.nameservers
            for skipped in resolvConf.skipped {
                logger.warning("/etc/resolv.conf line \(skipped.line) ignored: \(skipped.reason)")
            }
        }
        let clock = options.runtime.clock
        // DNS queries and admin requests are few and small: one SwiftNIO thread serves both, instead of
        // NIO's singleton group with a thread per core that the data plane's own loops would compete with.
        let controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let resolver = DNSResolver(nameservers: nameservers, configuration: options.dns, now: { clock.now() })
        let runtime = ProxyRuntime(
            configuration: options.runtime,
            observability: options.observability,
            resolver: ClusterEndpointResolver(dns: resolver, group: controlGroup),
            logger: logger
        )
        let controlPlane = ControlPlane(
            runtime: runtime,
            compileOptions: options.compile,
            now: { clock.creationTime() }
        )
        do {
            let outcome = await controlPlane.reload(ConfigFiles.read(options.files))
            for warning in outcome.warnings { logger.warning("\(warning)") }
            for line in outcome.lines { logger.info("\(line)") }
            guard outcome.succeeded else {
                throw StartError(description: "cannot start:\n" + outcome.errors.joined(separator: "\n"))
            }
            var admin: AdminHTTPServer?
            if let settings = options.admin {
                admin = try await AdminHTTPServer.start(
                    at: settings.address,
                    allowRemote: settings.allowRemote,
                    group: controlGroup,
                    responder: AdminAPI(
                        controlPlane: controlPlane,
                        runtime: runtime,
                        metrics: options.observability.metrics
                    )
                )
            }
            if let address = admin?.localAddress { logger.info("admin API on http://\(address.displayHostPort)") }
            return FrontProxyServer(
                runtime: runtime,
                controlPlane: controlPlane,
                admin: admin,
                resolver: resolver,
                controlGroup: controlGroup,
                options: options
            )
        } catch {
            await runtime.stop()
            resolver.shutdown()
            try? await controlGroup.shutdownGracefully()
            throw error
        }
    }

    /// SIGHUP: re-reads the `-f` files and applies the difference. A broken file changes nothing.
    @discardableResult
    public func reload() async -> ControlPlane.ChangeOutcome {
        let outcome = await controlPlane.reload(ConfigFiles.read(options.files))
        for line in outcome.lines { logger.info("reload: \(line)") }
        for warning in outcome.warnings { logger.warning("reload: \(warning)") }
        if !outcome.succeeded {
            logger.error("reload refused, configuration unchanged:\n\(outcome.errors.joined(separator: "\n"))")
        }
        return outcome
    }

    /// Moves a manual clock forward and has every data-plane loop check its deadlines at once, returning when
    /// they have: a test or a scenario `wait` step then sees the timeouts, drains and TTL expiries that
    /// time would have brought. Traps when the server runs on the system clock.
    public func advanceClock(by amount: Duration) async {
        guard case .manual(let clock) = options.runtime.clock else {
            preconditionFailure("advanceClock(by:) needs a server built with a manual clock")
        }
        // What clients sent before the advance is read first, so its deadlines start before the jump.
        await runtime.settle()
        clock.advance(by: TimeAmount(amount))
        await runtime.checkDeadlines()
    }

    /// Stops accepting, lets open connections finish for `gracePeriod` (default: the drain time; zero
    /// closes them at once), then closes everything. SIGTERM does this with the drain time.
    public func shutdown(gracePeriod: Duration? = nil) async {
        let grace = gracePeriod ?? options.runtime.drainTime
        if grace > .zero { logger.info("shutting down: draining open connections for up to \(grace)") }
        try? await admin?.stop()
        await runtime.stop(gracePeriod: grace > .zero ? grace : nil)
        resolver.shutdown()
        try? await controlGroup.shutdownGracefully()
    }
}

extension SocketAddress {
    /// `127.0.0.1:15000` or `[::1]:15000`.
    var displayHostPort: String {
        let host = ipAddress ?? "?"
        let port = self.port ?? 0
        if case .v6 = self { return "[\(host)]:\(port)" }
        return "\(host):\(port)"
    }
}
