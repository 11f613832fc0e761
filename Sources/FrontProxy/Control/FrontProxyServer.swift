import Logging
import MeshConfig
import NIOCore
import NIOPosix

/// `frontproxy serve`: the runtime, its control plane and the admin API, started from `-f` files.
public final class FrontProxyServer: Sendable {
    /// What `serve` was asked to do.
    public struct Options: Sendable {
        public var files: [String]
        public var runtime = ProxyRuntime.Configuration()
        public var observability = ProxyObservability()
        /// Resolvers for DNS clusters; empty: the nameservers of `/etc/resolv.conf`.
        public var dnsServers: [SocketAddress] = []
        public var dnsConfiguration = DNSResolver.Configuration()
        /// nil disables the admin API.
        public var adminAddress: SocketAddress?
        public var adminAllowRemote = false

        public init(files: [String]) {
            self.files = files
        }
    }

    /// Why the server would not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let runtime: ProxyRuntime
    public let controlPlane: ControlPlane
    private let admin: AdminHTTPServer?
    private let resolver: DNSResolver
    private let options: Options
    private let logger: Logger

    private init(
        runtime: ProxyRuntime,
        controlPlane: ControlPlane,
        admin: AdminHTTPServer?,
        resolver: DNSResolver,
        options: Options,
        logger: Logger
    ) {
        self.runtime = runtime
        self.controlPlane = controlPlane
        self.admin = admin
        self.resolver = resolver
        self.options = options
        self.logger = logger
    }

    /// Where the admin API listens, if enabled.
    public var adminAddress: SocketAddress? { admin?.localAddress }

    /// Loads the files, binds every listener and the admin API. Fails, with nothing left running, when the
    /// configuration is invalid or an address cannot be bound.
    public static func start(
        _ options: Options,
        logger: Logger = Logger(label: "frontproxy")
    ) async throws
        -> FrontProxyServer
    {
        let nameservers: [SocketAddress]
        if options.dnsServers.isEmpty {
            let resolvConf = try ResolvConf.load()
            nameservers = resolvConf.nameservers
            for skipped in resolvConf.skipped {
                logger.warning("/etc/resolv.conf line \(skipped.line) ignored: \(skipped.reason)")
            }
        } else {
            nameservers = options.dnsServers
        }
        let resolver = DNSResolver(nameservers: nameservers, configuration: options.dnsConfiguration)
        let runtime = ProxyRuntime(
            configuration: options.runtime,
            observability: options.observability,
            resolver: ClusterEndpointResolver(dns: resolver),
            logger: logger
        )
        let controlPlane = ControlPlane(runtime: runtime)
        do {
            let outcome = await controlPlane.reload(ConfigFiles.read(options.files))
            for warning in outcome.warnings { logger.warning("\(warning)") }
            for line in outcome.lines { logger.info("\(line)") }
            guard outcome.succeeded else {
                throw StartError(description: "cannot start:\n" + outcome.errors.joined(separator: "\n"))
            }
            var admin: AdminHTTPServer?
            if let address = options.adminAddress {
                admin = try await AdminHTTPServer.start(
                    at: address,
                    allowRemote: options.adminAllowRemote,
                    group: MultiThreadedEventLoopGroup.singleton,
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
                options: options,
                logger: logger
            )
        } catch {
            await runtime.stop()
            resolver.shutdown()
            throw error
        }
    }

    /// SIGHUP: re-reads the `-f` files and applies the difference. A broken file changes nothing.
    public func reload() async {
        let outcome = await controlPlane.reload(ConfigFiles.read(options.files))
        for line in outcome.lines { logger.info("reload: \(line)") }
        for warning in outcome.warnings { logger.warning("reload: \(warning)") }
        if !outcome.succeeded {
            logger.error("reload refused, configuration unchanged:\n\(outcome.errors.joined(separator: "\n"))")
        }
    }

    /// SIGTERM: stops accepting, lets open connections finish for the drain time, then closes everything.
    public func shutdown() async {
        logger.info("shutting down: draining open connections for up to \(options.runtime.drainTime)")
        try? await admin?.stop()
        await runtime.stop(gracePeriod: options.runtime.drainTime)
        resolver.shutdown()
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
