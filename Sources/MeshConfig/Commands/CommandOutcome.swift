/// What a command printed and how it exits; the executable only writes these out.
public struct CommandOutcome: Sendable, Hashable {
    public var output: String
    public var exitCode: Int32

    public init(output: String, exitCode: Int32) {
        self.output = output
        self.exitCode = exitCode
    }
}

/// The loaded documents of a set of inputs, and the problems reading them.
struct LoadedInputs {
    var documents: [LoadedDocument] = []
    var readErrors: [String] = []
    var fileCount = 0

    init(_ inputs: [ConfigFiles.Input]) {
        for input in inputs {
            switch input.contents {
            case .success(let text):
                fileCount += 1
                documents += ConfigLoader.load(yaml: text, file: input.file)
            case .failure(let error):
                readErrors.append("error: \(input.file): \(error)")
            }
        }
    }

    var hasErrors: Bool { !readErrors.isEmpty || documents.contains(where: \.isRejected) }

    /// The store after applying every accepted document in order, as `kubectl apply -f` of all inputs would.
    var store: ConfigStore {
        var store = ConfigStore()
        _ = store.apply(documents)
        return store
    }
}

extension Diagnostic {
    /// `error: ...` or `Warning: ...` (kubectl's spelling for admission warnings).
    var reportLine: String {
        severity == .error ? "error: \(description)" : "Warning: \(description)"
    }
}
