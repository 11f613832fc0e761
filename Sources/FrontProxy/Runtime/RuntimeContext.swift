import Logging
import MeshConfig

/// What every connection of a runtime shares: settings, the clock, reporting, and live state. The plan is
/// not here: each loop holds the one its connections route with (`DataPlaneLoop.plan`), so routing a
/// connection takes no lock.
final class RuntimeContext: Sendable {
    let configuration: ProxyRuntime.Configuration
    let observability: ProxyObservability
    let resolver: any ClusterEndpointResolving
    let registry: ConnectionRegistry
    let selector = UpstreamSelector()
    let logger: Logger

    var clock: ProxyClock { configuration.clock }

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
    }
}
