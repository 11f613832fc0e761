import Prometheus
import Synchronization

/// Istio's standard metrics with Istio's standard labels, in a Prometheus registry of their own so each proxy
/// instance (and each harness scenario) counts alone: TCP (`istio_tcp_connections_opened_total`,
/// `..._closed_total`, `istio_tcp_sent_bytes_total`, `istio_tcp_received_bytes_total`) and HTTP
/// (`istio_requests_total`, `istio_request_duration_milliseconds`, `istio_request_bytes`,
/// `istio_response_bytes`).
public final class IstioMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let identity: TelemetryIdentity
    /// Counters already made, per metric and destination: building Istio's 23 labels and looking them up
    /// in the registry costs far more than a dictionary hit, and it would happen several times per
    /// connection.
    private let counters = Mutex<[CounterKey: Counter]>([:])

    private struct CounterKey: Hashable {
        var metric: Metric
        var destination: Destination
    }

    public init(identity: TelemetryIdentity, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.identity = identity
        self.registry = registry
    }

    /// What distinguishes one connection's series: where it went and how it ended.
    public struct Destination: Sendable, Hashable {
        /// The ServiceEntry host (`www.google.com`), or nil when the route named no known service.
        public var serviceHost: String?
        public var serviceNamespace: String?
        public var responseFlags: ResponseFlags

        public init(serviceHost: String?, serviceNamespace: String?, responseFlags: ResponseFlags) {
            self.serviceHost = serviceHost
            self.serviceNamespace = serviceNamespace
            self.responseFlags = responseFlags
        }
    }

    public func connectionOpened(_ destination: Destination) {
        counter(.connectionsOpened, destination).increment()
    }

    public func connectionClosed(_ destination: Destination) {
        counter(.connectionsClosed, destination).increment()
    }

    /// Adds bytes received from and sent to the downstream client since the last report.
    public func bytes(received: Int64, sent: Int64, _ destination: Destination) {
        if received > 0 { counter(.receivedBytes, destination).increment(by: received) }
        if sent > 0 { counter(.sentBytes, destination).increment(by: sent) }
    }

    /// The counters of one destination, made on first use and then kept: for a caller that reports many
    /// connections to the same destination without a label lookup per connection.
    final class Series: Sendable {
        private let metrics: IstioMetrics
        private let destination: Destination
        // Made on first use, then read without a lock: every connection to the destination touches them.
        private let opened = AtomicLazyReference<Counter>()
        private let closed = AtomicLazyReference<Counter>()
        private let received = AtomicLazyReference<Counter>()
        private let sent = AtomicLazyReference<Counter>()

        init(metrics: IstioMetrics, destination: Destination) {
            self.metrics = metrics
            self.destination = destination
        }

        func connectionOpened() { counter(opened, .connectionsOpened).increment() }
        func connectionClosed() { counter(closed, .connectionsClosed).increment() }

        func bytes(received receivedBytes: Int64, sent sentBytes: Int64) {
            if receivedBytes > 0 { counter(received, .receivedBytes).increment(by: receivedBytes) }
            if sentBytes > 0 { counter(sent, .sentBytes).increment(by: sentBytes) }
        }

        private func counter(_ slot: borrowing AtomicLazyReference<Counter>, _ metric: Metric) -> Counter {
            slot.load() ?? slot.storeIfNil(metrics.counter(metric, destination))
        }
    }

    // MARK: HTTP

    /// What distinguishes one request's series.
    public struct RequestLabels: Sendable, Hashable {
        public var serviceHost: String?
        public var serviceNamespace: String?
        /// 0 when no response was sent.
        public var responseCode: Int
        public var responseFlags: ResponseFlags

        public init(serviceHost: String?, serviceNamespace: String?, responseCode: Int, responseFlags: ResponseFlags) {
            self.serviceHost = serviceHost
            self.serviceNamespace = serviceNamespace
            self.responseCode = responseCode
            self.responseFlags = responseFlags
        }
    }

    /// Envoy's default histogram buckets, which Istio's stats use for durations and sizes alike.
    static let histogramBuckets: [Double] = [
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300_000, 600_000, 1_800_000,
        3_600_000,
    ]

    /// The four HTTP series of one label set; a data-plane loop keeps the ones it used, so a request costs no
    /// lock once its labels were seen.
    final class RequestSeries: Sendable {
        let requests: Counter
        let duration: ValueHistogram
        let requestBytes: ValueHistogram
        let responseBytes: ValueHistogram

        fileprivate init(metrics: IstioMetrics, labels: RequestLabels) {
            let labelPairs = metrics.labels(
                Destination(
                    serviceHost: labels.serviceHost,
                    serviceNamespace: labels.serviceNamespace,
                    responseFlags: labels.responseFlags
                ),
                protocol: "http",
                responseCode: labels.responseCode
            )
            func descriptor(_ name: String, unit: String?, help: String) -> MetricNameDescriptor {
                MetricNameDescriptor(namespace: "istio", metricName: name, unitName: unit, helpText: help)
            }
            let registry = metrics.registry
            requests = registry.makeCounter(
                descriptor: descriptor("requests", unit: "total", help: "Total requests"),
                labels: labelPairs
            )
            duration = registry.makeValueHistogram(
                descriptor: descriptor("request_duration", unit: "milliseconds", help: "Request duration"),
                labels: labelPairs,
                buckets: IstioMetrics.histogramBuckets
            )
            requestBytes = registry.makeValueHistogram(
                descriptor: descriptor("request", unit: "bytes", help: "Request size"),
                labels: labelPairs,
                buckets: IstioMetrics.histogramBuckets
            )
            responseBytes = registry.makeValueHistogram(
                descriptor: descriptor("response", unit: "bytes", help: "Response size"),
                labels: labelPairs,
                buckets: IstioMetrics.histogramBuckets
            )
        }

        func record(durationMilliseconds: Double, requestBytes requestSize: Int64, responseBytes responseSize: Int64) {
            requests.increment()
            duration.record(durationMilliseconds)
            requestBytes.record(Double(requestSize))
            responseBytes.record(Double(responseSize))
        }
    }

    private let requestSeries = Mutex<[RequestLabels: RequestSeries]>([:])

    /// The series of one label set (made once, under a lock; callers keep it).
    func series(_ labels: RequestLabels) -> RequestSeries {
        requestSeries.withLock { series in
            if let existing = series[labels] { return existing }
            let made = RequestSeries(metrics: self, labels: labels)
            series[labels] = made
            return made
        }
    }

    /// Records one finished request (for callers without a cache of their own, such as tests).
    public func requestCompleted(
        _ labels: RequestLabels,
        durationMilliseconds: Double,
        requestBytes: Int64,
        responseBytes: Int64
    ) {
        series(labels).record(
            durationMilliseconds: durationMilliseconds,
            requestBytes: requestBytes,
            responseBytes: responseBytes
        )
    }

    /// The Prometheus text exposition of every series.
    public func exposition() -> String { registry.emitToString() }

    fileprivate enum Metric: Hashable {
        case connectionsOpened, connectionsClosed, receivedBytes, sentBytes

        /// `istio_tcp_<name>_total` with Istio's help text.
        var descriptor: MetricNameDescriptor {
            let (name, help) =
                switch self {
                case .connectionsOpened: ("connections_opened", "Total connections opened")
                case .connectionsClosed: ("connections_closed", "Total connections closed")
                case .receivedBytes: ("received_bytes", "Total bytes received during request")
                case .sentBytes: ("sent_bytes", "Total bytes sent during response")
                }
            return MetricNameDescriptor(
                namespace: "istio",
                subsystem: "tcp",
                metricName: name,
                unitName: "total",
                helpText: help
            )
        }
    }

    fileprivate func counter(_ metric: Metric, _ destination: Destination) -> Counter {
        let key = CounterKey(metric: metric, destination: destination)
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = registry.makeCounter(descriptor: metric.descriptor, labels: labels(destination))
        counters.withLock { $0[key] = counter }
        return counter
    }

    /// Istio's standard labels; a gateway reports as `source`, and what it cannot know is `unknown`.
    fileprivate func labels(
        _ destination: Destination,
        protocol requestProtocol: String = "tcp",
        responseCode: Int? = nil
    ) -> [(String, String)] {
        let service = destination.serviceHost ?? "unknown"
        var labels = [
            ("reporter", "source"),
            ("source_workload", identity.workload),
            ("source_workload_namespace", identity.namespace),
            ("source_principal", "unknown"),
            ("source_app", identity.app),
            ("source_version", "unknown"),
            ("source_canonical_service", identity.app),
            ("source_canonical_revision", "latest"),
            ("source_cluster", "unknown"),
            ("destination_workload", "unknown"),
            ("destination_workload_namespace", "unknown"),
            ("destination_principal", "unknown"),
            ("destination_app", "unknown"),
            ("destination_version", "unknown"),
            ("destination_service", service),
            ("destination_service_name", service),
            ("destination_service_namespace", destination.serviceNamespace ?? "unknown"),
            ("destination_canonical_service", "unknown"),
            ("destination_canonical_revision", "latest"),
            ("destination_cluster", "unknown"),
            ("request_protocol", requestProtocol),
        ]
        if let responseCode {
            labels.append(("response_code", String(responseCode)))
            labels.append(("grpc_response_status", ""))
        }
        labels.append(("connection_security_policy", "unknown"))
        labels.append(("response_flags", destination.responseFlags.description))
        return labels
    }
}
