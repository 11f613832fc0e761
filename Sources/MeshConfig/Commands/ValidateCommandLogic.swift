/// `frontproxy validate -f PATH...`: decode and validate every document, report, exit 1 on any error.
///
/// Documents of kinds FrontProxy does not read (Deployments, ConfigMaps, DestinationRules, ...) are counted
/// in one line; `verbose` lists them one by one.
public enum ValidateCommandLogic {
    public static func run(
        paths: [String],
        options: CompileOptions = CompileOptions(),
        verbose: Bool = false
    )
        -> CommandOutcome
    {
        run(inputs: ConfigFiles.read(paths), options: options, verbose: verbose)
    }

    public static func run(
        inputs: [ConfigFiles.Input],
        options: CompileOptions = CompileOptions(),
        verbose: Bool = false
    ) -> CommandOutcome {
        let loaded = LoadedInputs(inputs)
        var lines = loaded.readErrors
        var valid = 0
        var invalid = 0
        var skipped = 0
        var warnings = 0
        var firstSeen: [ResourceID: DocumentOrigin] = [:]
        for document in loaded.documents {
            switch document.outcome {
            case .accepted(let accepted):
                valid += 1
                lines.append("\(accepted.id.kubectlName) valid (\(document.origin))")
                if let earlier = firstSeen[accepted.id] {
                    lines.append(
                        "Warning: \(document.origin): \(accepted.id) is also defined in \(earlier); the later one replaces it"
                    )
                    warnings += 1
                } else {
                    firstSeen[accepted.id] = document.origin
                }
            case .rejected:
                invalid += 1
                let name = document.id?.kubectlName ?? "document"
                lines.append("\(name) invalid (\(document.origin))")
            case .skipped:
                skipped += 1
            }
            for diagnostic in document.diagnostics {
                if diagnostic.severity == .warning { warnings += 1 }
                lines.append(diagnostic.reportLine)
            }
        }
        let planWarnings = RouteCompiler.compile(loaded.store.snapshot, options: options).warnings
        warnings += planWarnings.count
        lines += planWarnings.map(\.reportLine)
        let skippedDocuments = loaded.documents.compactMap(\.skipped)
        if verbose {
            lines += skippedDocuments.map(\.description)
        } else if let summary = SkippedDocument.summary(skippedDocuments) {
            lines.append(summary)
        }

        let failed = loaded.hasErrors
        let files = loaded.fileCount == 1 ? "1 file" : "\(loaded.fileCount) files"
        lines.append(
            "\(failed ? "FAILED" : "OK"): \(valid) valid, \(invalid) invalid, \(skipped) skipped, \(warnings) "
                + "warning\(warnings == 1 ? "" : "s") in \(files)"
                + (loaded.readErrors.isEmpty ? "" : ", \(loaded.readErrors.count) unreadable")
        )
        return CommandOutcome(output: lines.joined(separator: "\n") + "\n", exitCode: failed ? 1 : 0)
    }
}
