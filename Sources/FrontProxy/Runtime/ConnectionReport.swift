import MeshConfig
import NIOCore

/// The access-log record and telemetry of one downstream connection, from accept to close.
///
/// Confined to the connection's event loop. Telemetry follows Mixer's TCP filter: nothing is reported
/// until the connection reaches a filter chain and its upstream attempt resolves (`open`), then `continue`
/// every report interval, then `close`; a connection that matched no chain only writes its access-log line.
final class ConnectionReport {
    private(set) var record: ConnectionRecord
    /// Bytes read from the downstream client (`%BYTES_RECEIVED%`), updated by the data plane.
    var downstreamBytesReceived: Int64 = 0
    /// Bytes read from the upstream for the downstream client (`%BYTES_SENT%`).
    var downstreamBytesSent: Int64 = 0
    /// Where reports go. The runtime's context, shared: copying its `ProxyObservability` into every report
    /// cost a dozen reference-count operations per connection.
    private let context: RuntimeContext
    private let startedAt: NIODeadline
    private var reportCounter = TCPReportCounter()
    private var metricsDestination: IstioMetrics.Destination?
    /// The cluster's counters for connections without a response flag.
    private var unflaggedSeries: IstioMetrics.Series?
    private var destinationServiceHost = ""
    private var destinationNamespace = "default"
    /// The upstream endpoint once chosen, else the listener's address (Mixer's `destination.ip`).
    private var destination: EndpointAddress?
    /// When the next `continue` report is due, once `open` was reported.
    private var nextContinueReport: NIODeadline?
    private var isFinished = false

    init(
        downstreamRemote: EndpointAddress?,
        downstreamLocal: EndpointAddress?,
        context: RuntimeContext,
        now: NIODeadline
    ) {
        record = ConnectionRecord(startTime: .now())
        record.downstreamRemoteAddress = downstreamRemote
        record.downstreamLocalAddress = downstreamLocal
        destination = downstreamLocal
        startedAt = now
        self.context = context
    }

    // MARK: - What happened

    func inspected(serverName: String?, failure: String?) {
        record.requestedServerName = serverName
        if let failure { record.connectionTerminationDetails = failure }
    }

    /// The connection reached `chain`; `cluster` is its destination, nil when no ServiceEntry defines it.
    func routed(chain: ServingChain, cluster: ServingCluster?) {
        record.upstreamCluster = cluster?.plan.name
        record.routeName = chain.plan.routeName
        destinationServiceHost = cluster?.plan.host ?? ""
        destinationNamespace = cluster?.plan.source.namespace ?? "default"
        metricsDestination = IstioMetrics.Destination(
            serviceHost: cluster?.plan.host,
            serviceNamespace: cluster?.plan.source.namespace,
            responseFlags: []
        )
        unflaggedSeries = cluster?.unflaggedSeries
    }

    func upstreamChosen(_ host: EndpointAddress) {
        record.upstreamHost = host
        destination = host
    }

    func upstreamConnected(localAddress: EndpointAddress?) {
        record.upstreamLocalAddress = localAddress
    }

    /// Marks the connection as failed with Envoy's flags, details and (for connect failures) the reason.
    func failed(_ flags: ResponseFlags, details: String? = nil, transportFailure: String? = nil) {
        record.responseFlags.formUnion(flags)
        if let details { record.responseCodeDetails = details }
        if let transportFailure { record.upstreamTransportFailureReason = transportFailure }
    }

    /// The connection reached its chain and its upstream attempt resolved: emit `open`; `continue` reports
    /// follow every report interval (`reportContinueIfDue`).
    func reportOpen(now: NIODeadline) {
        guard let destination = metricsDestination, !isFinished, nextContinueReport == nil else { return }
        if let unflaggedSeries {
            unflaggedSeries.connectionOpened()
        } else {
            context.observability.metrics.connectionOpened(destination)
        }
        emitTelemetry(.open, duration: nil)
        nextContinueReport = now + TimeAmount(context.observability.reportInterval)
    }

    /// Emits a `continue` report when one is due.
    func reportContinueIfDue(now: NIODeadline) {
        guard let due = nextContinueReport, now >= due, !isFinished else { return }
        emitTelemetry(.continue, duration: nil)
        nextContinueReport = now + TimeAmount(context.observability.reportInterval)
    }

    /// The connection closed: write the access-log line and the `close` event. Idempotent.
    func finish() {
        guard !isFinished else { return }
        isFinished = true
        let elapsed = context.clock.now() - startedAt
        record.durationMilliseconds = elapsed.nanoseconds / 1_000_000
        record.bytesReceived = downstreamBytesReceived
        record.bytesSent = downstreamBytesSent
        if metricsDestination != nil {
            emitTelemetry(.close, duration: elapsed.nanoseconds)
            closingSeries?.connectionClosed()
        }
        if let sink = context.observability.accessLog {
            sink.writeLine { context.observability.accessLogFormat.render(record, into: &$0) }
        }
    }

    /// The counters byte counts and the close go to: labelled with the connection's response flags.
    private var closingSeries: IstioMetrics.Series? {
        guard var destination = metricsDestination else { return nil }
        if record.responseFlags.isEmpty, let unflaggedSeries { return unflaggedSeries }
        destination.responseFlags = record.responseFlags
        return IstioMetrics.Series(metrics: context.observability.metrics, destination: destination)
    }

    private func emitTelemetry(_ event: TCPAccessLogEntry.ConnectionEvent, duration: Int64?) {
        let received = downstreamBytesReceived
        let sent = downstreamBytesSent
        let deltas = reportCounter.deltas(for: event, totalReceived: received, totalSent: sent)
        if event != .open {
            closingSeries?.bytes(received: deltas.received, sent: deltas.sent)
        }
        guard let sink = context.observability.telemetryLog else { return }
        let entry = TCPAccessLogEntry(
            time: .now(),
            event: event,
            connectionDurationNanoseconds: duration,
            destinationAddress: destination?.addressBytes ?? [0, 0, 0, 0],
            destinationServiceHost: event == .open ? "" : destinationServiceHost,
            destinationNamespace: destinationNamespace,
            sourceAddress: record.downstreamRemoteAddress?.addressBytes ?? [0, 0, 0, 0],
            requestedServerName: record.requestedServerName ?? "",
            receivedBytes: deltas.received,
            sentBytes: deltas.sent,
            totalReceivedBytes: received,
            totalSentBytes: sent,
            identity: context.observability.identity
        )
        sink.write(line: entry.render())
    }
}

@available(*, unavailable)
extension ConnectionReport: Sendable {}
