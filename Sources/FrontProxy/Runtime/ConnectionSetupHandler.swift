import MeshConfig
import NIOCore
import NIOPosix
import TLSWire

/// Sets up one downstream connection: reads the ClientHello without consuming it, routes on its SNI,
/// resolves and connects the upstream, then installs the glue pair, hands over the buffered bytes and leaves
/// the pipeline. Every way this can fail closes the client with Envoy's response flag and forwards nothing.
final class ConnectionSetupHandler {
    private var machine: ConnectionSetupStateMachine
    private let listenerName: String
    private let connectionID: Int
    private let runtime: RuntimeContext
    private let report: ConnectionReport
    private var clientHelloTimeout: Scheduled<Void>?
    /// Set once routed to a chain: from then on telemetry reports the connection.
    private var isRouted = false
    /// The client's FIN arrived while the upstream was connecting; the glue must hear of it.
    private var inputClosedWhileConnecting = false

    init(
        listener: ListenerPlan,
        connectionID: Int,
        runtime: RuntimeContext,
        report: ConnectionReport
    ) {
        listenerName = listener.name
        machine =
            listener.protocol == .tcp
            ? .routingImmediately()
            : ConnectionSetupStateMachine(maximumClientHelloLength: runtime.configuration.maximumClientHelloLength)
        self.connectionID = connectionID
        self.runtime = runtime
        self.report = report
    }

    // MARK: - Routing

