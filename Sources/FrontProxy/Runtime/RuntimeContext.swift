import MeshConfig
import Synchronization

/// What every connection of a runtime shares: the current plan, settings, reporting, and live state.
final class RuntimeContext: Sendable {
    let configuration: ProxyRuntime.Configuration
    let observability: ProxyObservability
    let resolver: any ClusterEndpointResolving
    let registry: ConnectionRegistry
    let selector = UpstreamSelector()
    private let plan: Mutex<RoutePlan>

    init(
        configuration: ProxyRuntime.Configuration,
        observability: ProxyObservability,
        resolver: any ClusterEndpointResolving
    ) {
        self.configuration = configuration
        self.observability = observability
        self.resolver = resolver
        registry = ConnectionRegistry(limitPerCluster: configuration.maximumConnectionsPerCluster)
        plan = Mutex(RoutePlan(generation: 0, listeners: [], clusters: [:]))
    }

    /// The plan new connections route with.
    var currentPlan: RoutePlan { plan.withLock { $0 } }

    /// Installs `newPlan` for new connections and returns the one it replaces.
    func swapPlan(_ newPlan: RoutePlan) -> RoutePlan {
        plan.withLock { current in
            defer { current = newPlan }
            return current
        }
    }
}
