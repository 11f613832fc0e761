import ArgumentParser
import MeshConfig

/// `frontproxy route -f PATH... --port N [--sni NAME]`
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Explain where a connection to a gateway port with a given SNI goes, or why it goes nowhere.",
        discussion: """
            Prints the listener, the filter chain (and the VirtualService rule it came from), the cluster and \
            how its endpoints resolve; or why the connection is refused (no listener) or closed (NR \
            filter_chain_not_found, NC no cluster).
            Exit codes: 0 routed, 2 not routed, 1 the configuration has errors or cannot be read.
            """
    )

    @Option(name: [.short, .customLong("filename")], help: "A YAML file or a directory (searched for .yaml/.yml).")
    var files: [String]

    @Option(help: "The gateway server port the connection arrives on.")
    var port: Int

    @Option(help: "The SNI the client sends; omit for a connection without SNI.")
    var sni: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one -f PATH") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be in 1...65535") }
    }

    func run() throws {
        let outcome = RouteCommandLogic.run(paths: files, port: port, serverName: sni)
        print(outcome.output, terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
