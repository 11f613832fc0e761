import NIOCore

/// The access-log record and telemetry of one downstream connection, from accept to close.
///
/// Confined to the connection's event loop. Telemetry follows Mixer's TCP filter: nothing is reported
/// until the connection reaches a filter chain and its upstream attempt resolves (`open`), then `continue`
/// every report interval, then `close`; a connection that matched no chain only writes its access-log line.
final class ConnectionReport {
    private(set) var record: ConnectionRecord
    let counters: SpliceCounters
    private let observability: ProxyObservability
    private let startedAt: NIODeadline
    private var reportCounter = TCPReportCounter()
    private var metricsDestination: TCPMetrics.Destination?
    private var destinationServiceHost = ""
    private var destinationNamespace = "default"
    /// The upstream endpoint once chosen, else the listener's address (Mixer's `destination.ip`).
    private var destination: EndpointAddress?
    private var nextContinueReport: Scheduled<Void>?
    private var isFinished = false

    init(
        downstreamRemote: EndpointAddress?,
        downstreamLocal: EndpointAddress?,
        observability: ProxyObservability
    ) {
        let now = NIODeadline.now()
        record = ConnectionRecord(startTime: .now())
        record.downstreamRemoteAddress = downstreamRemote
        record.downstreamLocalAddress = downstreamLocal
        destination = downstreamLocal
        counters = SpliceCounters(now: now)
        startedAt = now
        self.observability = observability
    }

    // MARK: - What happened

    func inspected(serverName: String?, failure: String?) {
        record.requestedServerName = serverName
        if let failure { record.connectionTerminationDetails = failure }
    }

    func routed(cluster: String?, routeName: String?, serviceHost: String?, serviceNamespace: String?) {
        record.upstreamCluster = cluster
        record.routeName = routeName
        destinationServiceHost = serviceHost ?? ""
        destinationNamespace = serviceNamespace ?? "default"
        metricsDestination = TCPMetrics.Destination(
            serviceHost: serviceHost,
            serviceNamespace: serviceNamespace,
            responseFlags: []
        )
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

    /// The connection reached its chain and its upstream attempt resolved: emit `open` and start the
    /// periodic `continue` reports.
    func reportOpen(on eventLoop: any EventLoop) {
        guard let destination = metricsDestination, !isFinished else { return }
        observability.metrics.connectionOpened(destination)
        emitTelemetry(.open, duration: nil)
        scheduleContinueReport(on: eventLoop)
    }

    private func scheduleContinueReport(on eventLoop: any EventLoop) {
        nextContinueReport = eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(
            in: TimeAmount(observability.reportInterval)
        ) {
            guard !self.isFinished else { return }
            self.emitTelemetry(.continue, duration: nil)
            self.scheduleContinueReport(on: eventLoop)
        }
    }

    /// The connection closed: write the access-log line and the `close` event. Idempotent.
    func finish() {
        guard !isFinished else { return }
        isFinished = true
        nextContinueReport?.cancel()
        nextContinueReport = nil
        let elapsed = NIODeadline.now() - startedAt
        record.durationMilliseconds = elapsed.nanoseconds / 1_000_000
        record.bytesReceived = counters.downstreamBytesReceived
        record.bytesSent = counters.downstreamBytesSent
        if var destination = metricsDestination {
            emitTelemetry(.close, duration: elapsed.nanoseconds)
            destination.responseFlags = record.responseFlags
            observability.metrics.connectionClosed(destination)
        }
        observability.accessLog?.write(line: observability.accessLogFormat.render(record))
    }

    private func emitTelemetry(_ event: TCPAccessLogEntry.ConnectionEvent, duration: Int64?) {
        let received = counters.downstreamBytesReceived
        let sent = counters.downstreamBytesSent
        let deltas = reportCounter.deltas(for: event, totalReceived: received, totalSent: sent)
        if event != .open, var destination = metricsDestination {
            destination.responseFlags = record.responseFlags
            observability.metrics.bytes(received: deltas.received, sent: deltas.sent, destination)
        }
        guard let sink = observability.telemetryLog else { return }
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
            identity: observability.identity
        )
        sink.write(line: entry.render())
    }
}

@available(*, unavailable)
extension ConnectionReport: Sendable {}

extension EndpointAddress {
    /// The IP and port of a socket address; nil for Unix sockets. Reads the address bytes straight out of
    /// the `sockaddr` (no text round trip: this runs several times per connection).
    init?(_ address: SocketAddress?) {
        guard let address, let port = address.port else { return nil }
        switch address {
        case .v4(let v4):
            // sockaddr_in: family (2), port (2), address (4).
            let address = withUnsafeBytes(of: v4.address) { Self(addressBytes: $0[4..<8], port: port) }
            guard let address else { return nil }
            self = address
        case .v6(let v6):
            // sockaddr_in6: family (2), port (2), flow info (4), address (16).
            let address = withUnsafeBytes(of: v6.address) { Self(addressBytes: $0[8..<24], port: port) }
            guard let address else { return nil }
            self = address
        case .unixDomainSocket:
            return nil
        }
    }
}
