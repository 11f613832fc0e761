import CLinuxSockets
import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One data-plane thread: an epoll set with its listening sockets and the connections they accepted.
///
/// Everything a connection does happens on its loop's thread, so connections need no locks. Other threads
/// talk to a loop only through `execute`/`submit`, which queue a task and wake the loop through an eventfd;
/// loop-confined objects cross threads only inside a `LoopBound`, which checks (in debug builds) that it is
/// opened on its loop's thread. Sockets are registered once, edge-triggered for reading and writing: a
/// proxied connection costs two `epoll_ctl` calls in its whole life (the kernel drops closed descriptors by
/// itself).
///
/// Each registration is a slot in `slots`, and its epoll cookie carries the slot's index and generation:
/// an event fetched in the same batch as the close of its object (whose slot may already hold a new
/// connection) finds another generation and is skipped, never dereferenced.
///
/// Timers are a sweep: the loop checks each connection's deadlines (ClientHello wait, connect timeout, idle
/// timeout, drain, telemetry reports) every `sweepInterval` on the system clock, or whenever a manual clock
/// is advanced. That costs a few nanoseconds per connection per sweep, against a timer syscall per
/// connection per deadline for a timer heap backed by timerfd.
final class DataPlaneLoop: @unchecked Sendable {
    // @unchecked Sendable by confinement: the mutable state below is touched only on the loop's thread
    // (checked by `preconditionInLoop` in debug builds); other threads reach it only through `execute`,
    // whose inbox is a `Mutex`.

    /// How often deadlines are checked on the system clock: the precision of every timeout.
    static let sweepInterval = TimeAmount.milliseconds(25)
    /// Bytes read per `read` call; also the most a direction holds for a slow reader.
    static let readSize = 64 * 1024

    let context: RuntimeContext
    /// The configuration's timeouts, converted once.
    let timeouts: Timeouts
    private let epoll: Int32
    private let wakeup: Int32
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    /// The loop thread's id, set when it starts; what `preconditionInLoop` compares with.
    private let threadID = Atomic<UInt>(0)

    // Loop-confined state.
    private var slots: [Slot] = []
    private var freeSlots: [UInt32] = []
    private var connectionCount = 0
    /// Connections that stopped for fairness with bytes still to move; they run after the turn's events.
    private var runnable: [ProxiedConnection] = []
    private var httpRunnable: [HTTPProxyConnection] = []
    /// Idle upstream HTTP connections, by endpoint.
    let pool = HTTPUpstreamPool()
    /// Mirrored requests in flight: nothing else holds them.
    var shadows: [ObjectIdentifier: ShadowRequest] = [:]
    /// `x-request-id`s and weighted choices, without a system call per request.
    var random = RequestIDGenerator()
    /// The `date` of responses written this second.
    var responseDate = ResponseDate()
    /// HTTP metric series this loop has used, so a request costs no lock.
    var requestSeries: [IstioMetrics.RequestLabels: IstioMetrics.RequestSeries] = [:]
    private var pausedListeners = 0
    private var nextSweep = NIODeadline.now()
    private var isStopping = false
    /// The plan connections accepted on this loop route with; replaced by the runtime between turns.
    private(set) var plan: ServingPlan
    /// The time at the start of this turn on the runtime's clock: what deadlines and activity stamps use.
    private(set) var now: NIODeadline
    /// One read buffer shared by every connection of the loop: bytes are written on at once, and copied to
    /// a connection's own buffer only when its destination cannot take them all.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: DataPlaneLoop.readSize, alignment: 16)

