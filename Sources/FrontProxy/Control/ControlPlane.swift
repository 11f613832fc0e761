import MeshConfig

/// The configuration side of a running proxy: applies and deletes Istio resources the way `kubectl` does,
/// compiles the result and swaps the runtime's plan. A change the runtime cannot serve (a port that will not
/// bind) is rolled back, so an apply that fails changes nothing already applied.
///
/// Every document of one change is created at the same second, read from `now` (the proxy's clock), as one
/// `kubectl apply` stamps its documents; Istio orders resources of the same second by name, then namespace.
public actor ControlPlane {
    private var store = ConfigStore()
    private let runtime: ProxyRuntime
    /// Resources that came from the `serve -f` files, so a reload can remove what the files no longer hold.
    private var fromFiles: Set<ResourceID> = []
    /// The gateway proxy's namespace and the cluster domain the configuration is compiled for.
    public nonisolated let compileOptions: CompileOptions
    /// The time a change stamps the resources it creates with.
    private let now: @Sendable () -> CreationTimestamp

    public init(
        runtime: ProxyRuntime,
        compileOptions: CompileOptions = CompileOptions(),
        now: @escaping @Sendable () -> CreationTimestamp = { .unclocked }
    ) {
        self.runtime = runtime
        self.compileOptions = compileOptions
        self.now = now
    }

    /// The outcome of a change: the kubectl-style report and, if the runtime refused the new plan, why.
    public struct ChangeOutcome: Sendable {
        public var lines: [String]
        /// Rejected documents, and a plan the runtime refused (then nothing of the change was applied).
        public var rejections: [String]
        /// Deletes of resources that do not exist (kubectl's NotFound).
        public var notFound: [DeleteResult] = []
        /// Warnings, and one line counting the documents of kinds FrontProxy does not read.
        public var warnings: [String]
        /// The documents of kinds FrontProxy does not read, for a listing (`-v`).
        public var skipped: [SkippedDocument] = []

        /// Everything that went wrong, as kubectl prints it.
        public var errors: [String] { rejections + notFound.map(\.summary) }
        public var succeeded: Bool { errors.isEmpty }
    }

    // MARK: - Changes

    /// `kubectl apply`: each valid document creates or replaces its resource; invalid ones change nothing.
    /// `namespace` is kubectl's `-n`: the namespace of documents that give none.
    public func apply(yaml: String, file: String, namespace: String? = nil) async -> ChangeOutcome {
        await apply(ConfigLoader.load(yaml: yaml, file: file, options: ConfigLoader.Options(namespace: namespace)))
    }

    /// `kubectl apply -f FOLDER`: the texts of several files as one change, every document created in the
    /// same second, the kinds not read counted once.
    public func apply(_ texts: [(yaml: String, file: String)], namespace: String? = nil) async -> ChangeOutcome {
        let options = ConfigLoader.Options(namespace: namespace)
        return await apply(texts.flatMap { ConfigLoader.load(yaml: $0.yaml, file: $0.file, options: options) })
    }

    /// Applies documents already loaded (the harness's simulated cluster loads its EndpointSlices with its own
    /// options).
    public func apply(_ documents: [LoadedDocument]) async -> ChangeOutcome {
        var candidate = store
        let report = candidate.apply(documents, at: now())
        return await commit(candidate, report: report)
    }

    /// `kubectl delete KIND NAME -n NS`.
    public func delete(_ id: ResourceID) async -> ChangeOutcome {
        var candidate = store
        let result = DeleteResult(id: id, deleted: candidate.delete(id))
        return await commit(candidate, deletes: [result])
    }

    /// `kubectl delete -f FILE`: deletes every resource the YAML names.
    public func delete(yaml: String, file: String, namespace: String? = nil) async -> ChangeOutcome {
        var candidate = store
        let results = candidate.delete(yaml: yaml, file: file, namespace: namespace)
        return await commit(candidate, deletes: results)
    }

    /// Re-reads the `serve -f` inputs: applies them, and deletes resources an earlier load of the files
    /// created that they no longer contain. Resources applied through the admin API are left alone.
    public func reload(_ inputs: [ConfigFiles.Input]) async -> ChangeOutcome {
        var candidate = store
        var results: [ApplyResult] = []
        var readErrors: [String] = []
        var seen: Set<ResourceID> = []
        let time = now()
        for input in inputs {
            switch input.contents {
            case .success(let text):
                let report = candidate.apply(yaml: text, file: input.file, at: time)
                results += report.results
                seen.formUnion(report.results.compactMap { $0.action == .rejected ? nil : $0.id })
            case .failure(let error):
                readErrors.append(error.description)
            }
        }
        guard readErrors.isEmpty, !results.contains(where: { $0.action == .rejected }) else {
            // A broken file must not take the whole configuration down: change nothing.
            let report = ApplyReport(results: results)
            return ChangeOutcome(
                lines: [],
                rejections: readErrors + report.diagnostics.filter(\.isError).map(\.description),
                warnings: []
            )
        }
        let pruned = fromFiles.subtracting(seen).sorted().map { DeleteResult(id: $0, deleted: candidate.delete($0)) }
        let outcome = await commit(candidate, report: ApplyReport(results: results), deletes: pruned)
        if outcome.succeeded { fromFiles = seen }
        return outcome
    }

    private func commit(
        _ candidate: ConfigStore,
        report: ApplyReport = ApplyReport(results: []),
        deletes: [DeleteResult] = []
    ) async -> ChangeOutcome {
        let lines =
            report.results.filter { $0.action != .rejected && $0.action != .skipped }.map(\.summary)
            + deletes.filter(\.deleted).map(\.summary)
        let rejections = report.diagnostics.filter(\.isError).map(\.description)
        let notFound = deletes.filter { !$0.deleted }
        var warnings = report.diagnostics.filter { !$0.isError }.map(\.description)
        if let summary = SkippedDocument.summary(report.skipped) { warnings.append(summary) }
        if candidate.generation != store.generation {
            let plan = RouteCompiler.compile(candidate.snapshot, options: compileOptions)
            do {
                try await runtime.apply(plan)
            } catch {
                return ChangeOutcome(
                    lines: [],
                    rejections: rejections + ["\(error)"],
                    notFound: notFound,
                    warnings: warnings,
                    skipped: report.skipped
                )
            }
            warnings += plan.warnings.map(\.description)
            store = candidate
        }
        return ChangeOutcome(
            lines: lines,
            rejections: rejections,
            notFound: notFound,
            warnings: warnings,
            skipped: report.skipped
        )
    }

    // MARK: - Reading

    /// Applied resources of `kind` (all kinds when nil), optionally one `name`, in `namespace` (all when nil).
    public func resources(kind: ResourceKind?, name: String?, namespace: String?) -> [StoredResource] {
        store.list(kind).filter { stored in
            (name == nil || stored.id.name == name) && (namespace == nil || stored.id.namespace == namespace)
        }
    }

    public var generation: Int { store.generation }
}

extension Diagnostic {
    var isError: Bool { severity == .error }
}
