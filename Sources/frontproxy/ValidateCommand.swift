import ArgumentParser
import MeshConfig

/// `frontproxy validate -f PATH...`
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Decode and validate Gateway, VirtualService and ServiceEntry YAML with Istio's rules.",
        discussion: """
            Prints one line per resource, warnings as "Warning: ..." and errors with file, line, document, \
            resource and field path. Exits 0 when every document is valid (warnings allowed), 1 on any error.
            """
    )

    @Option(name: [.short, .customLong("filename")], help: "A YAML file or a directory (searched for .yaml/.yml).")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one -f PATH") }
    }

    func run() throws {
        let outcome = ValidateCommandLogic.run(paths: files)
        print(outcome.output, terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
