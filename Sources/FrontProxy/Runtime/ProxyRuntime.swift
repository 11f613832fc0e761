import Logging
import MeshConfig
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The proxy: serves a `RoutePlan` over real sockets.
///
/// One listener per TLS or TCP listener of the plan; each accepted connection reads its ClientHello, is
/// routed by SNI, connects its upstream and is spliced both ways. `apply` swaps plans while running: new
/// connections use the new plan at once, connections on listeners and chains that still exist keep
/// flowing, and those on removed ones drain for `drainTime` and are then closed.
public final class ProxyRuntime: Sendable {
    /// A listener that is bound, with its plan.
    public struct BoundListener: Sendable {
        public var plan: ListenerPlan
        /// Where it listens (the real port when port 0 was asked for).
        public var localAddress: SocketAddress
        /// The address it was asked to bind (port 0 for an ephemeral port), to tell whether a new plan
        /// wants the same socket.
        let requestedAddress: SocketAddress
        /// One listening socket per event loop, all on the same address (SO_REUSEPORT).
        let channels: [any Channel]

        /// Stops listening.
        func close() async {
            for channel in channels { try? await channel.close() }
        }
    }

    /// Why `apply` refused a plan; nothing changed.
    public struct BindError: Error, CustomStringConvertible {
        public var listener: String
        public var address: SocketAddress
        public var underlying: any Error

        public var description: String {
            let reason =
                (underlying as? IOError).map { "\(String(cString: strerror($0.errnoCode))) (errno \($0.errnoCode))" }
                ?? "\(underlying)"
            return "cannot listen on \(address.displayHostPort) for listener \(listener): \(reason)"
        }
    }

    private let context: RuntimeContext
    private let group: any EventLoopGroup
    private let logger: Logger
    private let listeners = Mutex<[String: BoundListener]>([:])
    /// Serialises `apply` and `stop`: plan changes never interleave.
    private let changes = AsyncSerializer()

