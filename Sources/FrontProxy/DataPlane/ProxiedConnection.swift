import CLinuxSockets
import MeshConfig
import NIOCore
import TLSWire

#if canImport(Glibc)
import Glibc
#endif

/// One proxied connection, from accept to close, on its loop's thread.
///
/// Its phase is a `ConnectionStateMachine`: read the ClientHello without consuming it, route on its SNI,
/// find the cluster's endpoints, connect the upstream; every way this can fail closes the client with
/// Envoy's response flag and forwards nothing. Then two `RelayDirection`s move bytes until both sides have
/// ended, a side fails, or a deadline (idle, drain) closes the connection. The access-log line and the
/// telemetry `close` are written when it closes. This type does the socket work the machine asks for.
final class ProxiedConnection {
    enum Side {
        case downstream
        case upstream
    }

    /// The loop outlives its connections (it closes them all before it ends): no reference counting.
    unowned(unsafe) let loop: DataPlaneLoop
    private let downstream: Int32
    private var upstream: Int32 = -1
    let listenerName: String
    /// The filter chain, once routed; from then on telemetry reports the connection.
    private(set) var chainID: String?
    /// The loop's registration slot, and the epoll cookie of each socket.
    var slot: UInt32 = 0
    private var upstreamToken = RegistrationToken(0)

    private var state: ConnectionStateMachine
    private let report: ConnectionReport
    private var upload = RelayDirection()
    private var download = RelayDirection()
    /// The cluster whose connection count this connection holds, released when it closes.
    private var heldCluster: String?

    /// When set-up must be done by (ClientHello wait, then connect timeout).
    private var setupDeadline = NIODeadline.distantFuture
    private var lastActivity: NIODeadline
    private var drainDeadline = NIODeadline.distantFuture

    private var context: RuntimeContext { loop.context }

    private init(
        descriptor: Int32,
        listener: ListenerPlan,
        report: ConnectionReport,
        loop: DataPlaneLoop
    ) {
        downstream = descriptor
        listenerName = listener.name
        self.report = report
        self.loop = loop
        lastActivity = loop.now
        state =
            listener.protocol == .tcp
            ? .routingImmediately()
            : ConnectionStateMachine(maximumClientHelloLength: loop.context.configuration.maximumClientHelloLength)
    }

    /// Starts serving an accepted socket.
    static func start(
        descriptor: Int32,
        remote: EndpointAddress?,
        local: EndpointAddress?,
        listenerName: String,
        loop: DataPlaneLoop
    ) {
        let context = loop.context
        let report = ConnectionReport(
            downstreamRemote: remote,
            downstreamLocal: local,
            context: context,
            now: loop.now
        )
        guard let listener = loop.plan.listener(named: listenerName)?.plan else {
            // Accepted just as its listener was removed.
            report.failed(.noRouteFound, details: "listener_removed")
            report.finish()
            SystemCall.close(descriptor)
            return
        }
        let connection = ProxiedConnection(descriptor: descriptor, listener: listener, report: report, loop: loop)
        context.registry.downstreamOpened()
        let tokens = loop.adopt(connection)
        connection.upstreamToken = tokens.upstream
        do {
            try loop.register(descriptor, token: tokens.downstream, events: Self.interest)
        } catch {
            connection.close()
            return
        }
        if connection.state.phase == .inspecting {
            connection.setupDeadline = loop.now + loop.timeouts.clientHello
        } else {
            connection.route(.notInspected)  // an opaque TCP listener
        }
    }

    /// Both sockets are watched for reading, writing and the peer's FIN, edge-triggered, from the start.
    private static let interest = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    // MARK: - Readiness

