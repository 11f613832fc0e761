/// An applied resource with its place in the order it was applied and its creation time (by which Istio
/// settles conflicts).
public struct StoredResource: Sendable, Hashable {
    public var document: ResourceDocument
    /// Position in the order resources were first applied; replacing a resource keeps it. Only listings
    /// (`get`) use it: Istio's order is `creationTimestamp`, then name, then namespace.
    public var creationIndex: Int
    /// `metadata.creationTimestamp` as written, else the time the resource was first applied (kept when it
    /// is replaced, as the API server keeps it).
    public var creationTimestamp: CreationTimestamp

    public init(document: ResourceDocument, creationIndex: Int, creationTimestamp: CreationTimestamp) {
        self.document = document
        self.creationIndex = creationIndex
        self.creationTimestamp = creationTimestamp
    }

    public var id: ResourceID { document.id }
    public var resource: Resource { document.resource }

    /// Istio's `sortConfigByCreationTime`: earlier `creationTimestamp` first, then name, then namespace.
    public static func precedesInIstioOrder(_ lhs: StoredResource, _ rhs: StoredResource) -> Bool {
        (lhs.creationTimestamp, lhs.id.name, lhs.id.namespace) < (rhs.creationTimestamp, rhs.id.name, rhs.id.namespace)
    }
}

/// An immutable view of the applied configuration at one generation.
public struct ConfigSnapshot: Sendable, Hashable {
    public let generation: Int
    /// Every applied resource, in the order they were first applied.
    public let resources: [StoredResource]
    /// The same resources in Istio's order (`creationTimestamp`, name, namespace), sorted once per snapshot.
    public let inIstioOrder: [StoredResource]

    public init(generation: Int, resources: [StoredResource]) {
        self.generation = generation
        self.resources = resources.sorted { $0.creationIndex < $1.creationIndex }
        self.inIstioOrder = resources.sorted(by: StoredResource.precedesInIstioOrder)
    }

    /// A snapshot of resources created in the order given, one second apart (for tests and one-shot tools).
    public init(resources: [Resource], generation: Int = 0) {
        self.init(
            generation: generation,
            resources: resources.enumerated().map { index, resource in
                StoredResource(
                    document: ResourceDocument(
                        resource: resource,
                        apiVersion: resource.kind.apiVersion(resource.kind.versions.last ?? "v1"),
                        yaml: ""
                    ),
                    creationIndex: index,
                    creationTimestamp: resource.metadata.creationTimestamp
                        ?? CreationTimestamp.unclocked.adding(seconds: Int64(index))
                )
            }
        )
    }

    /// When a resource was created, for warnings that say which of two won.
    public func creationTimestamp(of id: ResourceID) -> CreationTimestamp? {
        resources.first { $0.id == id }?.creationTimestamp
    }

    /// Gateways in Istio's order.
    public var gateways: [Gateway] {
        inIstioOrder.compactMap { stored in
            if case .gateway(let gateway) = stored.resource { return gateway }
            return nil
        }
    }

    /// VirtualServices in Istio's order.
    public var virtualServices: [VirtualService] {
        inIstioOrder.compactMap { stored in
            if case .virtualService(let virtualService) = stored.resource { return virtualService }
            return nil
        }
    }

    /// ServiceEntries with their creation times, in Istio's order.
    public var serviceEntries: [(ServiceEntry, created: CreationTimestamp)] {
        inIstioOrder.compactMap { stored in
            if case .serviceEntry(let serviceEntry) = stored.resource {
                return (serviceEntry, stored.creationTimestamp)
            }
            return nil
        }
    }

    /// Kubernetes Services with their creation times, in Istio's order.
    public var services: [(KubernetesService, created: CreationTimestamp)] {
        inIstioOrder.compactMap { stored in
            if case .service(let service) = stored.resource { return (service, stored.creationTimestamp) }
            return nil
        }
    }

    /// EndpointSlices in Istio's order.
    public var endpointSlices: [EndpointSlice] {
        inIstioOrder.compactMap { stored in
            if case .endpointSlice(let slice) = stored.resource { return slice }
            return nil
        }
    }
}
