/// An applied resource with its place in creation order (the order Istio uses to settle conflicts).
public struct StoredResource: Sendable, Hashable {
    public var document: ResourceDocument
    /// Position in creation order; replacing a resource keeps it.
    public var creationIndex: Int

    public init(document: ResourceDocument, creationIndex: Int) {
        self.document = document
        self.creationIndex = creationIndex
    }

    public var id: ResourceID { document.id }
    public var resource: Resource { document.resource }
}

/// An immutable view of the applied configuration at one generation.
public struct ConfigSnapshot: Sendable, Hashable {
    public let generation: Int
    /// Every applied resource, in creation order.
    public let resources: [StoredResource]

    public init(generation: Int, resources: [StoredResource]) {
        self.generation = generation
        self.resources = resources.sorted { $0.creationIndex < $1.creationIndex }
    }

    /// A snapshot of resources created in the order given (for tests and one-shot tools).
    public init(resources: [Resource], generation: Int = 0) {
        self.init(
            generation: generation,
            resources: resources.enumerated().map { index, resource in
                StoredResource(
                    document: ResourceDocument(resource: resource, apiVersion: "networking.istio.io/v1", yaml: ""),
                    creationIndex: index
                )
            }
        )
    }

    public var gateways: [(Gateway, creationIndex: Int)] {
        resources.compactMap { stored in
            if case .gateway(let gateway) = stored.resource { return (gateway, stored.creationIndex) }
            return nil
        }
    }

    public var virtualServices: [(VirtualService, creationIndex: Int)] {
        resources.compactMap { stored in
            if case .virtualService(let virtualService) = stored.resource {
                return (virtualService, stored.creationIndex)
            }
            return nil
        }
    }

    public var serviceEntries: [(ServiceEntry, creationIndex: Int)] {
        resources.compactMap { stored in
            if case .serviceEntry(let serviceEntry) = stored.resource { return (serviceEntry, stored.creationIndex) }
            return nil
        }
    }
}
