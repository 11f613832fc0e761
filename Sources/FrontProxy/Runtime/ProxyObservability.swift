/// Where a proxy reports what it did: the access log, Mixer-style telemetry events and Istio's TCP metrics.
public struct ProxyObservability: Sendable {
    /// Access-log lines, one per connection when it closes; nil turns the access log off.
    public var accessLog: (any LogLineSink)?
    public var accessLogFormat: AccessLogFormat
    /// Mixer-style `tcpaccesslog` events (open / continue / close); nil turns them off.
    public var telemetryLog: (any LogLineSink)?
    public var identity: TelemetryIdentity
    /// How often a live connection reports `continue` events and byte counters (Mixer: 10 s).
    public var reportInterval: Duration
    public var metrics: IstioMetrics

    public init(
        accessLog: (any LogLineSink)? = FileLogLineSink.standardOutput,
        accessLogFormat: AccessLogFormat = .istio2019,
        telemetryLog: (any LogLineSink)? = nil,
        identity: TelemetryIdentity = .istioIngressGateway(),
        reportInterval: Duration = .seconds(10),
        metrics: IstioMetrics? = nil
    ) {
        self.accessLog = accessLog
        self.accessLogFormat = accessLogFormat
        self.telemetryLog = telemetryLog
        self.identity = identity
        self.reportInterval = reportInterval
        self.metrics = metrics ?? IstioMetrics(identity: identity)
    }
}
