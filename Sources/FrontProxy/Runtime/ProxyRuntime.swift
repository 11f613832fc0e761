import Logging
import MeshConfig
import NIOCore
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
///
/// The data plane runs on its own threads (`SpliceLoop`, one per core by default) over epoll, not on
/// SwiftNIO's channels: a proxied connection then costs about as many system calls as in nginx and almost
/// no user-space work (see bench/RESULTS.md). SwiftNIO still serves DNS and the admin API.
public final class ProxyRuntime: Sendable {
    /// A listener that is bound, with its plan.
    public struct BoundListener: Sendable {
        public var plan: ListenerPlan
        /// Where it listens (the real port when port 0 was asked for).
        public var localAddress: SocketAddress
        /// The address it was asked to bind (port 0 for an ephemeral port), to tell whether a new plan
        /// wants the same socket.
        let requestedAddress: SocketAddress
        /// One listening socket per loop, all on the same address (SO_REUSEPORT).
        let sockets: [LoopBound<ListenerSocket>]

        /// Stops listening.
        func close() async {
            for socket in sockets { await Self.close(socket) }
        }

        static func close(_ socket: LoopBound<ListenerSocket>) async {
            await socket.value.loop.submit { loop in loop.remove(socket.value) }
        }
    }

    /// Why `apply` refused a plan; nothing changed.
    public struct BindError: Error, CustomStringConvertible {
        public var listener: String
        public var address: SocketAddress
        public var underlying: any Error

        public var description: String {
            let reason = (underlying as? SystemCallError)?.reason ?? "\(underlying)"
            return "cannot listen on \(address.displayHostPort) for listener \(listener): \(reason)"
        }
    }

    private let context: RuntimeContext
    /// The data-plane threads, started with the first listener and ended by `stop`.
    private let loops = Mutex<[SpliceLoop]>([])
    private let logger: Logger
    private let listeners = Mutex<[String: BoundListener]>([:])
    /// Serialises `apply` and `stop`: plan changes never interleave.
    private let changes = AsyncSerializer()

    public init(
        configuration: Configuration = Configuration(),
        observability: ProxyObservability = ProxyObservability(),
        resolver: any ClusterEndpointResolving,
        logger: Logger = Logger(label: "frontproxy.runtime")
    ) {
        context = RuntimeContext(
            configuration: configuration,
            observability: observability,
            resolver: resolver,
            logger: logger
        )
        self.logger = logger
    }

    deinit {
        for loop in loops.withLock({ $0 }) { loop.stopSoon() }
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
        await drainConnections(changedFrom: oldPlan, to: plan)
    }

    /// Schedules the close of connections whose listener or chain the new plan removed or changed.
    private func drainConnections(changedFrom oldPlan: RoutePlan, to newPlan: RoutePlan) async {
        func chains(_ plan: RoutePlan) -> [String: [String: FilterChainPlan]] {
            Dictionary(
                plan.listeners.map { ($0.name, Dictionary($0.chains.map { ($0.id, $0) }) { first, _ in first }) }
            ) { first, _ in first }
        }
        let before = chains(oldPlan)
        let after = chains(newPlan)
        let isAffected: @Sendable (String, String?) -> Bool = { listener, chain in
            guard let afterChains = after[listener] else { return true }
            guard let chain else { return false }
            return afterChains[chain] == nil || afterChains[chain] != before[listener]?[chain]
        }
        let drain = TimeAmount(context.configuration.drainTime)
        var draining = 0
        for loop in loops.withLock({ $0 }) {
            draining += await loop.submit { loop in loop.drain(where: isAffected, after: drain) }
        }
        guard draining > 0 else { return }
        logger.info("draining \(draining) connection(s) on removed listeners or chains for \(drain)")
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
            let loops = self.loops.withLock { loops in
                defer { loops.removeAll() }
                return loops
            }
            for loop in loops {
                await loop.submit { loop in loop.closeAll() }
                await loop.shutdown()
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

    /// Binds one listening socket per loop on the listener's address (SO_REUSEPORT), each serving its
    /// connections on its own loop: the kernel spreads new connections across loops, and no accepted
    /// connection has to hop threads.
    private func bind(_ listener: ListenerPlan) async throws -> BoundListener {
        let requested = try bindAddress(for: listener)
        var sockets: [LoopBound<ListenerSocket>] = []
        do {
            var address = SocketAddressStorage(requested)
            for loop in try runningLoops() {
                let socket = LoopBound(
                    try ListenerSocket(
                        listenerName: listener.name,
                        address: address,
                        backlog: context.configuration.backlog,
                        loop: loop
                    )
                )
                let added = await loop.submit { loop in
                    Result { () throws(SystemCallError) in try loop.add(socket.value) }
                }
                guard case .success = added else {
                    socket.value.close()
                    try added.get()
                    continue
                }
                sockets.append(socket)
                // The first socket fixes the port when port 0 was asked for; the others share it.
                if let bound = socket.value.localAddress { address = bound }
            }
        } catch {
            for socket in sockets { await BoundListener.close(socket) }
            throw BindError(listener: listener.name, address: requested, underlying: error)
        }
        let localAddress = sockets.first?.value.localAddress?.socketAddress ?? requested
        logger.info(
            "listening on \(localAddress.displayHostPort) for listener \(listener.name) (\(sockets.count) threads)"
        )
        return BoundListener(
            plan: listener,
            localAddress: localAddress,
            requestedAddress: requested,
            sockets: sockets
        )
    }

    /// The data-plane loops, started on first use.
    private func runningLoops() throws -> [SpliceLoop] {
        try loops.withLock { loops in
            if loops.isEmpty {
                for index in 0..<max(1, context.configuration.threads) {
                    let loop = try SpliceLoop(context: context)
                    loop.start(name: "frontproxy-data-\(index)")
                    loops.append(loop)
                }
            }
            return loops
        }
    }
}
