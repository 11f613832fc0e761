import NIOCore
import NIOPosix
import Synchronization

/// A fake upstream server on a loopback address: an HTTPS (or plain HTTP) responder, a TLS or TCP echo, or
/// a sink. It records every raw byte of every connection, what the TLS client offered, and connection
/// counts, and misbehaves on demand (`UpstreamFault`).
public final class FakeUpstream: Sendable {
    /// A label for messages and reports, e.g. the scenario's upstream name.
    public let name: String
    let behavior: UpstreamBehavior
    let tls: TLSContext?
    let captureCap: Int
    private let group: any EventLoopGroup
    private let state: Mutex<State>

    private struct State {
        var address: SocketAddress
        var fault: UpstreamFault?
        var listener: (any Channel)?
        var children: [Int: any Channel] = [:]
        var logs: [Int: UpstreamConnectionLog] = [:]
        var accepted = 0
        var closed = 0
        var stopped = false
    }

    /// The most connection records kept; the oldest closed ones are dropped beyond it.
    static let recordLimit = 4096

    /// Starts a server listening on `host:port` (port 0: an ephemeral port).
    ///
    /// - Parameters:
    ///   - host: a loopback IP literal (127.0.0.0/8 or ::1); anything else throws `AddressError.notLoopback`.
    ///   - tls: the identity to present; nil serves plain TCP.
    ///   - alpn: protocols the TLS server may select, in its preference order.
    ///   - captureCap: how many raw bytes per direction and connection are kept (digests cover all).
    public static func start(
        name: String,
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: TLSIdentity? = nil,
        alpn: [String] = ["http/1.1"],
        behavior: UpstreamBehavior,
        fault: UpstreamFault? = nil,
        captureCap: Int = ByteRecorder.defaultCap,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> FakeUpstream {
        let requested = try SimulatedAddress(ip: host, port: port).socketAddress
        let context = try tls.map { identity throws(OpenSSLError) in try TLSContext(server: identity, alpn: alpn) }
        let upstream = FakeUpstream(
            name: name,
            address: requested,
            behavior: behavior,
            tls: context,
            captureCap: captureCap,
            group: group
        )
        let listener = try await upstream.bind(requested)
        upstream.state.withLock {
            $0.address = listener.localAddress ?? requested
            $0.listener = listener
        }
        try await upstream.setFault(fault)
        return upstream
    }

    private init(
        name: String,
        address: SocketAddress,
        behavior: UpstreamBehavior,
        tls: TLSContext?,
        captureCap: Int,
        group: any EventLoopGroup
    ) {
        self.name = name
        self.behavior = behavior
        self.tls = tls
        self.captureCap = captureCap
        self.group = group
        state = Mutex(State(address: address))
    }

    private func bind(_ address: SocketAddress) async throws -> any Channel {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UpstreamConnectionHandler(upstream: self))
                    }
                }
                .bind(to: address)
                .get()
        } catch {
            throw FakeUpstreamError.bindFailed(name: name, address: address.displayString, reason: "\(error)")
        }
    }

    // MARK: - Observing

    /// The real socket address the server listens on (kept while a `.refuse` fault closes the listener).
    public var address: SocketAddress { state.withLock { $0.address } }

    /// Whether the listener is open (it is closed by `.refuse` and by `stop()`).
    public var isListening: Bool { state.withLock { $0.listener != nil } }

    /// Accepted, open and closed connection counts.
    public var counts: UpstreamConnectionCounts {
        state.withLock { UpstreamConnectionCounts(accepted: $0.accepted, open: $0.children.count, closed: $0.closed) }
    }

    /// What each connection saw, oldest first.
    public var connections: [UpstreamConnectionRecord] {
        state.withLock { state in state.logs.keys.sorted().compactMap { state.logs[$0]?.record } }
    }

    /// The current fault, nil when the server behaves.
    public var fault: UpstreamFault? { state.withLock { $0.fault } }

    /// Waits (bounded by `timeout`) until no connection is open; returns whether that happened.
    public func waitUntilNoOpenConnections(timeout: Duration = .seconds(5)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if counts.open == 0 { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return counts.open == 0
    }

    // MARK: - Faults and lifecycle

    /// Changes the fault for connections accepted from now on; `.refuse` closes the listener and clearing
    /// it (or setting another fault) listens again on the same address.
    public func setFault(_ fault: UpstreamFault?) async throws {
        let (listener, address, stopped) = state.withLock { state in
            state.fault = fault
            return (state.listener, state.address, state.stopped)
        }
        guard !stopped else { return }
        if fault == .refuse, let listener {
            state.withLock { $0.listener = nil }
            try? await listener.close()
        } else if fault != .refuse, listener == nil {
            let reopened = try await bind(address)
            state.withLock { $0.listener = reopened }
        }
    }

    /// Closes the listener and every connection, and waits until they are closed.
    public func stop() async {
        let (listener, children) = state.withLock { state in
            state.stopped = true
            defer { state.listener = nil }
            return (state.listener, Array(state.children.values))
        }
        try? await listener?.close()
        for child in children {
            child.close(promise: nil)
            try? await child.closeFuture.get()
        }
    }

    // MARK: - Called by connection handlers

    /// Registers an accepted connection; returns its id and the fault it runs under, or nil when the
    /// server is stopping and the connection must close.
    func connectionOpened(_ channel: any Channel) -> (id: Int, fault: UpstreamFault?)? {
        state.withLock { state in
            guard !state.stopped else { return nil }
            state.accepted += 1
            let id = state.accepted
            state.children[id] = channel
            state.logs[id] = UpstreamConnectionLog(id: id, remote: channel.remoteAddress, captureCap: captureCap)
            if state.logs.count > Self.recordLimit,
                let oldest = state.logs.values.filter({ !$0.isOpen }).map(\.id).min()
            {
                state.logs[oldest] = nil
            }
            return (id, state.fault)
        }
    }

    /// Marks a connection closed.
    func connectionClosed(_ id: Int) {
        state.withLock { state in
            guard state.children.removeValue(forKey: id) != nil else { return }
            state.closed += 1
            state.logs[id]?.isOpen = false
        }
    }

    /// Updates the record of connection `id`.
    func updateLog(_ id: Int, _ update: (UpstreamConnectionLog) -> Void) {
        state.withLock { state in
            if let log = state.logs[id] { update(log) }
        }
    }
}

/// A fake upstream could not start.
public enum FakeUpstreamError: Error, Hashable, CustomStringConvertible {
    case bindFailed(name: String, address: String, reason: String)

    public var description: String {
        switch self {
        case .bindFailed(let name, let address, let reason):
            "upstream \(name) could not listen on \(address): \(reason)"
        }
    }
}
