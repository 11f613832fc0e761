import MeshConfig
import Synchronization

/// Chooses, per new connection, the destination cluster of a weighted route and the endpoint of a cluster,
/// keeping one round-robin state per chain and per cluster across all event loops.
final class UpstreamSelector: Sendable {
    private let chainStates = Mutex<[String: WeightedRoundRobin]>([:])
    private let endpointStates = Mutex<[String: WeightedRoundRobin]>([:])

    /// The position in `chain.destinations` of the destination for the next connection: by weight when
    /// there are several.
    func destinationIndex(of chain: FilterChainPlan) -> Int? {
        let destinations = chain.destinations
        guard destinations.count > 1 else { return destinations.isEmpty ? nil : 0 }
        return chainStates.withLock { states in
            states[chain.id, default: WeightedRoundRobin(count: destinations.count)].next(
                weights: destinations.map(\.weight)
            )
        }
    }

    /// The endpoint of `cluster` for the next connection, rotating through `endpoints` by weight (an endpoint
    /// without a weight counts as 1).
    func endpoint(of cluster: String, among endpoints: [WeightedEndpoint]) -> EndpointAddress? {
        guard endpoints.count > 1 else { return endpoints.first?.address }
        let index = endpointStates.withLock { states in
            states[cluster, default: WeightedRoundRobin(count: endpoints.count)].next(
                weights: endpoints.map { max(1, $0.weight) }
            )
        }
        return index.map { endpoints[$0].address }
    }

    /// Forgets state of chains and clusters that no longer exist.
    func retain(chains: Set<String>, clusters: Set<String>) {
        chainStates.withLock { $0 = $0.filter { chains.contains($0.key) } }
        endpointStates.withLock { $0 = $0.filter { clusters.contains($0.key) } }
    }
}

/// An address a cluster may connect to, with its load-balancing weight (0: unweighted).
public struct WeightedEndpoint: Sendable, Hashable {
    public var address: EndpointAddress
    public var weight: Int

    public init(address: EndpointAddress, weight: Int = 0) {
        self.address = address
        self.weight = weight
    }
}
