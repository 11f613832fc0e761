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
/// talk to a loop only through `execute`, which queues a task and wakes the loop through an eventfd. Sockets
/// are registered once, edge-triggered for reading and writing: a proxied connection costs two `epoll_ctl`
/// calls in its whole life (the kernel drops closed descriptors by itself).
///
/// Timers are a sweep: every `sweepInterval` the loop checks each connection's deadlines (ClientHello wait,
/// connect timeout, idle timeout, drain, telemetry reports). That costs a few nanoseconds per connection per
/// sweep, against a timer syscall per connection per deadline for a timer heap backed by timerfd.
///
/// `@unchecked Sendable` by confinement: the mutable state below is touched only on the loop's own thread;
/// other threads reach it only through `execute` (the inbox is a `Mutex`).
final class SpliceLoop: @unchecked Sendable {
    /// How often deadlines are checked: the precision of every timeout.
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

    // Loop-confined state.
    private var connections: [ProxiedConnection] = []
    private var listeners: [ListenerSocket] = []
    /// Objects closed during this turn, kept alive until the turn's events are all handled (an event
    /// fetched in the same batch may still point at them).
    private var retired: [AnyObject] = []
    /// Connections that stopped for fairness with bytes still to move.
    private var runnable: [ProxiedConnection] = []
    private var nextSweep = NIODeadline.now()
    private var isStopping = false
    /// The time at the start of this turn: what deadlines and activity stamps use.
    private(set) var now = NIODeadline.now()
    /// One read buffer shared by every connection of the loop: bytes are written on at once, and copied to
    /// a connection's own buffer only when its destination cannot take them all.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: SpliceLoop.readSize, alignment: 16)