    private func route(_ inspection: ConnectionSetupStateMachine.Inspection, context: ChannelHandlerContext) {
        clientHelloTimeout?.cancel()
        switch inspection {
        case .clientHello(let hello): report.inspected(serverName: hello.serverName, failure: nil)
        case .unrecognised(let error): report.inspected(serverName: nil, failure: error.description)
        case .notInspected: break
        }
        let plan = runtime.currentPlan
        guard let listener = plan.listeners.first(where: { $0.name == listenerName }) else {
            return fail(.noRouteFound, details: "listener_removed", context: context)
        }
        guard let chain = listener.chain(forServerName: inspection.serverName) else {
            return fail(.noRouteFound, details: "filter_chain_not_found", context: context)
        }
        runtime.registry.routed(connectionID, chain: chain.id)
        isRouted = true
        guard let destination = runtime.selector.destination(of: chain) else {
            return fail(.noHealthyUpstream, details: "no_healthy_upstream", context: context)
        }
        guard let cluster = plan.clusters[destination.name] else {
            report.routed(cluster: nil, routeName: chain.routeName, serviceHost: nil, serviceNamespace: nil)
            return fail(.noClusterFound, details: "cluster_not_found", context: context)
        }
        report.routed(
            cluster: cluster.name,
            routeName: chain.routeName,
            serviceHost: cluster.host,
            serviceNamespace: cluster.serviceEntry.namespace
        )
        let limit = runtime.configuration.maximumConnectionsPerCluster
        guard runtime.registry.acquireUpstream(cluster: cluster.name, limit: limit) else {
            return fail(.upstreamOverflow, details: "upstream_overflow", context: context)
        }
        let registry = runtime.registry
        runtime.resolver.endpoints(of: cluster, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let endpoints):
                guard let endpoint = self.runtime.selector.endpoint(of: cluster.name, among: endpoints) else {
                    registry.releaseUpstream(cluster: cluster.name)
                    return self.fail(.noHealthyUpstream, details: "no_healthy_upstream", context: context)
                }
                self.connect(to: endpoint, cluster: cluster.name, context: context)
            case .failure(let error):
                registry.releaseUpstream(cluster: cluster.name)
                self.fail(
                    .noHealthyUpstream,
                    details: "no_healthy_upstream",
                    transportFailure: "\(error)",
                    context: context
                )
            }
        }
    }

    // MARK: - Connecting and splicing

    private func connect(to endpoint: EndpointAddress, cluster: String, context: ChannelHandlerContext) {
        guard !machine.isClosed else {
            runtime.registry.releaseUpstream(cluster: cluster)
            return
        }
        report.upstreamChosen(endpoint)
        let target: SocketAddress
        do {
            target = try runtime.configuration.upstreamAddressMap(endpoint) ?? SocketAddress(endpoint)
        } catch {
            runtime.registry.releaseUpstream(cluster: cluster)
            return fail(
                [.upstreamConnectionFailure, .upstreamRetryLimitExceeded],
                transportFailure: "\(error)",
                context: context
            )
        }
        let registry = runtime.registry
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(TimeAmount(runtime.configuration.connectTimeout))
            .channelInitializer { channel in
                // ClientBootstrap already sets TCP_NODELAY.
                channel.eventLoop.makeCompletedFuture {
                    try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
                }
            }
            .connect(to: target)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let upstream):
                    upstream.closeFuture.whenComplete { _ in registry.releaseUpstream(cluster: cluster) }
                    self.splice(with: upstream, context: context)
                case .failure(let error):
                    registry.releaseUpstream(cluster: cluster)
                    self.fail(
                        [.upstreamConnectionFailure, .upstreamRetryLimitExceeded],
                        transportFailure: Self.describeConnectFailure(error),
                        context: context
                    )
                }
            }
    }

    private func splice(with upstream: any Channel, context: ChannelHandlerContext) {
        guard let buffered = machine.upstreamConnected() else {
            upstream.close(promise: nil)  // the client left while we were connecting
            return
        }
        report.upstreamConnected(localAddress: EndpointAddress(upstream.localAddress))
        let (downstreamGlue, upstreamGlue) = GlueHandler.matchedPair(counters: report.counters)
        do {
            try upstream.pipeline.syncOperations.addHandler(upstreamGlue)
            try context.pipeline.syncOperations.addHandler(downstreamGlue, position: .after(self))
        } catch {
            upstream.close(promise: nil)
            context.close(promise: nil)
            return
        }
        if buffered.readableBytes > 0 {
            context.fireChannelRead(NIOAny(buffered))
            context.fireChannelReadComplete()
        }
        if inputClosedWhileConnecting {
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
        report.reportOpen(on: context.eventLoop)
        startIdleTimeout(channel: context.channel)
        if !upstream.isActive {
            context.close(promise: nil)  // closed before the glue could see it go
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        context.channel.read()
    }

    private func startIdleTimeout(channel: any Channel) {
        guard let limit = runtime.configuration.idleTimeout else { return }
        let timeout = IdleTimeout(limit: TimeAmount(limit), counters: report.counters)
        timeout.start(on: channel.eventLoop) { channel.close(promise: nil) }
        let bound = NIOLoopBound(timeout, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in bound.value.cancel() }
    }

    // MARK: - Failing

    /// Closes the client without forwarding anything, recording why.
    private func fail(
        _ flags: ResponseFlags,
        details: String? = nil,
        transportFailure: String? = nil,
        context: ChannelHandlerContext
    ) {
        clientHelloTimeout?.cancel()
        report.failed(flags, details: details, transportFailure: transportFailure)
        if isRouted { report.reportOpen(on: context.eventLoop) }
        machine.closed()
        context.close(promise: nil)
    }

    static func describeConnectFailure(_ error: any Error) -> String {
        switch error {
        case ChannelError.connectTimeout: "connect timeout"
        case let error as IOError where error.errnoCode == ECONNREFUSED: "connection refused"
        case let error as IOError: error.description
        default: "\(error)"
        }
    }
}

extension ConnectionSetupHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard clientHelloTimeout == nil, !isRouted else { return }
        if !machine.allowsRead {
            return route(.notInspected, context: context)  // an opaque TCP listener
        }
        clientHelloTimeout = context.eventLoop.assumeIsolated().scheduleTask(
            in: TimeAmount(runtime.configuration.clientHelloTimeout)
        ) {
            guard self.machine.inspectionTimedOut() else { return }
            self.report.failed(.noRouteFound, details: "client_hello_timeout")
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch machine.received(unwrapInboundIn(data)) {
        case .keepReading, .ignore:
            break
        case .route(let inspection):
            route(inspection, context: context)
        case .rejectTooLarge(let error):
            report.inspected(serverName: nil, failure: error.description)
            fail(.noRouteFound, details: "client_hello_too_large", context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            return context.fireUserInboundEventTriggered(event)
        }
        if machine.inputClosedDuringInspection() {
            fail(.noRouteFound, details: "downstream_closed_before_client_hello", context: context)
        } else {
            inputClosedWhileConnecting = true  // replayed to the glue once it is in place
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientHelloTimeout?.cancel()
        machine.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        machine.closed()
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        // Past the limit while connecting, the socket is not read: the kernel buffer and TCP flow control
        // hold the client.
        if machine.allowsRead { context.read() }
    }
}

@available(*, unavailable)
extension ConnectionSetupHandler: Sendable {}

extension SocketAddress {
    /// The socket address of an IP endpoint.
    init(_ endpoint: EndpointAddress) throws {
        self = try SocketAddress(ipAddress: endpoint.host, port: endpoint.port)
    }
}
