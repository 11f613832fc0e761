import MeshConfig
import Synchronization

/// A `RoutePlan` prepared for the data plane when it is applied: listeners, chains and clusters become
/// shared objects, STATIC endpoints are parsed and each cluster keeps its metric counters. Routing a
/// connection then copies no plan structure and hashes no cluster name; it reads one reference.
final class ServingPlan: Sendable {
    let routePlan: RoutePlan
    private let listeners: [ServingListener]
    /// Every cluster by name: HTTP requests pick theirs per request (TCP chains hold theirs).
    private let clusters: [String: ServingCluster]

    init(_ routePlan: RoutePlan, resolver: any ClusterEndpointResolving, metrics: IstioMetrics) {
        self.routePlan = routePlan
        let clusters = routePlan.clusters.mapValues { ServingCluster($0, resolver: resolver, metrics: metrics) }
        self.clusters = clusters
        listeners = routePlan.listeners.map { ServingListener($0, clusters: clusters) }
    }

    func cluster(named name: String) -> ServingCluster? {
        clusters[name]
    }

    /// The listener named `name` (`0.0.0.0_443`), if the plan still has it.
    func listener(named name: String) -> ServingListener? {
        listeners.first { $0.plan.name == name }
    }
}

final class ServingListener: Sendable {
    let plan: ListenerPlan
    private let chains: [ServingChain]

    fileprivate init(_ plan: ListenerPlan, clusters: [String: ServingCluster]) {
        self.plan = plan
        chains = plan.chains.map { ServingChain($0, clusters: clusters) }
    }

    /// The chain for this SNI, as `ListenerPlan.chain(forServerName:)` chooses it.
    func chain(forServerName serverName: String?) -> ServingChain? {
        plan.chainIndex(forServerName: serverName).map { chains[$0] }
    }
}

final class ServingChain: Sendable {
    let plan: FilterChainPlan
    /// Per destination, in `plan.destinations` order; nil where no ServiceEntry defines the cluster (`NC`).
    let destinations: [ServingCluster?]

    fileprivate init(_ plan: FilterChainPlan, clusters: [String: ServingCluster]) {
        self.plan = plan
        destinations = plan.destinations.map { clusters[$0.name] }
    }
}

final class ServingCluster: Sendable {
    let plan: ClusterPlan
    /// The endpoints of a STATIC, EDS (or NONE) cluster, parsed once per plan; nil for DNS clusters, whose
    /// answers change with the cache.
    let fixedEndpoints: Result<[WeightedEndpoint], any Error>?
    /// Istio's counters for connections to this cluster that end without a response flag (nearly all).
    let unflaggedSeries: IstioMetrics.Series

    fileprivate init(_ plan: ClusterPlan, resolver: any ClusterEndpointResolving, metrics: IstioMetrics) {
        self.plan = plan
        fixedEndpoints = plan.resolution.isFixed ? resolver.immediateEndpoints(of: plan) : nil
        unflaggedSeries = IstioMetrics.Series(
            metrics: metrics,
            destination: IstioMetrics.Destination(
                serviceHost: plan.host,
                serviceNamespace: plan.source.namespace,
                responseFlags: []
            )
        )
    }
}
