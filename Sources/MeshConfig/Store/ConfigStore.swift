/// The applied configuration: resources by kind + namespace + name, in creation order, with a generation counter.
///
/// A value type: copies are independent, so a runtime can keep it behind its own lock or actor and hand out
/// `snapshot`s freely. Every change increments `generation`; an apply that changes nothing does not.
public struct ConfigStore: Sendable {
    public private(set) var generation = 0
    private var entries: [ResourceID: StoredResource] = [:]
    private var nextCreationIndex = 0

    public init() {}

    /// Creates or replaces one valid resource. Replacing keeps its original place in creation order.
    @discardableResult
    public mutating func apply(_ document: ResourceDocument) -> ApplyResult.Action {
        if let existing = entries[document.id] {
            if existing.resource == document.resource { return .unchanged }
            entries[document.id] = StoredResource(document: document, creationIndex: existing.creationIndex)
            generation += 1
            return .configured
        }
        entries[document.id] = StoredResource(document: document, creationIndex: nextCreationIndex)
        nextCreationIndex += 1
        generation += 1
        return .created
    }

    /// Applies each accepted document on its own, as `kubectl apply` does; rejected documents change nothing.
    public mutating func apply(_ documents: [LoadedDocument]) -> ApplyReport {
        report(documents) { document in apply(document) }
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
                    diagnostics: loaded.diagnostics
                )
            }
        )
    }

    /// Loads and applies YAML text document by document.
    public mutating func apply(yaml: String, file: String) -> ApplyReport {
        apply(ConfigLoader.load(yaml: yaml, file: file))
    }

    /// Applies all documents or, if any is rejected, none of them.
    public mutating func applyAtomically(_ documents: [LoadedDocument]) -> ApplyReport {
        guard documents.contains(where: \.isRejected) else { return apply(documents) }
        return report(documents) { _ in .notApplied }
    }

    public mutating func applyAtomically(yaml: String, file: String) -> ApplyReport {
        applyAtomically(ConfigLoader.load(yaml: yaml, file: file))
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
    public mutating func delete(yaml: String, file: String) -> [DeleteResult] {
        ConfigLoader.load(yaml: yaml, file: file).compactMap(\.id).map { id in
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
