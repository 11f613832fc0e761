/// What applying one document did, in `kubectl apply` terms.
public struct ApplyResult: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case created
        case configured
        case unchanged
        /// The document was invalid; nothing changed.
        case rejected
        /// A kind FrontProxy does not read; ignored (`skipped` says which).
        case skipped
        /// Valid, but not applied because another document of an atomic apply was rejected.
        case notApplied = "not applied"
    }

    public var origin: DocumentOrigin
    public var id: ResourceID?
    public var action: Action
    public var diagnostics: [Diagnostic]
    public var skipped: SkippedDocument? = nil

    /// `virtualservice.networking.istio.io/front-proxy created`, or for a rejected document its location.
    public var summary: String {
        guard let id else { return "\(origin) \(action.rawValue)" }
        return "\(id.kubectlName) \(action.rawValue)"
    }
}

/// The results of applying one input, document by document.
public struct ApplyReport: Sendable, Hashable {
    public var results: [ApplyResult]

    public init(results: [ApplyResult]) {
        self.results = results
    }

    public var hasErrors: Bool { results.contains { $0.action == .rejected } }
    public var diagnostics: [Diagnostic] { results.flatMap(\.diagnostics) }
    public var changed: Bool { results.contains { $0.action == .created || $0.action == .configured } }
    /// The documents of kinds FrontProxy does not read.
    public var skipped: [SkippedDocument] { results.compactMap(\.skipped) }
}

/// What deleting one resource did.
public struct DeleteResult: Sendable, Hashable {
    public var id: ResourceID
    public var deleted: Bool

    public init(id: ResourceID, deleted: Bool) {
        self.id = id
        self.deleted = deleted
    }

    /// `virtualservice.networking.istio.io "front-proxy" deleted`, or kubectl's NotFound text.
    public var summary: String {
        let name = id.kind.qualifiedName
        return deleted
            ? "\(name) \(quoted(id.name)) deleted"
            : "Error from server (NotFound): \(name) \(quoted(id.name)) not found in namespace \(id.namespace)"
    }
}
