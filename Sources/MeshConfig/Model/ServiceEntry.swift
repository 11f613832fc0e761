/// `networking.istio.io` ServiceEntry: an upstream the mesh may reach, and how its endpoints are found.
public struct ServiceEntry: Sendable, Hashable {
    public var metadata: ResourceMetadata
    public var hosts: [String]
    public var addresses: [String]
    public var ports: [Port]
    public var location: Location
    public var resolution: Resolution
    public var endpoints: [Endpoint]
    /// `workloadSelector.labels`; nil when there is no `workloadSelector` at all.
    public var workloadSelector: [String: String]?
    public var exportTo: [String]
    public var subjectAltNames: [String]

    public init(
        metadata: ResourceMetadata,
        hosts: [String],
        addresses: [String] = [],
        ports: [Port] = [],
        location: Location = .meshExternal,
        resolution: Resolution = .none,
        endpoints: [Endpoint] = [],
        workloadSelector: [String: String]? = nil,
        exportTo: [String] = [],
        subjectAltNames: [String] = []
    ) {
        self.metadata = metadata
        self.hosts = hosts
        self.addresses = addresses
        self.ports = ports
        self.location = location
        self.resolution = resolution
        self.endpoints = endpoints
        self.workloadSelector = workloadSelector
        self.exportTo = exportTo
        self.subjectAltNames = subjectAltNames
    }

    /// Istio's `Port` message, shared with Gateway (`ServicePort` in the ServiceEntry API).
    public typealias Port = IstioPort

    /// `WorkloadEntry`, as used inline in `endpoints`.
    public struct Endpoint: Sendable, Hashable {
        public var address: String = ""
        /// Port name to port number, overriding the service port for this endpoint.
        public var ports: [String: Int] = [:]
        public var labels: [String: String] = [:]
        public var network: String = ""
        public var locality: String = ""
        public var weight: Int = 0
        public var serviceAccount: String = ""

        public init(address: String, ports: [String: Int] = [:]) {
            self.address = address
            self.ports = ports
        }
    }

    public enum Location: String, Sendable, Hashable, CaseIterable {
        case meshExternal = "MESH_EXTERNAL"
        case meshInternal = "MESH_INTERNAL"
    }

    public enum Resolution: String, Sendable, Hashable, CaseIterable {
        case none = "NONE"
        case `static` = "STATIC"
        case dns = "DNS"
        case dnsRoundRobin = "DNS_ROUND_ROBIN"
        case dynamicDNS = "DYNAMIC_DNS"
    }
}