    init(context: RuntimeContext, plan: ServingPlan) throws(SystemCallError) {
        self.context = context
        self.plan = plan
        timeouts = Timeouts(context.configuration)
        now = context.clock.now()
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SystemCallError(call: "epoll_create1", errno: errno) }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeup >= 0 else {
            let code = errno
            SystemCall.close(epoll)
            throw SystemCallError(call: "eventfd", errno: code)
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: RegistrationToken.wakeup))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0 else {
            let code = errno
            SystemCall.close(wakeup)
            SystemCall.close(epoll)
            throw SystemCallError(call: "epoll_ctl", errno: code)
        }
    }

    deinit {
        scratch.deallocate()
        SystemCall.close(wakeup)
        SystemCall.close(epoll)
    }

    // MARK: - Confinement

    /// Traps (in debug builds) unless called on this loop's thread, as NIO's `preconditionInEventLoop`.
    @inline(__always)
    func preconditionInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(isInLoop, "loop-confined state touched off its data-plane thread", file: file, line: line)
    }

    var isInLoop: Bool { threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    // MARK: - From other threads

    /// Runs `task` on the loop's thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = inbox.withLock { tasks in
            tasks.append(task)
            return tasks.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
        }
    }

    /// Runs `body` on the loop's thread and returns its result.
    func submit<Result: Sendable>(_ body: @escaping @Sendable (DataPlaneLoop) -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            execute { continuation.resume(returning: body(self)) }
        }
    }

    /// Starts the loop's thread, named `name` (at most 15 bytes: Linux refuses a longer thread name).
    func start(name: String) {
        let thread = Thread { self.run() }
        thread.name = name
        thread.start()
    }

    /// Closes every connection and listener and ends the thread; returns when it has.
    func shutdown() async {
        await withCheckedContinuation { continuation in
            finished.withLock { $0 = continuation }
            execute { self.isStopping = true }
        }
    }

    /// Ends the thread without waiting (its owner is going away).
    func stopSoon() {
        execute { self.isStopping = true }
    }

    // MARK: - The loop

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !isStopping {
            let count = epoll_wait(epoll, events, Int32(capacity), waitMilliseconds())
            now = context.clock.now()
            readinessEvents &+= max(0, Int(count))
            var tasksPending = false
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                let token = RegistrationToken(event.data.u64)
                guard token.kind != .wakeup else {
                    tasksPending = true
                    continue
                }
                // A slot closed earlier in this batch (and perhaps reused) has another generation: skip.
                switch entry(for: token) {
                case .listener(let listener): listener.acceptConnections()
                case .connection(let connection):
                    connection.handle(event.events, on: token.kind == .downstream ? .downstream : .upstream)
                case .http(let connection): connection.handle(event.events)
                case .httpUpstream(let connection): connection.handle(event.events)
                case .free, nil: break
                }
            }
            if tasksPending { runTasks() }
            runRunnable()
            if pausedListeners > 0 { resumeListeners() }
            if context.clock.isSystem, now >= nextSweep { sweep() }
        }
        closeAll()
        for slot in slots { if case .listener(let listener) = slot.entry { listener.close() } }
        slots.removeAll()
        finished.withLock { $0.take() }?.resume()
    }

    private func waitMilliseconds() -> Int32 {
        if !runnable.isEmpty || !httpRunnable.isEmpty { return 0 }
        if pausedListeners > 0 { return Int32(ListenerSocket.pauseLength.nanoseconds / 1_000_000) }
        guard context.clock.isSystem, connectionCount > 0 else { return -1 }
        let nanoseconds = max(0, (nextSweep - .now()).nanoseconds)
        return Int32(min(nanoseconds / 1_000_000 + 1, Int64(Int32.max)))
    }

    private func runRunnable() {
        if !runnable.isEmpty {
            let batch = runnable
            runnable.removeAll(keepingCapacity: true)
            for connection in batch { connection.resume() }
        }
        if !httpRunnable.isEmpty {
            let batch = httpRunnable
            httpRunnable.removeAll(keepingCapacity: true)
            for connection in batch { connection.resume() }
        }
    }

    private func runTasks() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeup, &value, 8)
        let tasks = inbox.withLock { tasks in
            defer { tasks.removeAll(keepingCapacity: true) }
            return tasks
        }
        for task in tasks { task() }
    }

    /// Checks every connection's deadlines at the clock's current time.
    func sweep() {
        preconditionInLoop()
        now = context.clock.now()
        nextSweep = now + Self.sweepInterval
        for slot in slots {
            switch slot.entry {
            case .connection(let connection): connection.checkDeadlines(now: now)
            case .http(let connection): connection.checkDeadlines(now: now)
            default: break
            }
        }
        if let idle = timeouts.idle { pool.closeIdle(before: now - idle) }
    }

    /// Resumes listeners whose accept pause (out of descriptors) is over.
    private func resumeListeners() {
        for slot in slots { if case .listener(let listener) = slot.entry, listener.isPaused { listener.resumeIfDue() } }
    }

    // MARK: - Registrations (on the loop's thread)

    private enum Entry {
        case free
        case listener(ListenerSocket)
        /// A TLS or TCP connection: both sockets under one slot.
        case connection(ProxiedConnection)
        /// An HTTP client connection, and an upstream HTTP connection: a slot per socket, since upstream
        /// connections outlive requests in the pool.
        case http(HTTPProxyConnection)
        case httpUpstream(HTTPUpstreamConnection)
    }

    private struct Slot {
        var generation: UInt32
        var entry: Entry
    }

    private func entry(for token: RegistrationToken) -> Entry? {
        let index = Int(token.slot)
        guard index < slots.count, slots[index].generation == token.generation else { return nil }
        return slots[index].entry
    }

    private func occupy(_ entry: Entry) -> (slot: UInt32, generation: UInt32) {
        if let slot = freeSlots.popLast() {
            slots[Int(slot)].entry = entry
            return (slot, slots[Int(slot)].generation)
        }
        slots.append(Slot(generation: 1, entry: entry))
        return (UInt32(slots.count - 1), 1)
    }

    private func vacate(_ slot: UInt32) {
        slots[Int(slot)].entry = .free
        // Generations are 30 bits in the cookie; wrapping after a billion reuses of one slot is harmless.
        slots[Int(slot)].generation = (slots[Int(slot)].generation &+ 1) & RegistrationToken.generationMask
        freeSlots.append(slot)
    }

    func register(_ descriptor: Int32, token: RegistrationToken, events: UInt32) throws(SystemCallError) {
        preconditionInLoop()
        var event = epoll_event(events: events, data: epoll_data_t(u64: token.rawValue))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw SystemCallError(call: "epoll_ctl", errno: errno)
        }
    }

    func modify(_ descriptor: Int32, token: RegistrationToken, events: UInt32) {
        preconditionInLoop()
        var event = epoll_event(events: events, data: epoll_data_t(u64: token.rawValue))
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Gives a new connection a slot; its registrations use the tokens this returns.
    func adopt(_ connection: ProxiedConnection) -> (downstream: RegistrationToken, upstream: RegistrationToken) {
        preconditionInLoop()
        let (slot, generation) = occupy(.connection(connection))
        connectionCount += 1
        connection.slot = slot
        return (
            RegistrationToken(kind: .downstream, slot: slot, generation: generation),
            RegistrationToken(kind: .upstream, slot: slot, generation: generation)
        )
    }

    /// Forgets a closed connection: events already fetched for it are skipped.
    func retire(_ connection: ProxiedConnection) {
        preconditionInLoop()
        vacate(connection.slot)
        connectionCount -= 1
    }

    /// Gives an HTTP client connection a slot; its socket registers with the token this returns.
    func adopt(_ connection: HTTPProxyConnection) -> RegistrationToken {
        preconditionInLoop()
        let (slot, generation) = occupy(.http(connection))
        connectionCount += 1
        connection.slot = slot
        return RegistrationToken(kind: .downstream, slot: slot, generation: generation)
    }

    func retire(_ connection: HTTPProxyConnection) {
        preconditionInLoop()
        vacate(connection.slot)
        connectionCount -= 1
    }

    /// Gives an upstream HTTP connection a slot of its own.
    func adopt(_ connection: HTTPUpstreamConnection) -> RegistrationToken {
        preconditionInLoop()
        let (slot, generation) = occupy(.httpUpstream(connection))
        connection.slot = slot
        return RegistrationToken(kind: .upstream, slot: slot, generation: generation)
    }

    func retire(_ connection: HTTPUpstreamConnection) {
        preconditionInLoop()
        vacate(connection.slot)
    }

    /// Runs the connection again after this turn's events (it yielded with work left).
    func scheduleRunnable(_ connection: ProxiedConnection) {
        runnable.append(connection)
    }

    func scheduleRunnable(_ connection: HTTPProxyConnection) {
        httpRunnable.append(connection)
    }

    /// Starts accepting on `listener`.
    func add(_ listener: ListenerSocket) throws(SystemCallError) {
        preconditionInLoop()
        let (slot, generation) = occupy(.listener(listener))
        let token = RegistrationToken(kind: .listener, slot: slot, generation: generation)
        do {
            try register(listener.descriptor, token: token, events: EPOLLIN.rawValue)
        } catch {
            vacate(slot)
            throw error
        }
        listener.registered(token: token, slot: slot)
    }

    /// Stops accepting on `listener` and closes it.
    func remove(_ listener: ListenerSocket) {
        preconditionInLoop()
        if let slot = listener.slot { vacate(slot) }
        if listener.isPaused { pausedListeners -= 1 }
        listener.close()
    }

    func listenerPaused() { pausedListeners += 1 }
    func listenerResumed() { pausedListeners -= 1 }

    /// Readiness events handled (a wake-up for tasks counts as one), for `settle`: when it moves by one
    /// between two of its tasks, the second task's wake-up was all the loop had to do.
    private(set) var readinessEvents = 0

    /// Installs the plan new connections on this loop route with.
    func install(_ plan: ServingPlan) {
        preconditionInLoop()
        self.plan = plan
        pool.closeIdle { plan.cluster(named: $0) != nil }
    }

    /// Marks the connections `isAffected` selects to close after `drainTime`; returns how many.
    func drain(where isAffected: (_ listener: String, _ chain: String?) -> Bool, after drainTime: TimeAmount) -> Int {
        preconditionInLoop()
        let deadline = context.clock.now() + drainTime
        var count = 0
        for slot in slots {
            switch slot.entry {
            case .connection(let connection) where isAffected(connection.listenerName, connection.chainID):
                connection.drain(by: deadline)
            case .http(let connection) where isAffected(connection.listenerName, connection.chainID):
                connection.drain(by: deadline)
            default:
                continue
            }
            count += 1
        }
        return count
    }

    /// Closes every connection now.
    func closeAll() {
        preconditionInLoop()
        for slot in slots {
            switch slot.entry {
            case .connection(let connection): connection.close()
            case .http(let connection): connection.close()
            default: break
            }
        }
        pool.closeAll()
    }
}

