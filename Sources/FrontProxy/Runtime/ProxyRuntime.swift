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
/// The data plane runs on its own threads (`DataPlaneLoop`, one per core by default) over epoll, not on
/// SwiftNIO's channels: a proxied connection then costs about as many system calls as in nginx and almost
/// no user-space work (see bench/RESULTS.md). SwiftNIO still serves DNS and the admin API. Every socket a
/// loop owns is created, registered and closed on that loop's thread; this type only asks.
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
    private let loops = Mutex<[DataPlaneLoop]>([])
    private let logger: Logger
    private let listeners = Mutex<[String: BoundListener]>([:])
    /// The plan being served, for readers off the data plane (each loop holds its own reference).
    private let plan: Mutex<ServingPlan>
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
        plan = Mutex(Self.servingPlan(RoutePlan(generation: 0, listeners: [], clusters: [:]), context: context))
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
    public var currentPlan: RoutePlan { plan.withLock { $0.routePlan } }

    private static func servingPlan(_ plan: RoutePlan, context: RuntimeContext) -> ServingPlan {
        ServingPlan(plan, resolver: context.resolver, metrics: context.observability.metrics)
    }

    // MARK: - Changing the plan

    /// Serves `plan` from now on. Binds new listeners first: if one cannot bind, nothing changes and the
    /// error says which. Then each loop, in one task, takes the new plan, starts accepting on the new
    /// listeners, closes removed ones and marks affected connections to drain.
    public func apply(_ plan: RoutePlan) async throws {
        try await changes.run { try await self.applyNow(plan) }
    }

    private func applyNow(_ plan: RoutePlan) async throws {
        let served = plan.listeners
        let current = boundListeners
        // Compare with the address asked for, not the one bound: with port 0 they differ, and the listener
        // would move to a new ephemeral port on every plan change.
        let kept = served.filter { current[$0.name]?.requestedAddress == (try? bindAddress(for: $0)) }
        let keptNames = Set(kept.map(\.name))
        var bound: [BoundListener] = []
        do {
            // A listener whose address changed is bound anew before its old socket closes, so a failed bind
            // changes nothing.
            for listener in served where !keptNames.contains(listener.name) {
                bound.append(try await bind(listener))
            }
        } catch {
            for listener in bound { await close(listener.sockets) }
            throw error
        }
        let servedNames = Set(served.map(\.name))
        let boundNames = Set(bound.map(\.plan.name))
        let closing = current.values.filter { !servedNames.contains($0.plan.name) || boundNames.contains($0.plan.name) }
        let serving = Self.servingPlan(plan, context: context)
        let oldPlan = self.plan.withLock { current in
            defer { current = serving }
            return current.routePlan
        }
        let isAffected = Self.drainSelector(from: oldPlan, to: plan)
        let drain = TimeAmount(context.configuration.drainTime)
        var draining = 0
        for loop in loops.withLock({ $0 }) {
            let opening = bound.flatMap(\.sockets).filter { $0.loop === loop }
            let removing = closing.flatMap(\.sockets).filter { $0.loop === loop }
            draining += await loop.submit { loop in
                loop.install(serving)
                for socket in opening {
                    do { try loop.add(socket.value) } catch {
                        loop.context.logger.error(
                            "listener \(socket.value.listenerName): cannot watch its socket: \(error)"
                        )
                    }
                }
                for socket in removing { loop.remove(socket.value) }
                return loop.drain(where: isAffected, after: drain)
            }
        }
        listeners.withLock { listeners in
            for listener in closing { listeners[listener.plan.name] = nil }
            for listener in bound { listeners[listener.plan.name] = listener }
            for listener in kept { listeners[listener.name]?.plan = listener }
        }
        for listener in closing where !servedNames.contains(listener.plan.name) {
            logger.info(
                "stopped listening on \(listener.localAddress.displayHostPort) (listener \(listener.plan.name) removed)"
            )
        }
        context.selector.retain(
            chains: Set(served.flatMap { $0.chains.map(\.id) }),
            clusters: Set(plan.clusters.keys)
        )
        if draining > 0 {
            logger.info("draining \(draining) connection(s) on removed listeners or chains for \(drain)")
        }
    }

    /// Which connections a plan change must drain: those whose listener or chain the new plan removed or
    /// changed.
    private static func drainSelector(
        from oldPlan: RoutePlan,
        to newPlan: RoutePlan
    ) -> @Sendable (String, String?) -> Bool {
        func chains(_ plan: RoutePlan) -> [String: [String: FilterChainPlan]] {
            Dictionary(
                plan.listeners.map { ($0.name, Dictionary($0.chains.map { ($0.id, $0) }) { first, _ in first }) }
            ) { first, _ in first }
        }
        let before = chains(oldPlan)
        let after = chains(newPlan)
        return { listener, chain in
            guard let afterChains = after[listener] else { return true }
            guard let chain else { return false }
            return afterChains[chain] == nil || afterChains[chain] != before[listener]?[chain]
        }
    }

    // MARK: - Time

    /// Has every loop check its connections' deadlines now (after a manual clock moved), and returns when
    /// they have.
    func checkDeadlines() async {
        for loop in loops.withLock({ $0 }) { await loop.submit { $0.sweep() } }
    }

    /// Returns once every loop has handled what was ready on its sockets (bytes a client wrote before this
    /// call, the accept and read they need), so a manual clock advanced next finds requests already waiting
    /// on their deadlines. A loop is settled when, between two of its tasks, the only readiness it handled
    /// was the second task's wake-up (bounded, for a loop that never rests).
    func settle() async {
        for loop in loops.withLock({ $0 }) {
            var previous = await loop.submit { $0.readinessEvents }
            for _ in 0..<50 {
                let current = await loop.submit { $0.readinessEvents }
                if current == previous + 1 { break }
                previous = current
            }
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
            for listener in bound { await self.close(listener.sockets) }
            let empty = Self.servingPlan(RoutePlan(generation: 0, listeners: [], clusters: [:]), context: self.context)
            self.plan.withLock { $0 = empty }
            for loop in self.loops.withLock({ $0 }) { await loop.submit { $0.install(empty) } }
            if let gracePeriod {
                // Real time: a graceful stop waits for clients, whatever clock the timeouts run on.
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
        let configuration = context.configuration
        if let address = configuration.listenAddresses[listener.port] { return address }
        if let ip = configuration.ephemeralListenIP { return try SocketAddress(ipAddress: ip, port: 0) }
        return try SocketAddress(ipAddress: listener.bind, port: listener.port)
    }

    /// Binds one listening socket per loop on the listener's address (SO_REUSEPORT), each made on its own
    /// loop's thread and watched only once the loop takes the new plan: the kernel spreads new connections
    /// across loops, and no accepted connection has to hop threads.
    private func bind(_ listener: ListenerPlan) async throws -> BoundListener {
        let requested = try bindAddress(for: listener)
        let backlog = context.configuration.backlog
        var sockets: [LoopBound<ListenerSocket>] = []
        var localAddress: SocketAddressStorage?
        do {
            for loop in try runningLoops() {
                let address = localAddress ?? SocketAddressStorage(requested)
                let made = await loop.submit { loop in
                    Result { () throws(SystemCallError) in
                        let socket = try ListenerSocket(
                            listenerName: listener.name,
                            address: address,
                            backlog: backlog,
                            loop: loop
                        )
                        return (LoopBound(socket, loop: loop), socket.localAddress)
                    }
                }
                let (socket, bound) = try made.get()
                sockets.append(socket)
                // The first socket fixes the port when port 0 was asked for; the others share it.
                if localAddress == nil { localAddress = bound }
            }
        } catch {
            await close(sockets)
            throw BindError(listener: listener.name, address: requested, underlying: error)
        }
        let address = localAddress?.socketAddress ?? requested
        logger.info("listening on \(address.displayHostPort) for listener \(listener.name) (\(sockets.count) threads)")
        return BoundListener(plan: listener, localAddress: address, requestedAddress: requested, sockets: sockets)
    }

    /// Closes listening sockets, each on its own loop.
    private func close(_ sockets: [LoopBound<ListenerSocket>]) async {
        for socket in sockets { await socket.loop.submit { loop in loop.remove(socket.value) } }
    }

    /// The data-plane loops, started on first use.
    private func runningLoops() throws -> [DataPlaneLoop] {
        let serving = plan.withLock { $0 }
        return try loops.withLock { loops in
            if loops.isEmpty {
                for index in 0..<max(1, context.configuration.threads) {
                    let loop = try DataPlaneLoop(context: context, plan: serving)
                    loop.start(name: "fp-data-\(index)")
                    loops.append(loop)
                }
            }
            return loops
        }
    }
}
