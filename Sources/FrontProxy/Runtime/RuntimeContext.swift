import Logging
import MeshConfig
import Synchronization

/// What every connection of a runtime shares: the current plan, settings, reporting, and live state.
final class RuntimeContext: Sendable {
    let configuration: ProxyRuntime.Configuration
    let observability: ProxyObservability
    let resolver: any ClusterEndpointResolving
    let registry: ConnectionRegistry
    let selector = UpstreamSelector()
    let logger: Logger
    private let plan: Mutex<ServingPlan>

    init(
        configuration: ProxyRuntime.Configuration,
        observability: ProxyObservability,
        resolver: any ClusterEndpointResolving,
        logger: Logger
    ) {
        self.configuration = configuration
        self.logger = logger
        self.observability = observability
        self.resolver = resolver
        registry = ConnectionRegistry(limitPerCluster: configuration.maximumConnectionsPerCluster)
        plan = Mutex(
            ServingPlan(
                RoutePlan(generation: 0, listeners: [], clusters: [:]),
                resolver: resolver,
                metrics: observability.metrics
            )
        )
    }

    /// The plan new connections route with.
    var currentPlan: RoutePlan { servingPlan.routePlan }

    /// The same, prepared for the data plane.
    var servingPlan: ServingPlan { plan.withLock { $0 } }

    /// Installs `newPlan` for new connections and returns the one it replaces.
    func swapPlan(_ newPlan: RoutePlan) -> RoutePlan {
        let serving = ServingPlan(newPlan, resolver: resolver, metrics: observability.metrics)
        return plan.withLock { current in
            defer { current = serving }
            return current.routePlan
        }
    }
}