    init(context: RuntimeContext) throws(SystemCallError) {
        self.context = context
        timeouts = Timeouts(context.configuration)
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SystemCallError(call: "epoll_create1", errno: errno) }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeup >= 0 else {
            let code = errno
            Glibc.close(epoll)
            throw SystemCallError(call: "eventfd", errno: code)
        }
        try register(wakeup, token: EventToken.wakeupToken, events: EPOLLIN.rawValue)
    }

    deinit {
        scratch.deallocate()
        Glibc.close(wakeup)
        Glibc.close(epoll)
    }

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
    func submit<Result: Sendable>(_ body: @escaping @Sendable (SpliceLoop) -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            execute { continuation.resume(returning: body(self)) }
        }
    }

    /// Starts the loop's thread.
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
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !isStopping {
            let count = epoll_wait(epoll, events, Int32(capacity), waitMilliseconds())
            now = .now()
            var tasksPending = false
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                switch EventToken(event.data.u64) {
                case .wakeup: tasksPending = true
                case .listener(let listener): listener.acceptConnections()
                case .connection(let connection, let side): connection.handle(event.events, on: side)
                }
            }
            if tasksPending { runTasks() }
            runRunnable()
            if now >= nextSweep { sweep() }
            retired.removeAll(keepingCapacity: true)
        }
        for connection in connections { connection.close() }
        for listener in listeners { listener.close() }
        retired.removeAll()
        finished.withLock { $0.take() }?.resume()
    }

    private func waitMilliseconds() -> Int32 {
        if !runnable.isEmpty { return 0 }
        if connections.isEmpty && listeners.allSatisfy({ !$0.isPaused }) { return -1 }
        let nanoseconds = max(0, (nextSweep - .now()).nanoseconds)
        return Int32(min(nanoseconds / 1_000_000 + 1, Int64(Int32.max)))
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

    private func runRunnable() {
        guard !runnable.isEmpty else { return }
        let batch = runnable
        runnable.removeAll(keepingCapacity: true)
        for connection in batch { connection.resume() }
    }

    private func sweep() {
        nextSweep = now + Self.sweepInterval
        // Backwards: a connection that closes removes itself by swapping the last one into its place.
        var index = connections.count - 1
        while index >= 0 {
            if index < connections.count { connections[index].checkDeadlines(now: now) }
            index -= 1
        }
        for listener in listeners where listener.isPaused { listener.resumeIfDue(now: now) }
    }

    // MARK: - For listeners and connections (on the loop's thread)

    func register(_ descriptor: Int32, token: UInt64, events: UInt32) throws(SystemCallError) {
        var event = epoll_event(events: events, data: epoll_data_t(u64: token))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw SystemCallError(call: "epoll_ctl", errno: errno)
        }
    }

    func modify(_ descriptor: Int32, token: UInt64, events: UInt32) {
        var event = epoll_event(events: events, data: epoll_data_t(u64: token))
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    func adopt(_ connection: ProxiedConnection) {
        connection.index = connections.count
        connections.append(connection)
    }

    /// Forgets a closed connection (kept alive until the end of the turn).
    func retire(_ connection: ProxiedConnection) {
        let index = connection.index
        let last = connections.removeLast()
        if last !== connection {
            connections[index] = last
            last.index = index
        }
        retired.append(connection)
    }

    /// Runs the connection again on the next turn (it yielded with work left).
    func scheduleRunnable(_ connection: ProxiedConnection) {
        runnable.append(connection)
    }

    func add(_ listener: ListenerSocket) throws(SystemCallError) {
        try register(listener.descriptor, token: EventToken.token(for: listener), events: EPOLLIN.rawValue)
        listeners.append(listener)
    }

    func remove(_ listener: ListenerSocket) {
        listeners.removeAll { $0 === listener }
        listener.close()
        retired.append(listener)
    }

    /// Marks the connections `isAffected` selects to close after `drainTime`; returns how many.
    func drain(where isAffected: (_ listener: String, _ chain: String?) -> Bool, after drainTime: TimeAmount) -> Int {
        let deadline = NIODeadline.now() + drainTime
        var count = 0
        for connection in connections where isAffected(connection.listenerName, connection.chainID) {
            connection.drain(by: deadline)
            count += 1
        }
        return count
    }

    /// Closes every connection now.
    func closeAll() {
        while let connection = connections.last { connection.close() }
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

/// What an epoll event's 64-bit cookie names: the object's address with the kind in its low bits (objects
/// are 16-byte aligned, so those bits are free).
enum EventToken {
    case wakeup
    case listener(ListenerSocket)
    case connection(ProxiedConnection, ProxiedConnection.Side)

    static let wakeupToken: UInt64 = 0

    private static let kindMask: UInt64 = 0b11
    private static let listenerKind: UInt64 = 1
    private static let downstreamKind: UInt64 = 2
    private static let upstreamKind: UInt64 = 3

    static func token(for listener: ListenerSocket) -> UInt64 {
        UInt64(UInt(bitPattern: Unmanaged.passUnretained(listener).toOpaque())) | listenerKind
    }

    static func token(for connection: ProxiedConnection, side: ProxiedConnection.Side) -> UInt64 {
        UInt64(UInt(bitPattern: Unmanaged.passUnretained(connection).toOpaque()))
            | (side == .downstream ? downstreamKind : upstreamKind)
    }

    init(_ token: UInt64) {
        let kind = token & Self.kindMask
        guard kind != 0, let pointer = UnsafeRawPointer(bitPattern: UInt(token & ~Self.kindMask)) else {
            self = .wakeup
            return
        }
        switch kind {
        case Self.listenerKind:
            self = .listener(Unmanaged<ListenerSocket>.fromOpaque(pointer).takeUnretainedValue())
        case Self.downstreamKind:
            self = .connection(Unmanaged<ProxiedConnection>.fromOpaque(pointer).takeUnretainedValue(), .downstream)
        default:
            self = .connection(Unmanaged<ProxiedConnection>.fromOpaque(pointer).takeUnretainedValue(), .upstream)
        }
    }
}
