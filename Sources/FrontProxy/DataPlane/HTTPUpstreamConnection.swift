import CLinuxSockets
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// What an upstream connection reports to the request it carries.
protocol HTTPUpstreamOwner: AnyObject {
    func upstreamConnected(_ upstream: HTTPUpstreamConnection)
    func upstreamConnectFailed(_ code: Int32)
    func upstreamFailed(_ upstream: HTTPUpstreamConnection)
    func upstreamReady(_ upstream: HTTPUpstreamConnection)
}

/// One HTTP/1.1 connection to an upstream endpoint, in a loop slot of its own: connecting, carrying one
/// request for an `HTTPProxyConnection` at a time, or idle in the loop's pool for the next request to the
/// same endpoint (Envoy's connection pool, per worker).
final class HTTPUpstreamConnection {
    enum State: Equatable {
        case connecting
        /// Carrying a request for `owner`.
        case active
        /// In the pool; any readiness now means the server closed it (or sent bytes it should not have).
        case idle
        case closed
    }

    unowned(unsafe) let loop: DataPlaneLoop
    let descriptor: Int32
    /// The pool key: the endpoint as configured (before the simulated-address map).
    let endpoint: EndpointAddress
    let cluster: String
    var slot: UInt32 = 0
    private(set) var state = State.connecting
    /// The request this connection carries. Cleared (by the owner) before the owner goes away.
    unowned(unsafe) var owner: (any HTTPUpstreamOwner)?
    var readable = false
    var writable = false
    /// The server shut its write side (EPOLLRDHUP): read to end of file.
    var closing = false
    /// A read returned end of file (only an upgraded connection reads past it, for the other direction).
    var ended = false
    var output = OutboundBytes()
    /// When the connection went idle, for the pool's idle timeout.
    private(set) var idleSince = NIODeadline.distantPast
    /// The connection's own address (`%UPSTREAM_LOCAL_ADDRESS%`), asked of the kernel once, not per request.
    private(set) lazy var localAddress: EndpointAddress? = SystemCall.localAddress(descriptor)?.endpoint

    private static let interest = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    private init(descriptor: Int32, endpoint: EndpointAddress, cluster: String, loop: DataPlaneLoop) {
        self.descriptor = descriptor
        self.endpoint = endpoint
        self.cluster = cluster
        self.loop = loop
    }

    /// Starts a non-blocking connect to `target` (the endpoint, or where the address map sends it).
    static func connect(
        to target: SocketAddressStorage,
        endpoint: EndpointAddress,
        cluster: String,
        owner: any HTTPUpstreamOwner,
        loop: DataPlaneLoop
    ) throws(SystemCallError) -> HTTPUpstreamConnection {
        let descriptor = try SystemCall.tcpSocket(family: target.family)
        let connection = HTTPUpstreamConnection(
            descriptor: descriptor,
            endpoint: endpoint,
            cluster: cluster,
            loop: loop
        )
        loop.context.registry.upstreamOpened()
        let token = loop.adopt(connection)
        do {
            try SystemCall.setOption(descriptor, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            try SystemCall.connect(descriptor, to: target)
            try loop.register(descriptor, token: token, events: Self.interest)
        } catch {
            connection.close()
            throw error
        }
        connection.owner = owner
        return connection
    }

    /// Takes the connection out of the pool for `owner`'s request.
    func assign(to owner: any HTTPUpstreamOwner) {
        precondition(state == .idle, "only an idle upstream connection can be handed out")
        state = .active
        self.owner = owner
    }

    /// The response is complete and both sides keep the connection: back to the pool.
    var poolKey: HTTPUpstreamPool.Key { HTTPUpstreamPool.Key(cluster: cluster, endpoint: endpoint) }

    /// The request is done with the connection: back to the pool while the server and the plan keep it.
    func release(now: NIODeadline) {
        owner = nil
        guard state == .active, !closing, output.isEmpty, loop.plan.cluster(named: cluster) != nil else {
            return close()
        }
        state = .idle
        idleSince = now
        loop.pool.park(self)
    }

    func handle(_ events: UInt32) {
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        switch state {
        case .connecting:
            if failed {
                let code = SystemCall.pendingError(descriptor)
                let owner = self.owner
                close()
                owner?.upstreamConnectFailed(code)
                return
            }
            guard events & EPOLLOUT.rawValue != 0 else { return }
            state = .active
            writable = true
            readable = events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0
            closing = events & EPOLLRDHUP.rawValue != 0
            owner?.upstreamConnected(self)
        case .active:
            if events & EPOLLERR.rawValue != 0 {
                let owner = self.owner
                close()
                owner?.upstreamFailed(self)
                return
            }
            if failed || events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 { readable = true }
            if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { closing = true }
            if failed || events & EPOLLOUT.rawValue != 0 { writable = true }
            owner?.upstreamReady(self)
        case .idle:
            // An idle connection has nothing to say: readiness is the server closing it.
            if failed || events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 { close() }
        case .closed:
            break
        }
    }

    /// Closes the socket and leaves the pool. Idempotent.
    func close() {
        guard state != .closed else { return }
        if state == .idle { loop.pool.remove(self) }
        state = .closed
        owner = nil
        SystemCall.close(descriptor)
        loop.context.registry.upstreamClosed()
        loop.retire(self)
    }
}

/// A loop's idle upstream HTTP connections, by cluster and endpoint (as Envoy keeps a connection pool per
/// cluster and host: two clusters naming one address do not share connections). Loop-confined.
final class HTTPUpstreamPool {
    struct Key: Hashable {
        var cluster: String
        var endpoint: EndpointAddress
    }

    private var idle: [Key: [HTTPUpstreamConnection]] = [:]
    /// Idle connections kept per endpoint; more are closed.
    static let maximumIdlePerEndpoint = 128

    /// An idle connection of `cluster` to `endpoint`, newest first (the most likely still open).
    func take(cluster: String, endpoint: EndpointAddress) -> HTTPUpstreamConnection? {
        let key = Key(cluster: cluster, endpoint: endpoint)
        guard var connections = idle[key], let connection = connections.popLast() else { return nil }
        idle[key] = connections.isEmpty ? nil : connections
        return connection
    }

    func park(_ connection: HTTPUpstreamConnection) {
        let key = connection.poolKey
        var connections = idle[key, default: []]
        guard connections.count < Self.maximumIdlePerEndpoint else { return connection.close() }
        connections.append(connection)
        idle[key] = connections
    }

    func remove(_ connection: HTTPUpstreamConnection) {
        let key = connection.poolKey
        guard var connections = idle[key] else { return }
        connections.removeAll { $0 === connection }
        idle[key] = connections.isEmpty ? nil : connections
    }

    /// Closes connections idle since before `cutoff`.
    func closeIdle(before cutoff: NIODeadline) {
        let stale = idle.values.flatMap { $0.filter { $0.idleSince < cutoff } }
        for connection in stale { connection.close() }
    }

    /// Closes the idle connections of clusters `keeps` rejects: a cluster gone from the plan takes its pool
    /// with it, as Envoy drains a removed cluster's connection pools.
    func closeIdle(unlessCluster keeps: (String) -> Bool) {
        let gone = idle.filter { !keeps($0.key.cluster) }.values.flatMap { $0 }
        for connection in gone { connection.close() }
    }

    func closeAll() {
        for connection in idle.values.flatMap({ $0 }) { connection.close() }
    }
}
