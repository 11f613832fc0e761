import ArgumentParser
import MeshConfig

/// `frontproxy route -f PATH... --port N [--sni NAME]`, or `--host H [--path P] [--method M] [-H 'k: v']...`
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Explain where a connection (by SNI) or an HTTP request (by Host, path, method and headers) goes.",
        discussion: """
            For a TLS or TCP port (--sni): the listener, the filter chain (and the VirtualService rule it came \
            from), the cluster and how its endpoints resolve; or why the connection is refused (no listener) or \
            closed (NR filter_chain_not_found, NC no cluster).
            For an HTTP port (--host): the listener, the virtual host and the VirtualService and server hosts \
            that made it, the route (VirtualService ns/name http[i].match[j]) and its action: the cluster with \
            rewrites, header changes, timeout, retries, mirrors and faults; a redirect (code and Location); a \
            direct response; or 404 NR route_not_found, 503 NC cluster_not_found.
            Exit codes: 0 routed (a redirect or direct response too), 2 not routed, 1 the configuration has \
            errors or cannot be read.
            """
    )

    @Option(name: [.short, .customLong("filename")], help: "A YAML file or a directory (searched for .yaml/.yml).")
    var files: [String]

    @Option(help: "The gateway server port the connection arrives on.")
    var port: Int

    @Option(help: "The SNI the client sends; omit for a connection without SNI.")
    var sni: String?

    @Option(help: "An HTTP request's Host header (explains an HTTP request instead of a connection).")
    var host: String?

    @Option(help: "The request's path, with its query string.")
    var path: String = "/"

    @Option(help: "The request's method.")
    var method: String = "GET"

    @Option(name: [.customShort("H"), .customLong("header")], help: "A request header, 'name: value' (repeatable).")
    var headers: [String] = []

    @OptionGroup var mesh: MeshOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one -f PATH") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be in 1...65535") }
        if host != nil && sni != nil { throw ValidationError("give --sni for a connection or --host for a request") }
        if host == nil && (path != "/" || method != "GET" || !headers.isEmpty) {
            throw ValidationError("--path, --method and -H describe an HTTP request: give --host too")
        }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        for header in headers where header.firstIndex(of: ":") == nil || header.hasPrefix(":") {
            throw ValidationError("-H \(header): expected 'name: value'")
        }
    }

    func run() throws {
        if let host {
            let fields = headers.map { header -> (name: String, value: String) in
                let parts = header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? parts[1].drop { $0 == " " || $0 == "\t" } : ""
                return (String(parts[0]), String(value))
            }
            let request = HTTPRouteRequest(method: method, authority: host, path: path, headers: fields)
            let outcome = RouteCommandLogic.run(
                paths: files,
                port: port,
                request: request,
                options: mesh.compileOptions
            )
            print(outcome.output, terminator: "")
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
            return
        }
        let outcome = RouteCommandLogic.run(paths: files, port: port, serverName: sni, options: mesh.compileOptions)
        print(outcome.output, terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
