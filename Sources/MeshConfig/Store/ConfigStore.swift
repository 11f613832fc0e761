/// The applied configuration: resources by kind + namespace + name, with their creation times and a generation
/// counter.
///
/// A value type: copies are independent, so a runtime can keep it behind its own lock or actor and hand out
/// `snapshot`s freely. Every change increments `generation`; an apply that changes nothing does not.
///
/// Every document of one apply gets the same `creationTimestamp` (the `at` time, at second resolution, unless
/// the document gives its own), as `kubectl apply` of one file stamps them all in the same second; then Istio's
/// order between them is by name, then namespace.
public struct ConfigStore: Sendable {
    public private(set) var generation = 0
    private var entries: [ResourceID: StoredResource] = [:]
    private var nextCreationIndex = 0

    public init() {}

    /// Creates or replaces one valid resource, created `at` unless it says when. Replacing keeps its original
    /// creation time and place, as the API server keeps `creationTimestamp`.
    @discardableResult
    public mutating func apply(
        _ document: ResourceDocument,
        at now: CreationTimestamp = .unclocked
    ) -> ApplyResult.Action {
        if let existing = entries[document.id] {
            if Self.sameContent(existing.resource, document.resource) { return .unchanged }
            entries[document.id] = StoredResource(
                document: document,
                creationIndex: existing.creationIndex,
                creationTimestamp: existing.creationTimestamp
            )
            generation += 1
            return .configured
        }
        entries[document.id] = StoredResource(
            document: document,
            creationIndex: nextCreationIndex,
            creationTimestamp: document.resource.metadata.creationTimestamp ?? now
        )
        nextCreationIndex += 1
        generation += 1
        return .created
    }

    /// Equal apart from a written `creationTimestamp`, which an update cannot change.
    private static func sameContent(_ lhs: Resource, _ rhs: Resource) -> Bool {
        var lhs = lhs
        var rhs = rhs
        lhs.metadata.creationTimestamp = nil
        rhs.metadata.creationTimestamp = nil
        return lhs == rhs
    }

    /// Applies each accepted document on its own, as `kubectl apply` does; rejected documents change nothing.
    /// All are created `at` the same time.
    public mutating func apply(_ documents: [LoadedDocument], at now: CreationTimestamp = .unclocked) -> ApplyReport {
        report(documents) { document in apply(document, at: now) }
    }

    /// One result per document: `accepted` documents get `action(document)`, the others their outcome.
    private func report(
        _ documents: [LoadedDocument],
        accepted action: (ResourceDocument) -> ApplyResult.Action
    ) -> ApplyReport {
        ApplyReport(
            results: documents.map { loaded in
                let result: ApplyResult.Action
                switch loaded.outcome {
                case .accepted(let document): result = action(document)
                case .rejected: result = .rejected
                case .skipped: result = .skipped
                }
                return ApplyResult(
                    origin: loaded.origin,
                    id: loaded.id,
                    action: result,
                    diagnostics: loaded.diagnostics,
                    skipped: loaded.skipped
                )
            }
        )
    }

    /// Loads and applies YAML text document by document.
    public mutating func apply(yaml: String, file: String, at now: CreationTimestamp = .unclocked) -> ApplyReport {
        apply(ConfigLoader.load(yaml: yaml, file: file), at: now)
    }

    /// Applies all documents or, if any is rejected, none of them.
    public mutating func applyAtomically(
        _ documents: [LoadedDocument],
        at now: CreationTimestamp = .unclocked
    ) -> ApplyReport {
        guard documents.contains(where: \.isRejected) else { return apply(documents, at: now) }
        return report(documents) { _ in .notApplied }
    }

    public mutating func applyAtomically(
        yaml: String,
        file: String,
        at now: CreationTimestamp = .unclocked
    ) -> ApplyReport {
        applyAtomically(ConfigLoader.load(yaml: yaml, file: file), at: now)
    }

    /// Deletes one resource; false when there was none.
    @discardableResult
    public mutating func delete(_ id: ResourceID) -> Bool {
        guard entries.removeValue(forKey: id) != nil else { return false }
        generation += 1
        return true
    }

    /// Deletes the resources a YAML text names (as `kubectl delete -f`); the documents need not be valid, only
    /// name their resource.
    public mutating func delete(yaml: String, file: String, namespace: String? = nil) -> [DeleteResult] {
        ConfigLoader.load(yaml: yaml, file: file, options: .init(namespace: namespace)).compactMap(\.id).map { id in
            DeleteResult(id: id, deleted: delete(id))
        }
    }

    public func get(_ id: ResourceID) -> StoredResource? { entries[id] }

    /// The applied resources of one kind (or all), in creation order.
    public func list(_ kind: ResourceKind? = nil) -> [StoredResource] {
        entries.values.filter { kind == nil || $0.id.kind == kind }.sorted { $0.creationIndex < $1.creationIndex }
    }

    public var snapshot: ConfigSnapshot {
        ConfigSnapshot(generation: generation, resources: Array(entries.values))
    }
}
