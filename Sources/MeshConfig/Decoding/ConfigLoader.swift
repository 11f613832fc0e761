/// One document (or `kind: List` item) of a file after decoding, Istio's validation and FrontProxy's checks.
public struct LoadedDocument: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Valid: the resource may be applied. Warnings, if any, are in `diagnostics`.
        case accepted(ResourceDocument)
        /// Invalid: nothing of it may be applied. The errors are in `diagnostics`.
        case rejected
        /// A kind FrontProxy does not read (a Deployment, a DestinationRule): left out; `skipped` says which.
        case skipped
    }

    public var origin: DocumentOrigin
    /// The resource the document names, when it got that far.
    public var id: ResourceID?
    public var outcome: Outcome
    public var diagnostics: [Diagnostic]
    /// The decoded resource even when validation rejected it (for reports and tools; never applied then).
    public var decoded: ResourceDocument? = nil
    /// For a skipped document: its kind, name and place, for the one-line summary.
    public var skipped: SkippedDocument? = nil

    public var document: ResourceDocument? {
        if case .accepted(let document) = outcome { return document }
        return nil
    }

    public var isRejected: Bool { outcome == .rejected }
}

/// Turns YAML text into loaded documents: decode, then validation (Istio's rules for Istio's kinds, the
/// Kubernetes API server's for Services and EndpointSlices), then FrontProxy's own checks.
public enum ConfigLoader {
    /// What validation may let through that a real cluster would not.
    public struct Options: Sendable, Hashable {
        /// Loopback addresses in EndpointSlices, which the API server refuses ("may not be in the loopback
        /// range"). Only the harness sets it, for the EndpointSlices its simulated cluster writes: its pods
        /// are loopback addresses, since scenarios never send traffic anywhere else.
        public var allowsLoopbackEndpoints = false
        /// `kubectl -n NAMESPACE`: the namespace of documents that give none; a document naming another is
        /// refused, as kubectl refuses it. nil: documents without a namespace land in `default`.
        public var namespace: String?

        public init(allowsLoopbackEndpoints: Bool = false, namespace: String? = nil) {
            self.allowsLoopbackEndpoints = allowsLoopbackEndpoints
            self.namespace = namespace
        }
    }

    /// Larger inputs are refused outright, so a stray huge file cannot exhaust memory.
    public static let maximumInputBytes = 8 << 20

    /// Loads every document of `yaml`; `file` names it in diagnostics (`-` for standard input).
    public static func load(yaml: String, file: String, options: Options = Options()) -> [LoadedDocument] {
        guard yaml.utf8.count <= maximumInputBytes else {
            let origin = DocumentOrigin(file: file, document: 1)
            let message = "input too large: \(yaml.utf8.count) bytes (at most \(maximumInputBytes))"
            return [
                LoadedDocument(
                    origin: origin,
                    id: nil,
                    outcome: .rejected,
                    diagnostics: [Diagnostic(.error, message, origin: origin)]
                )
            ]
        }
        return DocumentDecoder.decode(yaml: yaml, file: file, namespace: options.namespace).map { origin, decoded in
            switch decoded {
            case .resource(var document, let warnings):
                document.origin = origin
                let validation =
                    document.resource.kind.isIstioKind
                    ? IstioValidation.validate(document.resource)
                    : KubernetesValidation.validate(document.resource, options: options)
                let checks = warnings + validation + FrontProxySupport.check(document.resource)
                let diagnostics = checks.map { $0.located(origin: origin, resource: document.id) }
                return LoadedDocument(
                    origin: origin,
                    id: document.id,
                    outcome: diagnostics.hasErrors ? .rejected : .accepted(document),
                    diagnostics: diagnostics,
                    decoded: document
                )
            case .rejected(let id, let diagnostics):
                return LoadedDocument(
                    origin: origin,
                    id: id,
                    outcome: .rejected,
                    diagnostics: diagnostics.map { $0.located(origin: origin, resource: id) }
                )
            case .skipped(var skipped):
                skipped.origin = origin
                return LoadedDocument(origin: origin, id: nil, outcome: .skipped, diagnostics: [], skipped: skipped)
            }
        }
    }
}
