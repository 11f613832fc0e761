/// A Kubernetes `intstr.IntOrString`: a port number or a port name (`targetPort`).
public enum IntOrString: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .string(let value): value
        }
    }
}

/// Kubernetes `Service` (core `v1`), the fields Istio's service registry reads (`ConvertService` in
/// pilot/pkg/serviceregistry/kube/conversion.go). Values are as written; `defaulted` fills in what the API
/// server's defaulting does before validation (type ClusterIP, protocol TCP, targetPort = port).
public struct KubernetesService: Sendable, Hashable {
    public var metadata: ResourceMetadata
    /// `spec.type` as written (`""` means ClusterIP).
    public var type: String
    public var ports: [Port]
    /// `spec.selector`; nil when absent (then the EndpointSlices are managed by hand).
    public var selector: [String: String]?
    public var clusterIP: String
    public var clusterIPs: [String]
    public var externalName: String
    public var publishNotReadyAddresses: Bool

    public init(
        metadata: ResourceMetadata,
        type: String = "",
        ports: [Port] = [],
        selector: [String: String]? = nil,
        clusterIP: String = "",
        clusterIPs: [String] = [],
        externalName: String = "",
        publishNotReadyAddresses: Bool = false
    ) {
        self.metadata = metadata
        self.type = type
        self.ports = ports
        self.selector = selector
        self.clusterIP = clusterIP
        self.clusterIPs = clusterIPs
        self.externalName = externalName
        self.publishNotReadyAddresses = publishNotReadyAddresses
    }

    /// `ServicePort`.
    public struct Port: Sendable, Hashable {
        public var name: String
        /// `TCP`, `UDP` or `SCTP` (`""` means TCP).
        public var `protocol`: String
        public var appProtocol: String?
        public var port: Int
        public var targetPort: IntOrString?
        public var nodePort: Int

        public init(
            name: String = "",
            protocol: String = "",
            appProtocol: String? = nil,
            port: Int,
            targetPort: IntOrString? = nil,
            nodePort: Int = 0
        ) {
            self.name = name
            self.protocol = `protocol`
            self.appProtocol = appProtocol
            self.port = port
            self.targetPort = targetPort
            self.nodePort = nodePort
        }
    }

    public static let typeClusterIP = "ClusterIP"
    public static let typeNodePort = "NodePort"
    public static let typeLoadBalancer = "LoadBalancer"
    public static let typeExternalName = "ExternalName"

    /// The object after the API server's defaulting (`SetDefaults_Service`, and the registry strategy copying
    /// `clusterIP` into `clusterIPs`): what validation and the registry see.
    public var defaulted: KubernetesService {
        var service = self
        if service.type.isEmpty { service.type = Self.typeClusterIP }
        for index in service.ports.indices {
            if service.ports[index].protocol.isEmpty { service.ports[index].protocol = "TCP" }
            if service.ports[index].targetPort == nil || service.ports[index].targetPort == .int(0)
                || service.ports[index].targetPort == .string("")
            {
                service.ports[index].targetPort = .int(service.ports[index].port)
            }
        }
        if service.clusterIPs.isEmpty && !service.clusterIP.isEmpty { service.clusterIPs = [service.clusterIP] }
        return service
    }

    /// `clusterIP: None`: no virtual IP, clients get the endpoints themselves.
    public var isHeadless: Bool { clusterIP == "None" || clusterIPs == ["None"] }

    /// An `ExternalName` Service: a DNS alias of `externalName`, which Istio treats as an alias of the service
    /// with that host (`model.Alias`).
    public var isExternalName: Bool { type == Self.typeExternalName && !externalName.isEmpty }

    /// The `networking.istio.io/exportTo` annotation, split on commas and trimmed; empty when absent.
    public var exportTo: [String] {
        guard let value = metadata.annotations[Self.exportToAnnotation], !value.isEmpty else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: " ")
        }
    }

    public static let exportToAnnotation = "networking.istio.io/exportTo"
}
