/// One resource of a kind FrontProxy reads.
public enum Resource: Sendable, Hashable {
    case gateway(Gateway)
    case virtualService(VirtualService)
    case serviceEntry(ServiceEntry)
    case service(KubernetesService)
    case endpointSlice(EndpointSlice)

    public var kind: ResourceKind {
        switch self {
        case .gateway: .gateway
        case .virtualService: .virtualService
        case .serviceEntry: .serviceEntry
        case .service: .service
        case .endpointSlice: .endpointSlice
        }
    }

    public var metadata: ResourceMetadata {
        get {
            switch self {
            case .gateway(let gateway): gateway.metadata
            case .virtualService(let virtualService): virtualService.metadata
            case .serviceEntry(let serviceEntry): serviceEntry.metadata
            case .service(let service): service.metadata
            case .endpointSlice(let slice): slice.metadata
            }
        }
        set {
            switch self {
            case .gateway(var gateway):
                gateway.metadata = newValue
                self = .gateway(gateway)
            case .virtualService(var virtualService):
                virtualService.metadata = newValue
                self = .virtualService(virtualService)
            case .serviceEntry(var serviceEntry):
                serviceEntry.metadata = newValue
                self = .serviceEntry(serviceEntry)
            case .service(var service):
                service.metadata = newValue
                self = .service(service)
            case .endpointSlice(var slice):
                slice.metadata = newValue
                self = .endpointSlice(slice)
            }
        }
    }

    public var id: ResourceID {
        ResourceID(kind: kind, namespace: metadata.namespace, name: metadata.name)
    }
}

/// An accepted resource together with the YAML it was applied from, so `get` can print it back.
public struct ResourceDocument: Sendable, Hashable {
    public var resource: Resource
    /// `apiVersion` as written (`networking.istio.io/v1alpha3`, `v1`, ...).
    public var apiVersion: String
    /// The document as applied, re-emitted from its YAML node (comments are not kept).
    public var yaml: String
    public var origin: DocumentOrigin?

    public init(resource: Resource, apiVersion: String, yaml: String, origin: DocumentOrigin? = nil) {
        self.resource = resource
        self.apiVersion = apiVersion
        self.yaml = yaml
        self.origin = origin
    }

    public var id: ResourceID { resource.id }
}
