import NIOCore

/// Closes a spliced connection once neither side has read a byte for `limit` (tcp_proxy's idle timeout).
/// One timer per connection, re-armed lazily: reads only stamp `SpliceCounters.lastActivity`, and the timer,
/// when it fires, either closes or sleeps until the new deadline.
final class IdleTimeout {
    private let limit: TimeAmount
    private let counters: SpliceCounters
    private var scheduled: Scheduled<Void>?

    init(limit: TimeAmount, counters: SpliceCounters) {
        self.limit = limit
        self.counters = counters
    }

    /// Starts watching; `onIdle` runs on `eventLoop` when the connection has been idle for the limit.
    func start(on eventLoop: any EventLoop, onIdle: @escaping () -> Void) {
        scheduled = eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(
            deadline: counters.lastActivity + limit
        ) {
            if NIODeadline.now() >= self.counters.lastActivity + self.limit {
                self.scheduled = nil
                onIdle()
            } else {
                self.start(on: eventLoop, onIdle: onIdle)
            }
        }
    }

    func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}

@available(*, unavailable)
extension IdleTimeout: Sendable {}
