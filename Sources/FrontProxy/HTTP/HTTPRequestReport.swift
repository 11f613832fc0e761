import MeshConfig
import NIOCore

/// The access-log record and Istio request metrics of one HTTP request, from its first byte to the end of
/// its response (or the connection). Loop-confined.
final class HTTPRequestReport {
    private(set) var record: ConnectionRecord
    private let context: RuntimeContext
    private let startedAt: NIODeadline
    /// Request and response body bytes (`%BYTES_RECEIVED%`, `%BYTES_SENT%`, Istio's size histograms).
    var requestBodyBytes: Int64 = 0
    var responseBodyBytes: Int64 = 0
    private var cluster: ClusterPlan?
    private var isFinished = false

    init(
        context: RuntimeContext,
        remote: EndpointAddress?,
        local: EndpointAddress?,
        now: NIODeadline,
        fields: HTTPExchangeFields
    ) {
        record = ConnectionRecord(startTime: .now())
        record.downstreamRemoteAddress = remote
        record.downstreamLocalAddress = local
        record.http = fields
        self.context = context
        startedAt = now
    }

    /// The route the request matched (nil: none) and its cluster (nil: a local reply, or no such cluster).
    func routed(route: HTTPRoutePlan?, cluster: ClusterPlan?) {
        record.routeName = route.map { $0.name.isEmpty ? nil : $0.name } ?? nil
        record.upstreamCluster = cluster?.name
        self.cluster = cluster
    }

    func upstreamChosen(_ endpoint: EndpointAddress) {
        record.upstreamHost = endpoint
    }

    func upstreamConnected(localAddress: EndpointAddress?) {
        record.upstreamLocalAddress = localAddress
    }

    func transportFailure(_ reason: String) {
        record.upstreamTransportFailureReason = reason
    }

    func failed(_ flags: ResponseFlags) {
        record.responseFlags.formUnion(flags)
    }

    /// What went upstream: the rewritten path and authority, and the headers the access log reads.
    func forwarded(path: String, authority: String, headers: [HTTPExchangeFields.HeaderField]) {
        record.http?.path = path
        record.http?.authority = authority
        record.http?.requestHeaders = headers
    }

    func responded(status: Int, headers: [HTTPExchangeFields.HeaderField]) {
        record.http?.responseCode = status
        record.http?.responseHeaders = headers
        record.responseCodeDetails = "via_upstream"
    }

    func localReply(status: Int, details: String, bodyBytes: Int64) {
        record.http?.responseCode = status
        record.responseCodeDetails = details
        responseBodyBytes = bodyBytes
    }

    /// Writes the access-log line and the request metrics. Idempotent.
    func finish(now: NIODeadline, loop: DataPlaneLoop) {
        guard !isFinished else { return }
        isFinished = true
        let elapsed = now - startedAt
        record.durationMilliseconds = elapsed.nanoseconds / 1_000_000
        record.bytesReceived = requestBodyBytes
        record.bytesSent = responseBodyBytes
        let labels = IstioMetrics.RequestLabels(
            serviceHost: cluster?.host,
            serviceNamespace: cluster?.source.namespace,
            responseCode: record.http?.responseCode ?? 0,
            responseFlags: record.responseFlags
        )
        let series = loop.requestSeries[labels] ?? context.observability.metrics.series(labels)
        loop.requestSeries[labels] = series
        series.record(
            durationMilliseconds: Double(elapsed.nanoseconds) / 1_000_000,
            requestBytes: requestBodyBytes,
            responseBytes: responseBodyBytes
        )
        if let sink = context.observability.accessLog {
            sink.writeLine { context.observability.accessLogFormat.render(record, into: &$0) }
        }
    }
}

@available(*, unavailable)
extension HTTPRequestReport: Sendable {}
