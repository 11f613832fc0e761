import NIOCore
import Synchronization

/// The live connections of a runtime: how many are open on each side (for cleanup checks), which
/// listener and chain each downstream connection uses (to drain those a new plan removes), and how many
/// upstream connections each cluster has (for the `UO` connection limit).
final class ConnectionRegistry: Sendable {
    struct Entry: Sendable {
        var channel: any Channel
        var listener: String
        /// Set once the connection is routed.
        var chain: String?
    }

    private struct State {
        var nextID = 0
        var downstream: [Int: Entry] = [:]
        var upstreamOpen = 0
        var upstreamPerCluster: [String: Int] = [:]
    }

    private let state = Mutex(State())

    func register(_ channel: any Channel, listener: String) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.downstream[state.nextID] = Entry(channel: channel, listener: listener)
            return state.nextID
        }
    }

    func routed(_ id: Int, chain: String) {
        state.withLock { $0.downstream[id]?.chain = chain }
    }

    func closed(_ id: Int) {
        _ = state.withLock { $0.downstream.removeValue(forKey: id) }
    }

    /// Counts an upstream connection to `cluster` unless that would exceed `limit`; false means overflow.
    func acquireUpstream(cluster: String, limit: Int?) -> Bool {
        state.withLock { state in
            let current = state.upstreamPerCluster[cluster, default: 0]
            if let limit, current >= limit { return false }
            state.upstreamPerCluster[cluster] = current + 1
            state.upstreamOpen += 1
            return true
        }
    }

    func releaseUpstream(cluster: String) {
        state.withLock { state in
            state.upstreamOpen -= 1
            let remaining = state.upstreamPerCluster[cluster, default: 1] - 1
            state.upstreamPerCluster[cluster] = remaining > 0 ? remaining : nil
        }
    }

    /// Open downstream and upstream connections (an upstream counts from its connect attempt).
    var openCounts: (downstream: Int, upstream: Int) {
        state.withLock { ($0.downstream.count, $0.upstreamOpen) }
    }

    /// The downstream connections for which `isAffected` holds.
    func connections(where isAffected: (Entry) -> Bool) -> [any Channel] {
        state.withLock { $0.downstream.values.filter(isAffected).map(\.channel) }
    }
}
