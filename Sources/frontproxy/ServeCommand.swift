import ArgumentParser
import FrontProxy
import InternetAddress
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// `frontproxy serve -f PATH...`: runs the proxy for real.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the SNI front proxy on Istio YAML (and the Kubernetes Services and EndpointSlices beside it).",
        discussion: """
            Each gateway server port gets a listener (0.0.0.0:PORT unless --listen says otherwise). Change the \
            configuration while running with `frontproxy apply` / `delete` (the admin API), or edit the files \
            and send SIGHUP. SIGTERM stops accepting, drains for --drain-time and exits 0.
            """
    )

    @Option(
        name: [.short, .customLong("filename")],
        help: "A YAML file or a directory (searched for .yaml/.yml); none: start empty, configure with `apply`."
    )
    var files: [String] = []

    @Option(help: "Where gateway server port PORT listens, as PORT=ADDR:PORT (repeatable).")
    var listen: [String] = []

    @Option(name: .customLong("dns-server"), help: "A DNS server ADDR[:PORT] (repeatable; default: /etc/resolv.conf).")
    var dnsServers: [String] = []

    @Option(name: .customLong("access-log"), help: "Access log file, or - for standard output.")
    var accessLog = "-"

    @Option(
        name: .customLong("access-log-format"),
        help: "istio-2019 (the seed page's line), istio, json, or an Envoy format string."
    )
    var accessLogFormat = "istio-2019"

    @Option(name: .customLong("telemetry-log"), help: "Write Mixer-style tcpaccesslog JSON events to this file.")
    var telemetryLog: String?

    @Option(help: "Admin API address (loopback only unless --admin-allow-remote).")
    var admin = "127.0.0.1:15000"

    @Flag(name: .customLong("admin-allow-remote"), help: "Allow the admin API on a non-loopback address.")
    var adminAllowRemote = false

    @Option(name: .customLong("drain-time"), help: "Seconds connections of removed listeners or chains may live.")
    var drainTime: Double = 5

    @Option(name: .customLong("connect-timeout"), help: "Upstream connect timeout in seconds.")
    var connectTimeout: Double = 10

    @Option(name: .customLong("idle-timeout"), help: "Close connections idle this many seconds (0: never).")
    var idleTimeout: Double = 3600

    @Option(name: .customLong("client-hello-timeout"), help: "Seconds to wait for a complete ClientHello.")
    var clientHelloTimeout: Double = 15

    @Option(name: .customLong("max-client-hello-size"), help: "Largest ClientHello read, in bytes.")
    var maxClientHelloSize = 16_384

    @Option(name: .customLong("max-connections-per-cluster"), help: "Upstream connection limit per cluster (UO).")
    var maxConnectionsPerCluster: Int?

    @Option(
        name: .customLong("max-connections"),
        help: "Downstream connections allowed in all; over it new ones are closed at accept (Envoy's overload cap)."
    )
    var maxConnections: Int?

    @Option(help: "Data-plane threads, each with its own listening socket (default: one per core).")
    var threads: Int?

    @Option(name: .customLong("report-interval"), help: "Seconds between telemetry `continue` reports.")
    var reportInterval: Double = 10

    @OptionGroup var mesh: MeshOptions

    func validate() throws {
        for (name, value) in [
            ("--drain-time", drainTime), ("--connect-timeout", connectTimeout), ("--idle-timeout", idleTimeout),
            ("--client-hello-timeout", clientHelloTimeout), ("--report-interval", reportInterval),
        ] where value < 0 || !value.isFinite {
            throw ValidationError("\(name) must be a non-negative number of seconds")
        }
        guard (64...65_536).contains(maxClientHelloSize) else {
            throw ValidationError("--max-client-hello-size must be in 64...65536")
        }
        if let threads, !(1...1024).contains(threads) {
            throw ValidationError("--threads must be in 1...1024")
        }
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "frontproxy")
        if let descriptors = ProcessLimits.raiseDescriptorLimit() {
            var line = "descriptor limit: \(descriptors) (about \(descriptors / 2) proxied connections)"
            if let maxConnections { line += "; --max-connections \(maxConnections)" }
            logger.info("\(line)")
        }
        let options: FrontProxyServer.Options
        do {
            options = try makeOptions(logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
        // The proxy runs as a swift-service-lifecycle service, as Hummingbird applications do: SIGTERM and
        // SIGINT shut it down gracefully (stop accepting, drain), SIGHUP reloads the files.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: ProxyService(options: options), successTerminationBehavior: .gracefullyShutdownGroup)
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "frontproxy.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        do {
            try await group.run()
        } catch let error as ProxyService.StartFailed {
            logger.error("\(error.underlying)")
            throw ExitCode.failure
        }
    }

    private func makeOptions(logger: Logger) throws -> FrontProxyServer.Options {
        var options = FrontProxyServer.Options(files: files)
        options.logger = logger
        options.compile = mesh.compileOptions
        options.runtime.drainTime = .seconds(drainTime)
        options.runtime.connectTimeout = .seconds(connectTimeout)
        options.runtime.idleTimeout = idleTimeout == 0 ? nil : .seconds(idleTimeout)
        options.runtime.clientHelloTimeout = .seconds(clientHelloTimeout)
        options.runtime.maximumClientHelloLength = maxClientHelloSize
        options.runtime.maximumConnectionsPerCluster = maxConnectionsPerCluster
        options.runtime.maximumDownstreamConnections = maxConnections
        if let threads { options.runtime.threads = threads }
        for mapping in listen {
            guard let equals = mapping.firstIndex(of: "="), let port = Int(mapping[..<equals]) else {
                throw CLIError("--listen \(mapping): expected PORT=ADDR:PORT, e.g. 443=127.0.0.1:8443")
            }
            options.runtime.listenAddresses[port] = try SocketAddress(
                parsing: String(mapping[mapping.index(after: equals)...])
            )
        }
        options.nameservers = try dnsServers.map { try SocketAddress(parsing: $0, defaultPort: 53) }
        options.admin = FrontProxyServer.Admin(
            address: try SocketAddress(parsing: admin),
            allowRemote: adminAllowRemote
        )
        let format = try AccessLogFormat(presetOrFormatString: accessLogFormat)
        let identity = TelemetryIdentity.istioIngressGateway()
        options.observability = ProxyObservability(
            accessLog: try FileLogLineSink(path: accessLog),
            accessLogFormat: format,
            telemetryLog: try telemetryLog.map { try FileLogLineSink(path: $0) },
            identity: identity,
            reportInterval: .seconds(reportInterval)
        )
        return options
    }
}

/// `serve` as a service: starts the server, reloads it on SIGHUP, and on graceful shutdown stops accepting
/// and drains for the drain time before returning.
struct ProxyService: Service {
    let options: FrontProxyServer.Options

    /// The server would not start (invalid files, an address that cannot be bound).
    struct StartFailed: Error {
        var underlying: any Error
    }

    func run() async throws {
        let server: FrontProxyServer
        do {
            server = try await FrontProxyServer.start(options)
        } catch {
            throw StartFailed(underlying: error)
        }
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() { await server.reload() }
        await server.shutdown()
    }
}

/// A command-line mistake, printed as is.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension SocketAddress {
    /// Parses `ADDR:PORT` or `[V6]:PORT` (or a bare address with `defaultPort`).
    init(parsing text: String, defaultPort: Int? = nil) throws {
        let hostPort: HostPort
        do { hostPort = try HostPort(parsing: text, defaultPort: defaultPort) } catch {
            throw CLIError("\(error): expected ADDR:PORT")
        }
        guard IPLiteral.isValid(hostPort.host) else { throw CLIError("\(text): \(hostPort.host) is not an IP address") }
        self = try SocketAddress(ipAddress: hostPort.host, port: hostPort.port)
    }
}
