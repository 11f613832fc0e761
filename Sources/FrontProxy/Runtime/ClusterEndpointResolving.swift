import MeshConfig
import NIOCore

/// Finds the addresses a new connection to a cluster may use.
public protocol ClusterEndpointResolving: Sendable {
    /// The cluster's endpoints in preference order; empty means none (`UH`). Completes on `eventLoop`.
    /// A failure (a DNS error, say) also ends in `UH`; its description goes to the access log's details.
    func endpoints(of cluster: ClusterPlan, on eventLoop: any EventLoop) -> EventLoopFuture<[WeightedEndpoint]>

    /// The endpoints when they are known now without waiting (a STATIC cluster, or a DNS cluster whose names
    /// are cached), else nil: then the data plane asks `endpoints(of:on:)`. Keeps a future and a thread hop
    /// off most connections.
    func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>?
}

extension ClusterEndpointResolving {
    public func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>? { nil }
}
