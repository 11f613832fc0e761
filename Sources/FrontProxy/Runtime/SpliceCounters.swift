import NIOCore

/// Byte counts and last activity of one proxied connection, updated by both glue handlers of the pair. Both
/// channels live on one event loop, so plain stored properties suffice: no atomics on the hot path.
final class SpliceCounters {
    /// Bytes read from the downstream client (`%BYTES_RECEIVED%`).
    var downstreamBytesReceived: Int64 = 0
    /// Bytes queued for the downstream client (`%BYTES_SENT%`).
    var downstreamBytesSent: Int64 = 0
    /// When either side last read a byte: what the idle timeout measures from.
    var lastActivity: NIODeadline

    init(now: NIODeadline = .now()) {
        lastActivity = now
    }
}

@available(*, unavailable)
extension SpliceCounters: Sendable {}
