/// How a cluster finds its endpoints (Envoy's cluster types, as Istio maps its services' resolutions).
public enum ClusterResolution: String, Sendable, Hashable {
    /// ServiceEntry `DNS`: every A/AAAA answer of each endpoint name is an endpoint, refreshed by TTL.
    case strictDNS = "STRICT_DNS"
    /// ServiceEntry `DNS_ROUND_ROBIN`: only the first answer is used for new connections.
    case logicalDNS = "LOGICAL_DNS"
    /// ServiceEntry `STATIC`: the listed IP endpoints.
    case `static` = "STATIC"
    /// A Kubernetes Service: the ready endpoints of its EndpointSlices, sent by istiod (EDS).
    case eds = "EDS"
    /// ServiceEntry `NONE`: a gateway has no original destination to use, so there are no endpoints (UH).
    case none = "NONE"

    /// Whether the endpoints are fixed by the plan (no DNS).
    public var isFixed: Bool { self == .static || self == .eds || self == .none }
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

/// An upstream cluster `outbound|<port>|<subset>|<host>`, built from a ServiceEntry or a Kubernetes Service.
public struct ClusterPlan: Sendable, Hashable {
    public var name: String
    public var host: String
    public var port: Int
    public var subset: String
    public var resolution: ClusterResolution
    public var endpoints: [EndpointPlan]
    /// The ServiceEntry or Service the cluster came from.
    public var source: ServiceSource
    /// Istio's protocol of the service port (`HTTP`, `TCP`, `HTTPS`, `UnsupportedProtocol` when sniffed), from
    /// a ServiceEntry's `protocol` or a Service port's `appProtocol` or name.
    public var `protocol`: String
    /// EDS: endpoints the EndpointSlices list as not ready (they get no connections).
    public var notReadyEndpoints: Int
    /// EDS: whether any EndpointSlice names the Service at all.
    public var hasEndpointSlices: Bool

    public init(
        name: String,
        host: String,
        port: Int,
        subset: String = "",
        resolution: ClusterResolution,
        endpoints: [EndpointPlan],
        source: ServiceSource,
        protocol: String = "UnsupportedProtocol",
        notReadyEndpoints: Int = 0,
        hasEndpointSlices: Bool = false
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.subset = subset
        self.resolution = resolution
        self.endpoints = endpoints
        self.source = source
        self.protocol = `protocol`
        self.notReadyEndpoints = notReadyEndpoints
        self.hasEndpointSlices = hasEndpointSlices
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
        case .eds:
            let notReady = notReadyEndpoints > 0 ? " (\(notReadyEndpoints) not ready)" : ""
            guard hasEndpointSlices else {
                return "EDS: no EndpointSlice names \(source) (connections fail with UH)"
            }
            return endpoints.isEmpty
                ? "EDS: no ready endpoint in the EndpointSlices of \(source)\(notReady) (connections fail with UH)"
                : "EDS: the ready endpoints of \(source)'s EndpointSlices: \(list)\(notReady)"
        case .none: return "NONE: no endpoints at a gateway (connections fail with UH)"
        }
    }
}
