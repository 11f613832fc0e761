import CLinuxSockets
import Logging
import MeshConfig
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// One listening socket of a listener, owned by one loop. Every loop has its own socket on the listener's
/// address (SO_REUSEPORT): the kernel spreads new connections across loops, and an accepted connection is
/// served where it was accepted. Created, registered and closed on its loop's thread.
final class ListenerSocket {
    let descriptor: Int32
    let listenerName: String
    /// The address connections arrive on, when it is a specific one; for a wildcard bind each accepted
    /// socket's own address is asked of the kernel.
    private let fixedLocalEndpoint: EndpointAddress?
    /// The loop outlives its listening sockets (it closes them all before it ends).
    unowned(unsafe) let loop: DataPlaneLoop
    /// The epoll registration, once the loop has added the socket.
    private var token: RegistrationToken?
    private(set) var slot: UInt32?
    private var isClosed = false
    /// Accepting paused after running out of descriptors or memory; resumed at `pausedUntil`. Real time,
    /// not the runtime's clock: this backs off from a resource shortage, it is no protocol timeout.
    private(set) var isPaused = false
    private var pausedUntil = NIODeadline.distantPast
    /// Pauses are logged at most every 10 s, with how many there were.
    private var lastWarning = NIODeadline.distantPast
    private var pausesSinceWarning = 0

    /// The most connections accepted per readiness event, so one busy listener cannot starve a loop.
    private static let acceptsPerEvent = 64

    /// Binds and listens; the socket joins `loop` with `ListenerSocket.register`.
    init(
        listenerName: String,
        address: SocketAddressStorage,
        backlog: Int32,
        loop: DataPlaneLoop
    ) throws(SystemCallError) {
        loop.preconditionInLoop()
        let descriptor = try SystemCall.tcpSocket(family: address.family)
        do throws(SystemCallError) {
            try SystemCall.setOption(descriptor, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            try SystemCall.setOption(descriptor, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1)
            // Accepted sockets inherit TCP_NODELAY: no setsockopt per connection.
            try SystemCall.setOption(descriptor, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            guard address.withSockAddr({ Glibc.bind(descriptor, $0, $1) }) == 0 else {
                throw SystemCallError(call: "bind", errno: errno)
            }
            guard Glibc.listen(descriptor, backlog) == 0 else { throw SystemCallError(call: "listen", errno: errno) }
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.listenerName = listenerName
        self.loop = loop
        let bound = SystemCall.localAddress(descriptor) ?? address
        fixedLocalEndpoint = bound.isWildcard ? nil : bound.endpoint
    }

    /// The bound address (the real port when port 0 was asked for).
    var localAddress: SocketAddressStorage? { SystemCall.localAddress(descriptor) }

    /// The loop added the socket to its epoll set under `token`.
    func registered(token: RegistrationToken, slot: UInt32) {
        self.token = token
        self.slot = slot
    }

    /// Accepts what is waiting (up to `acceptsPerEvent`; the socket is level-triggered, so the rest wake the
    /// loop again) and starts each connection.
    func acceptConnections() {
        guard !isClosed else { return }
        for _ in 0..<Self.acceptsPerEvent {
            var peer = SocketAddressStorage()
            var accepted: Int32 = -1
            _ = peer.fill { address, length in
                accepted = accept4(descriptor, address, length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                return accepted >= 0
            }
            guard accepted >= 0 else {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory: stop asking for a moment rather than spin on a socket that
                    // stays readable. Waiting connections stay in the kernel's backlog.
                    pause(because: errno)
                    return
                default:
                    return
                }
            }
            let context = loop.context
            guard context.registry.admitsDownstream(under: context.configuration.maximumDownstreamConnections) else {
                // Over the cap: refused at once, before the connection holds anything.
                SystemCall.close(accepted)
                warnOverflowIfDue()
                continue
            }
            let local = fixedLocalEndpoint ?? SystemCall.localAddress(accepted)?.endpoint
            if let listener = loop.plan.listener(named: listenerName)?.plan, listener.protocol == .http {
                HTTPProxyConnection.start(
                    descriptor: accepted,
                    remote: peer.endpoint,
                    local: local,
                    listener: listener,
                    loop: loop
                )
            } else {
                ProxiedConnection.start(
                    descriptor: accepted,
                    remote: peer.endpoint,
                    local: local,
                    listenerName: listenerName,
                    loop: loop
                )
            }
        }
    }

    private func pause(because code: Int32) {
        guard let token else { return }
        let now = NIODeadline.now()
        isPaused = true
        loop.listenerPaused()
        pausedUntil = now + Self.pauseLength
        pausesSinceWarning += 1
        loop.modify(descriptor, token: token, events: 0)
        guard now >= lastWarning + .seconds(10) else { return }
        loop.context.logger.warning(
            "listener \(listenerName): accept failed: \(String(cString: strerror(code))); pausing accepts for 100 ms (\(pausesSinceWarning) pause(s) since the last warning)"
        )
        lastWarning = now
        pausesSinceWarning = 0
    }

    static let pauseLength = TimeAmount.milliseconds(100)

    /// When the last overflow warning was logged (at most one per 10 s per listening socket).
    private var lastOverflowWarning = NIODeadline.distantPast

    private func warnOverflowIfDue() {
        let now = NIODeadline.now()
        guard now >= lastOverflowWarning + .seconds(10) else { return }
        lastOverflowWarning = now
        let context = loop.context
        context.logger.warning(
            "listener \(listenerName): \(context.configuration.maximumDownstreamConnections ?? 0) downstream connections open (--max-connections): new connections are closed at accept (\(context.registry.downstreamOverflows) so far)"
        )
    }

    func resumeIfDue() {
        guard isPaused, NIODeadline.now() >= pausedUntil, !isClosed, let token else { return }
        isPaused = false
        loop.listenerResumed()
        loop.modify(descriptor, token: token, events: EPOLLIN.rawValue)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        SystemCall.close(descriptor)
    }
}
