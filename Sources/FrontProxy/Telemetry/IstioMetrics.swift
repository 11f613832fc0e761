import Prometheus
import Synchronization

/// Istio's standard TCP metrics (`istio_tcp_connections_opened_total`, `..._closed_total`,
/// `istio_tcp_sent_bytes_total`, `istio_tcp_received_bytes_total`) with Istio's standard labels, in a
/// Prometheus registry of their own so each proxy instance (and each harness scenario) counts alone.
public final class TCPMetrics: Sendable {
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
        private let metrics: TCPMetrics
        private let destination: Destination
        // Made on first use, then read without a lock: every connection to the destination touches them.
        private let opened = AtomicLazyReference<Counter>()
        private let closed = AtomicLazyReference<Counter>()
        private let received = AtomicLazyReference<Counter>()
        private let sent = AtomicLazyReference<Counter>()

        init(metrics: TCPMetrics, destination: Destination) {
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
    private func labels(_ destination: Destination) -> [(String, String)] {
        let service = destination.serviceHost ?? "unknown"
        return [
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
            ("request_protocol", "tcp"),
            ("connection_security_policy", "unknown"),
            ("response_flags", destination.responseFlags.description),
        ]
    }
}
