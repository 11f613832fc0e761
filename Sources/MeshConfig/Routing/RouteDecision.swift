/// A destination of a routed connection, with its cluster or why there is none (`NC`).
public struct RoutedCluster: Sendable, Hashable {
    public var name: String
    public var weight: Int
    public var cluster: ClusterPlan?
    /// Why no cluster exists under this name (no ServiceEntry, no such port, not exported).
    public var missingReason: String?
}

/// What happens to a connection on a port with a given SNI, and why.
public enum RouteDecision: Sendable, Hashable {
    /// Nothing listens on the port: the connection is refused.
    case noListener(port: Int, reason: String)
    /// A listener, but no chain for this name: Envoy's `NR` with details `filter_chain_not_found`, closed.
    case noFilterChain(listener: String)
    /// A chain whose clusters do not exist: `NC`, closed without forwarding.
    case noCluster(listener: String, chain: FilterChainPlan, clusters: [RoutedCluster])
    /// Proxied to these clusters (split by weight).
    case routed(listener: String, chain: FilterChainPlan, clusters: [RoutedCluster])

    /// The Envoy response flag a connection would be logged with, nil when routed.
    public var responseFlag: String? {
        switch self {
        case .noListener: nil
        case .noFilterChain: "NR"
        case .noCluster: "NC"
        case .routed: nil
        }
    }

    /// Envoy's response code details, when there is one.
    public var responseCodeDetails: String? {
        if case .noFilterChain = self { return "filter_chain_not_found" }
        return nil
    }

    public var isRouted: Bool {
        if case .routed = self { return true }
        return false
    }
}
