/// Byte counts of one proxied connection's client side, what the access log and telemetry report.
/// Confined to the connection's loop: plain stored properties, no atomics on the hot path.
final class SpliceCounters {
    /// Bytes read from the downstream client (`%BYTES_RECEIVED%`).
    var downstreamBytesReceived: Int64 = 0
    /// Bytes read from the upstream for the downstream client (`%BYTES_SENT%`).
    var downstreamBytesSent: Int64 = 0
}

@available(*, unavailable)
extension SpliceCounters: Sendable {}
