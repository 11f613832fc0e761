import ArgumentParser
import MeshConfig

/// `frontproxy validate -f PATH...`
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Decode and validate Istio YAML with Istio's rules, Services and EndpointSlices with Kubernetes'.",
        discussion: """
            Prints one line per resource, warnings as "Warning: ..." and errors with file, line, document, \
            resource and field path. Documents of kinds FrontProxy does not read (Deployments, ConfigMaps, \
            Secrets, ...) are counted in one line; -v lists them. Exits 0 when every document is valid \
            (warnings allowed), 1 on any error.
            """
    )

    @Option(name: [.short, .customLong("filename")], help: "A YAML file or a directory (searched for .yaml/.yml).")
    var files: [String]

    @Flag(name: [.short, .long], help: "List each document of a kind FrontProxy does not read.")
    var verbose = false

    @OptionGroup var mesh: MeshOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one -f PATH") }
    }

    func run() throws {
        let outcome = ValidateCommandLogic.run(paths: files, options: mesh.compileOptions, verbose: verbose)
        print(outcome.output, terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
