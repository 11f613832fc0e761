import MeshConfig
import NIOCore
import Synchronization

/// The clock the proxy's timers run on: the data plane's deadlines (ClientHello wait, connect, idle, drain,
/// telemetry reports) and the resolver's TTL cache.
///
/// `system` is monotonic time. `manual` moves only when advanced (`FrontProxyServer.advanceClock(by:)`),
/// so a test of a timeout, a TTL or a drain advances time instead of sleeping for it, as NIO's
/// `EmbeddedEventLoop` does for channel timers.
public enum ProxyClock: Sendable {
    case system
    case manual(ManualClock)

    /// The current time on this clock.
    @inline(__always)
    public func now() -> NIODeadline {
        switch self {
        case .system: .now()
        case .manual(let clock): clock.now
        }
    }

    /// The second a configuration change made now stamps the resources it creates with: the real-time clock,
    /// or for a manual clock its own wall time, which moves only when it is advanced (so a scenario's `wait`
    /// puts the applies after it in a later second).
    public func creationTime() -> CreationTimestamp {
        switch self {
        case .system:
            CreationTimestamp(secondsSinceEpoch: WallClockTime.now().nanosecondsSinceEpoch / 1_000_000_000)
        case .manual(let clock): clock.wallTime
        }
    }

    /// Whether time moves by itself (the data plane then sweeps its deadlines periodically; a manual clock's
    /// loops sweep when it is advanced).
    var isSystem: Bool {
        if case .system = self { return true }
        return false
    }
}

/// A clock that stands still until it is advanced.
public final class ManualClock: Sendable {
    private let current: Mutex<NIODeadline>
    private let start: NIODeadline
    /// The wall time at `start`.
    private let wallTimeAtStart: CreationTimestamp

    /// Starts at an arbitrary point well after zero, so deadlines before it can still be expressed; its wall
    /// time starts at `wallTime` (2026-01-01T00:00:00Z unless told).
    public init(
        start: NIODeadline = .uptimeNanoseconds(1_000_000_000_000),
        wallTime: CreationTimestamp = .unclocked
    ) {
        current = Mutex(start)
        self.start = start
        wallTimeAtStart = wallTime
    }

    public var now: NIODeadline { current.withLock { $0 } }

    /// The wall time now, to the second: the start's plus the time advanced since.
    public var wallTime: CreationTimestamp {
        wallTimeAtStart.adding(seconds: (now - start).nanoseconds / 1_000_000_000)
    }

    /// Moves the clock forward by `amount` (a negative amount is refused: time does not run backwards).
    public func advance(by amount: TimeAmount) {
        precondition(amount.nanoseconds >= 0, "a ManualClock cannot go backwards (asked to advance by \(amount))")
        current.withLock { $0 = $0 + amount }
    }
}