/// The timeouts connections check at every sweep, as `TimeAmount`s.
struct Timeouts {
    var clientHello: TimeAmount
    var connect: TimeAmount
    var idle: TimeAmount?

    init(_ configuration: ProxyRuntime.Configuration) {
        clientHello = TimeAmount(configuration.clientHelloTimeout)
        connect = TimeAmount(configuration.connectTimeout)
        idle = configuration.idleTimeout.map(TimeAmount.init)
    }
}

/// An epoll cookie: what kind of registration (the loop's eventfd, a listener, a connection's downstream or
/// upstream socket), its slot in the loop, and the slot's generation when it was registered.
struct RegistrationToken: Equatable {
    enum Kind: UInt64 {
        case wakeup = 0
        case listener = 1
        case downstream = 2
        case upstream = 3
    }

    static let wakeup: UInt64 = 0
    static let generationMask: UInt32 = (1 << 30) - 1

    let rawValue: UInt64

    init(kind: Kind, slot: UInt32, generation: UInt32) {
        rawValue = UInt64(slot) << 32 | UInt64(generation & Self.generationMask) << 2 | kind.rawValue
    }

    init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    var kind: Kind { Kind(rawValue: rawValue & 0b11)! }
    var slot: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    var generation: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 2) & Self.generationMask }
}

/// Carries a loop-confined object through a `Sendable` closure or value; opening it off its loop's thread
/// traps in debug builds, as NIO's `NIOLoopBound` does.
struct LoopBound<Value>: @unchecked Sendable {
    private let wrapped: Value
    let loop: DataPlaneLoop

    init(_ value: Value, loop: DataPlaneLoop) {
        wrapped = value
        self.loop = loop
    }

    var value: Value {
        loop.preconditionInLoop()
        return wrapped
    }
}