    func handle(_ events: UInt32, on side: Side) {
        let phase = state.phase
        guard phase != .closed else { return }
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if events & EPOLLERR.rawValue != 0 && !(side == .upstream && phase == .connecting) {
            // A reset (or another socket error): nothing more can be delivered in order, and a side blocked on
            // backpressure would never read to find out. Both sides close at once.
            return close()
        }
        let readable = failed || events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0
        let writable = failed || events & EPOLLOUT.rawValue != 0
        let closing = events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0
        switch side {
        case .downstream:
            if readable { upload.sourceReadable = true }
            if closing { upload.sourceClosing = true }
            if writable { download.sinkWritable = true }
        case .upstream:
            if phase == .connecting {
                return failed
                    ? connectFailed(SystemCall.pendingError(upstream))
                    : upstreamConnected(readable: readable, closing: closing)
            }
            if readable { download.sourceReadable = true }
            if closing { download.sourceClosing = true }
            if writable { upload.sinkWritable = true }
        }
        switch phase {
        case .inspecting, .resolving, .connecting: readDuringSetup()
        case .spliced: resume()
        case .closed: break
        }
    }

    // MARK: - Set-up

    /// Reads the ClientHello (and, while the upstream connects, what follows it, up to the set-up limit).
    private func readDuringSetup() {
        while upload.sourceReadable && state.allowsSetupRead {
            let scratch = loop.scratch
            switch SystemCall.read(downstream, into: scratch.baseAddress!, count: scratch.count) {
            case .bytes(0):
                upload.sourceEndedEarly()
                if state.endsOnInspectionFailure {
                    fail(.noRouteFound, details: "downstream_closed_before_client_hello")
                }
                return
            case .bytes(let count):
                if count < scratch.count && !upload.sourceClosing { upload.sourceReadable = false }
                report.downstreamBytesReceived += Int64(count)
                lastActivity = loop.now
                switch state.received(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))) {
                case .keepReading, .held, .ignore:
                    break
                case .route(let inspection):
                    route(inspection)
                case .rejectTooLarge(let error):
                    report.inspected(serverName: nil, failure: error.description)
                    fail(.noRouteFound, details: "client_hello_too_large")
                }
            case .wouldBlock:
                upload.sourceReadable = false
            case .failed:
                close()
            }
        }
    }

    private func route(_ inspection: ConnectionStateMachine.Inspection) {
        setupDeadline = .distantFuture
        switch inspection {
        case .clientHello(let hello): report.inspected(serverName: hello.serverName, failure: nil)
        case .unrecognised(let error): report.inspected(serverName: nil, failure: error.description)
        case .notInspected: break
        }
        guard let listener = loop.plan.listener(named: listenerName) else {
            return fail(.noRouteFound, details: "listener_removed")
        }
        guard let chain = listener.chain(forServerName: inspection.serverName) else {
            return fail(.noRouteFound, details: "filter_chain_not_found")
        }
        chainID = chain.plan.id
        guard let destination = context.selector.destinationIndex(of: chain.plan) else {
            return fail(.noHealthyUpstream, details: "no_healthy_upstream")
        }
        guard let cluster = chain.destinations[destination] else {
            report.routed(chain: chain, cluster: nil)
            return fail(.noClusterFound, details: "cluster_not_found")
        }
        report.routed(chain: chain, cluster: cluster)
        guard context.registry.acquireUpstream(cluster: cluster.plan.name) else {
            return fail(.upstreamOverflow, details: "upstream_overflow")
        }
        heldCluster = cluster.plan.name
        if let endpoints = cluster.fixedEndpoints ?? context.resolver.immediateEndpoints(of: cluster.plan) {
            return resolved(endpoints, cluster: cluster.plan.name)
        }
        let bound = LoopBound(self, loop: loop)
        context.resolver.endpoints(of: cluster.plan) { result in
            bound.loop.execute { bound.value.resolved(result, cluster: cluster.plan.name) }
        }
    }

    private func resolved(_ result: Result<[WeightedEndpoint], any Error>, cluster: String) {
        guard state.phase == .resolving else { return }
        switch result {
        case .success(let endpoints):
            guard let endpoint = context.selector.endpoint(of: cluster, among: endpoints) else {
                return fail(.noHealthyUpstream, details: "no_healthy_upstream")
            }
            connect(to: endpoint)
        case .failure(let error):
            fail(.noHealthyUpstream, details: "no_healthy_upstream", transportFailure: "\(error)")
        }
    }

    private func connect(to endpoint: EndpointAddress) {
        report.upstreamChosen(endpoint)
        let target =
            context.configuration.upstreamAddressMap(endpoint).map(SocketAddressStorage.init)
            ?? SocketAddressStorage(endpoint)
        do {
            upstream = try SystemCall.tcpSocket(family: target.family)
            context.registry.upstreamOpened()
            try SystemCall.setOption(upstream, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            try SystemCall.connect(upstream, to: target)
            try loop.register(upstream, token: upstreamToken, events: Self.interest)
            _ = state.connectStarted()
            setupDeadline = loop.now + loop.timeouts.connect
        } catch {
            connectFailed(error.errno)
        }
    }

    private func connectFailed(_ code: Int32, reason: String? = nil) {
        fail(
            [.upstreamConnectionFailure, .upstreamRetryLimitExceeded],
            transportFailure: reason ?? Self.describeConnectFailure(code)
        )
    }

    private static func describeConnectFailure(_ code: Int32) -> String {
        code == ECONNREFUSED ? "connection refused" : SystemCallError(call: "connect", errno: code).reason
    }

    private func upstreamConnected(readable: Bool, closing: Bool) {
        guard let buffered = state.upstreamConnected() else { return close() }
        setupDeadline = .distantFuture
        report.upstreamConnected(localAddress: SystemCall.localAddress(upstream)?.endpoint)
        download.sourceReadable = readable
        download.sourceClosing = closing
        upload.sinkWritable = true
        report.reportOpen(now: loop.now)
        // The ClientHello goes straight from the set-up buffer to the upstream: no copy unless it cannot
        // take it all.
        if buffered.withUnsafeReadableBytes({ upload.sendFirst($0, to: upstream) }) != nil { return close() }
        resume()
    }

    // MARK: - Splicing

    /// Moves bytes both ways as far as readiness allows; closes when both directions are done or one failed.
    func resume() {
        guard state.phase == .spliced else { return }
        var received = 0
        var sent = 0
        let uploadOutcome = upload.pump(
            from: downstream,
            to: upstream,
            scratch: loop.scratch,
            closingAfterEnd: download.isFinished,
            moved: &received
        )
        let downloadOutcome = download.pump(
            from: upstream,
            to: downstream,
            scratch: loop.scratch,
            closingAfterEnd: upload.isFinished,
            moved: &sent
        )
        if received + sent > 0 {
            report.downstreamBytesReceived += Int64(received)
            report.downstreamBytesSent += Int64(sent)
            lastActivity = loop.now
        }
        if case .failed = uploadOutcome { return close() }
        if case .failed = downloadOutcome { return close() }
        if upload.isFinished && download.isFinished { return close() }
        if uploadOutcome == .yielded || downloadOutcome == .yielded { loop.scheduleRunnable(self) }
    }

    // MARK: - Deadlines

    func checkDeadlines(now: NIODeadline) {
        switch state.phase {
        case .inspecting where now >= setupDeadline:
            report.failed(.noRouteFound, details: "client_hello_timeout")
            return close()
        case .connecting where now >= setupDeadline:
            connectFailed(ETIMEDOUT, reason: "connect timeout")
        case .spliced:
            if let idle = loop.timeouts.idle, now >= lastActivity + idle {
                return close()
            }
            report.reportContinueIfDue(now: now)
        default:
            break
        }
        if now >= drainDeadline { close() }
    }

    /// Closes the connection at `deadline` unless it ends sooner.
    func drain(by deadline: NIODeadline) {
        drainDeadline = min(drainDeadline, deadline)
    }

    // MARK: - Closing

    /// Closes the client without forwarding anything, recording why.
    private func fail(_ flags: ResponseFlags, details: String? = nil, transportFailure: String? = nil) {
        report.failed(flags, details: details, transportFailure: transportFailure)
        if chainID != nil { report.reportOpen(now: loop.now) }
        close()
    }

    /// Closes both sockets, releases what the connection held and writes its log line. Idempotent.
    func close() {
        guard state.closed() else { return }
        SystemCall.close(downstream)
        if upstream >= 0 {
            SystemCall.close(upstream)
            context.registry.upstreamClosed()
        }
        if let heldCluster { context.registry.releaseUpstream(cluster: heldCluster) }
        report.finish()
        context.registry.downstreamClosed()
        loop.retire(self)
    }
}
