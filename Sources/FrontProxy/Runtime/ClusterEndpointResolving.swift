import MeshConfig

/// Finds the addresses a new connection to a cluster may use.
public protocol ClusterEndpointResolving: Sendable {
    /// Finds the cluster's endpoints in preference order and calls `completion` once, on any thread; empty
    /// means none (`UH`). A failure (a DNS error, say) also ends in `UH`; its description goes to the
    /// access log's details.
    func endpoints(
        of cluster: ClusterPlan,
        completion: @escaping @Sendable (Result<[WeightedEndpoint], any Error>) -> Void
    )

    /// The endpoints when they are known now without waiting (a STATIC cluster, or a DNS cluster whose names
    /// are cached), else nil: then the data plane asks `endpoints(of:completion:)`. Keeps a callback and a
    /// thread hop off most connections.
    func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>?
}

extension ClusterEndpointResolving {
    public func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>? { nil }
}
