/// How a cluster finds its endpoints (Envoy's cluster types, as Istio maps ServiceEntry resolutions).
public enum ClusterResolution: String, Sendable, Hashable {
    /// ServiceEntry `DNS`: every A/AAAA answer of each endpoint name is an endpoint, refreshed by TTL.
    case strictDNS = "STRICT_DNS"
    /// ServiceEntry `DNS_ROUND_ROBIN`: only the first answer is used for new connections.
    case logicalDNS = "LOGICAL_DNS"
    /// ServiceEntry `STATIC`: the listed IP endpoints.
    case `static` = "STATIC"
    /// ServiceEntry `NONE`: a gateway has no original destination to use, so there are no endpoints (UH).
    case none = "NONE"
}

/// One upstream address of a cluster: an IP, or a name to resolve (DNS clusters).
public struct EndpointPlan: Sendable, Hashable, CustomStringConvertible {
    public var address: String
    public var port: Int
    /// True when `address` is a host name that must be resolved by DNS.
    public var needsResolution: Bool
    public var weight: Int

    public init(address: String, port: Int, needsResolution: Bool, weight: Int = 0) {
        self.address = address
        self.port = port
        self.needsResolution = needsResolution
        self.weight = weight
    }

    public var description: String {
        address.contains(":") && !needsResolution ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// An upstream cluster `outbound|<port>|<subset>|<host>` built from a ServiceEntry.
public struct ClusterPlan: Sendable, Hashable {
    public var name: String
    public var host: String
    public var port: Int
    public var subset: String
    public var resolution: ClusterResolution
    public var endpoints: [EndpointPlan]
    /// The ServiceEntry the cluster came from.
    public var serviceEntry: ResourceRef

    public init(
        name: String,
        host: String,
        port: Int,
        subset: String = "",
        resolution: ClusterResolution,
        endpoints: [EndpointPlan],
        serviceEntry: ResourceRef
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.subset = subset
        self.resolution = resolution
        self.endpoints = endpoints
        self.serviceEntry = serviceEntry
    }

    /// Istio's cluster name (`model.BuildSubsetKey`).
    public static func name(port: Int, subset: String = "", host: String) -> String {
        "outbound|\(port)|\(subset)|\(host)"
    }

    /// One line on how the endpoints are found, for `frontproxy route`.
    public var endpointsDescription: String {
        let list = endpoints.map(\.description).joined(separator: ", ")
        switch resolution {
        case .strictDNS: return "DNS (STRICT_DNS): every A/AAAA answer for \(list)"
        case .logicalDNS: return "DNS_ROUND_ROBIN (LOGICAL_DNS): the first answer for \(list)"
        case .static: return "STATIC: \(list.isEmpty ? "no endpoints" : list)"
        case .none: return "NONE: no endpoints at a gateway (connections fail with UH)"
        }
    }
}
