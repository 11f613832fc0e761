import Synchronization

/// How many connections a runtime has open on each side (for cleanup checks and the admin API), and how
/// many upstream connections each cluster holds (for the `UO` connection limit).
///
/// Counted from every loop: atomics for the totals; the per-cluster table (a lock) only when a limit is set.
final class ConnectionRegistry: Sendable {
    private let downstream = Atomic<Int>(0)
    private let upstream = Atomic<Int>(0)
    /// Connections closed at accept because the downstream cap was reached (`downstream_cx_overflow`).
    private let overflowed = Atomic<Int>(0)
    private let perCluster = Mutex<[String: Int]>([:])
    /// The per-cluster limit; nil: no limit, and no table to keep.
    private let limit: Int?

    init(limitPerCluster: Int?) {
        limit = limitPerCluster
    }

    func downstreamOpened() { downstream.add(1, ordering: .relaxed) }

    /// Whether a new downstream connection fits under `cap` (counted as overflow when it does not).
    func admitsDownstream(under cap: Int?) -> Bool {
        guard let cap, downstream.load(ordering: .relaxed) >= cap else { return true }
        overflowed.add(1, ordering: .relaxed)
        return false
    }

    /// Connections refused at accept so far.
    var downstreamOverflows: Int { overflowed.load(ordering: .relaxed) }
    func downstreamClosed() { downstream.subtract(1, ordering: .relaxed) }
    func upstreamOpened() { upstream.add(1, ordering: .relaxed) }
    func upstreamClosed() { upstream.subtract(1, ordering: .relaxed) }

    /// Counts a connection to `cluster` unless that would exceed the limit; false means overflow.
    func acquireUpstream(cluster: String) -> Bool {
        guard let limit else { return true }
        return perCluster.withLock { counts in
            let current = counts[cluster, default: 0]
            guard current < limit else { return false }
            counts[cluster] = current + 1
            return true
        }
    }

    func releaseUpstream(cluster: String) {
        guard limit != nil else { return }
        perCluster.withLock { counts in
            let remaining = counts[cluster, default: 1] - 1
            counts[cluster] = remaining > 0 ? remaining : nil
        }
    }

    /// Open downstream and upstream sockets.
    var openCounts: (downstream: Int, upstream: Int) {
        (downstream.load(ordering: .relaxed), upstream.load(ordering: .relaxed))
    }
}