    /// - Parameters:
    ///   - group: event loops to run on; by default one per core.
    public init(
        configuration: Configuration = Configuration(),
        observability: ProxyObservability = ProxyObservability(),
        resolver: any ClusterEndpointResolving,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "frontproxy.runtime")
    ) {
        context = RuntimeContext(configuration: configuration, observability: observability, resolver: resolver)
        self.group = group
        self.logger = logger
    }

    /// The listeners being served, by name (`0.0.0.0_443`).
    public var boundListeners: [String: BoundListener] { listeners.withLock { $0 } }

    /// Open downstream and upstream connections.
    public var openConnections: (downstream: Int, upstream: Int) { context.registry.openCounts }

    /// The plan new connections use.
    public var currentPlan: RoutePlan { context.currentPlan }

    // MARK: - Changing the plan

    /// Serves `plan` from now on. Binds new listeners first: if one cannot bind, nothing changes and the
    /// error says which. Then swaps the plan, closes removed listeners and drains affected connections.
    public func apply(_ plan: RoutePlan) async throws {
        try await changes.run { try await self.applyNow(plan) }
    }

    private func applyNow(_ plan: RoutePlan) async throws {
        let served = plan.listeners.filter { $0.protocol != .http }
        for listener in plan.listeners where listener.protocol == .http {
            logger.warning(
                "listener \(listener.name) is plain HTTP, which this version does not serve: port \(listener.port) stays closed"
            )
        }
        let current = boundListeners
        // Compare with the address asked for, not the one bound: with port 0 they differ, and the listener
        // would move to a new ephemeral port on every plan change.
        let kept = served.filter { current[$0.name]?.requestedAddress == (try? bindAddress(for: $0)) }
        let toBind = served.filter { listener in !kept.contains { $0.name == listener.name } }
        var bound: [BoundListener] = []
        do {
            for listener in toBind {
                if let old = current[listener.name] {
                    // Same name, new address: free the old socket first, or the new bind may collide.
                    await old.close()
                }
                bound.append(try await bind(listener))
            }
        } catch {
            for listener in bound { await listener.close() }
            throw error
        }

        let oldPlan = context.swapPlan(plan)
        let servedNames = Set(served.map(\.name))
        let removed = current.values.filter { !servedNames.contains($0.plan.name) }
        listeners.withLock { listeners in
            for listener in removed { listeners[listener.plan.name] = nil }
            for listener in bound { listeners[listener.plan.name] = listener }
            for listener in kept { listeners[listener.name]?.plan = listener }
        }
        for listener in removed {
            await listener.close()
            logger.info(
                "stopped listening on \(listener.localAddress.displayHostPort) (listener \(listener.plan.name) removed)"
            )
        }
        context.selector.retain(
            chains: Set(served.flatMap { $0.chains.map(\.id) }),
            clusters: Set(plan.clusters.keys)
        )
        drainConnections(changedFrom: oldPlan, to: plan)
    }

    /// Schedules the close of connections whose listener or chain the new plan removed or changed.
    private func drainConnections(changedFrom oldPlan: RoutePlan, to newPlan: RoutePlan) {
        func chains(_ plan: RoutePlan) -> [String: [String: FilterChainPlan]] {
            Dictionary(
                plan.listeners.map { ($0.name, Dictionary($0.chains.map { ($0.id, $0) }) { first, _ in first }) }
            ) { first, _ in first }
        }
        let before = chains(oldPlan)
        let after = chains(newPlan)
        let affected = context.registry.connections { entry in
            guard let afterChains = after[entry.listener] else { return true }
            guard let chain = entry.chain else { return false }
            return afterChains[chain] == nil || afterChains[chain] != before[entry.listener]?[chain]
        }
        guard !affected.isEmpty else { return }
        let drain = TimeAmount(context.configuration.drainTime)
        logger.info("draining \(affected.count) connection(s) on removed listeners or chains for \(drain)")
        for channel in affected {
            channel.eventLoop.scheduleTask(in: drain) { channel.close(promise: nil) }
        }
    }

    // MARK: - Stopping

    /// Stops accepting; lets open connections finish for up to `gracePeriod` (nil: close them at once),
    /// then closes what is left.
    public func stop(gracePeriod: Duration? = nil) async {
        await changes.run {
            let bound = self.listeners.withLock { listeners in
                defer { listeners.removeAll() }
                return Array(listeners.values)
            }
            for listener in bound { await listener.close() }
            _ = self.context.swapPlan(RoutePlan(generation: 0, listeners: [], clusters: [:]))
            if let gracePeriod {
                let deadline = ContinuousClock.now + gracePeriod
                while self.openConnections.downstream > 0, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            for channel in self.context.registry.connections(where: { _ in true }) {
                try? await channel.close()
            }
            self.context.observability.accessLog?.flush()
            self.context.observability.telemetryLog?.flush()
        }
    }

    // MARK: - Binding

    private func bindAddress(for listener: ListenerPlan) throws -> SocketAddress {
        if let address = context.configuration.listenAddresses[listener.port] { return address }
        return try SocketAddress(ipAddress: listener.bind, port: listener.port)
    }

    /// Binds one listening socket per event loop on the listener's address (SO_REUSEPORT), each handing its
    /// connections to its own loop: the kernel spreads new connections across loops, and no accepted
    /// connection has to hop threads to be registered.
    private func bind(_ listener: ListenerPlan) async throws -> BoundListener {
        let requested = try bindAddress(for: listener)
        var channels: [any Channel] = []
        do {
            var address = requested
            for eventLoop in group.makeIterator() {
                let channel = try await serverBootstrap(for: listener, on: eventLoop).bind(to: address).get()
                channels.append(channel)
                // The first socket fixes the port when port 0 was asked for; the others share it.
                if let bound = channel.localAddress { address = bound }
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw BindError(listener: listener.name, address: requested, underlying: error)
        }
        let localAddress = channels.first?.localAddress ?? requested
        logger.info(
            "listening on \(localAddress.displayHostPort) for listener \(listener.name) (\(channels.count) event loops)"
        )
        return BoundListener(
            plan: listener,
            localAddress: localAddress,
            requestedAddress: requested,
            channels: channels
        )
    }

    private func serverBootstrap(for listener: ListenerPlan, on eventLoop: any EventLoop) -> ServerBootstrap {
        let context = self.context
        let name = listener.name
        return ServerBootstrap(group: eventLoop, childGroup: eventLoop)
            .serverChannelOption(.backlog, value: context.configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            // Accept up to 16 connections per wake-up instead of NIO's 4: fewer event-loop turns under load.
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Set synchronously: a bootstrap child option would cost a future per connection. (TCP_NODELAY
                    // is inherited from the listening socket, where ServerBootstrap sets it.)
                    try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
                    try Self.initializeConnection(channel, listenerName: name, context: context)
                }
            }
    }

    /// Sets up an accepted connection: its report, its registration, and the set-up handler.
    private static func initializeConnection(
        _ channel: any Channel,
        listenerName: String,
        context: RuntimeContext
    ) throws {
        let report = ConnectionReport(
            downstreamRemote: EndpointAddress(channel.remoteAddress),
            downstreamLocal: EndpointAddress(channel.localAddress),
            observability: context.observability
        )
        let id = context.registry.register(channel, listener: listenerName)
        let boundReport = NIOLoopBound(report, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in
            boundReport.value.finish()
            context.registry.closed(id)
        }
        guard let listener = context.currentPlan.listeners.first(where: { $0.name == listenerName }) else {
            // Accepted just as its listener was removed.
            report.failed(.noRouteFound, details: "listener_removed")
            channel.close(promise: nil)
            return
        }
        try channel.pipeline.syncOperations.addHandler(
            ConnectionSetupHandler(listener: listener, connectionID: id, runtime: context, report: report)
        )
    }
}
