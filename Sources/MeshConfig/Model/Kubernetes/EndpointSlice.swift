/// Kubernetes `EndpointSlice` (`discovery.k8s.io/v1`): the addresses behind a Service, as Istio's registry
/// reads them (pilot/pkg/serviceregistry/kube/controller/endpointslice.go).
public struct EndpointSlice: Sendable, Hashable {
    public var metadata: ResourceMetadata
    /// `IPv4`, `IPv6` or `FQDN` (Istio ignores FQDN slices).
    public var addressType: String
    public var endpoints: [Endpoint]
    public var ports: [Port]

    public init(metadata: ResourceMetadata, addressType: String, endpoints: [Endpoint] = [], ports: [Port] = []) {
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    /// The label naming the Service a slice belongs to.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    /// Slices the multi-cluster services API manages; Istio's Kubernetes registry skips them.
    public static let multiClusterServiceNameLabel = "multicluster.kubernetes.io/service-name"

    /// The Service this slice serves (`kubernetes.io/service-name`), nil without the label.
    public var serviceName: String? {
        metadata.labels[Self.serviceNameLabel].flatMap { $0.isEmpty ? nil : $0 }
    }

    public struct Endpoint: Sendable, Hashable {
        public var addresses: [String]
        public var conditions: Conditions
        public var hostname: String?
        public var nodeName: String?
        public var zone: String?
        /// `targetRef.kind` and `targetRef.name` (a Pod, usually), as written.
        public var targetRef: TargetRef?

        public init(
            addresses: [String],
            conditions: Conditions = Conditions(),
            hostname: String? = nil,
            nodeName: String? = nil,
            zone: String? = nil,
            targetRef: TargetRef? = nil
        ) {
            self.addresses = addresses
            self.conditions = conditions
            self.hostname = hostname
            self.nodeName = nodeName
            self.zone = zone
            self.targetRef = targetRef
        }
    }

    /// `EndpointConditions`: each nil when the writer did not say (`ready` nil counts as ready).
    public struct Conditions: Sendable, Hashable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?

        public init(ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil) {
            self.ready = ready
            self.serving = serving
            self.terminating = terminating
        }

        /// Istio's `endpointHealthStatus`: healthy when `ready` is unset or true. Envoy sends new connections
        /// only to healthy endpoints (a draining or terminating one keeps its connections, gets no new ones).
        public var isHealthy: Bool { ready ?? true }
    }

    public struct TargetRef: Sendable, Hashable {
        public var kind: String
        public var namespace: String
        public var name: String

        public init(kind: String, namespace: String = "", name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    /// `EndpointPort`; `name` and `protocol` are defaulted to `""` and `TCP` by the API server.
    public struct Port: Sendable, Hashable {
        public var name: String?
        public var `protocol`: String?
        public var port: Int?
        public var appProtocol: String?

        public init(name: String? = nil, protocol: String? = nil, port: Int? = nil, appProtocol: String? = nil) {
            self.name = name
            self.protocol = `protocol`
            self.port = port
            self.appProtocol = appProtocol
        }
    }
}
