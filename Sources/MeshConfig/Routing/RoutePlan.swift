/// A gateway port that gets no listener, and why (kept for explain).
public struct OmittedListener: Sendable, Hashable {
    public var name: String
    public var bind: String
    public var port: Int
    public var reason: String
}

/// Everything the data plane needs to route connections: listeners with filter chains, and clusters.
///
/// Produced by `RouteCompiler` from a `ConfigSnapshot`; pure data, safe to share across threads.
public struct RoutePlan: Sendable, Hashable {
    public var generation: Int
    /// Listeners ordered by port, then bind address.
    public var listeners: [ListenerPlan]
    /// Clusters by name (`outbound|443||www.google.com`). A chain naming a cluster absent here gets `NC`.
    public var clusters: [String: ClusterPlan]
    /// Cluster names that chains use but that do not exist, with the reason.
    public var missingClusters: [String: String]
    public var omittedListeners: [OmittedListener]
    /// Compile-time warnings (duplicate SNI skipped, conflicting servers, ...).
    public var warnings: [Diagnostic]
    /// The gateway namespace and cluster domain it was compiled for.
    public var options: CompileOptions

    public init(
        generation: Int,
        listeners: [ListenerPlan],
        clusters: [String: ClusterPlan],
        missingClusters: [String: String] = [:],
        omittedListeners: [OmittedListener] = [],
        warnings: [Diagnostic] = [],
        options: CompileOptions = CompileOptions()
    ) {
        self.generation = generation
        self.listeners = listeners.sorted { ($0.port, $0.bind) < ($1.port, $1.bind) }
        self.clusters = clusters
        self.missingClusters = missingClusters
        self.omittedListeners = omittedListeners
        self.warnings = warnings
        self.options = options
    }

    /// The listener on a port: the one bound to `0.0.0.0` if there is one, else the first.
    public func listener(port: Int) -> ListenerPlan? {
        let onPort = listeners.filter { $0.port == port }
        return onPort.first { $0.bind == "0.0.0.0" } ?? onPort.first
    }

    /// Explains what a connection to `port` with SNI `serverName` (nil: none) would do. For an HTTP listener the
    /// name is taken as the request's Host, with path `/`.
    public func explain(port: Int, serverName: String?) -> RouteDecision {
        guard let listener = listener(port: port) else {
            let omitted = omittedListeners.first { $0.port == port }
            return .noListener(port: port, reason: omitted?.reason ?? "no Gateway server has port \(port)")
        }
        guard let chain = listener.chain(forServerName: serverName) else {
            return .noFilterChain(listener: listener.name)
        }
        var destinations = chain.destinations
        if listener.protocol == .http {
            // A name on an HTTP port is taken as the Host of `GET /` (see `explain(port:request:)` for more).
            let decision = explain(port: port, request: HTTPRouteRequest(authority: serverName ?? ""))
            guard case .forward(let forward) = decision.outcome else {
                if case .noCluster(let clusters) = decision.outcome {
                    return .noCluster(listener: listener.name, chain: chain, clusters: clusters)
                }
                return .noFilterChain(listener: listener.name)
            }
            destinations = forward.action.destinations.map { WeightedCluster(name: $0.cluster, weight: $0.weight) }
        }
        let routed = destinations.map { destination in
            RoutedCluster(
                name: destination.name,
                weight: destination.weight,
                cluster: self.clusters[destination.name],
                missingReason: missingClusters[destination.name]
            )
        }
        if routed.allSatisfy({ $0.cluster == nil }) {
            return .noCluster(listener: listener.name, chain: chain, clusters: routed)
        }
        return .routed(listener: listener.name, chain: chain, clusters: routed)
    }
}
