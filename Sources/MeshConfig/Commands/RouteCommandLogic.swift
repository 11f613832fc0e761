/// `frontproxy route -f PATH... --port N [--sni NAME]`: explain the routing decision for one connection; with
/// `--host` (`--path`, `--method`, `-H`), for one HTTP request.
///
/// Exit codes: 0 routed (for HTTP also a redirect or a direct response); 2 not routed (no listener, `NR`,
/// `NC`, a fault abort); 1 the configuration has errors or could not be read (no decision is printed then, since
/// it would be about a different configuration).
public enum RouteCommandLogic {
    public static let routedExitCode: Int32 = 0
    public static let configurationErrorExitCode: Int32 = 1
    public static let notRoutedExitCode: Int32 = 2

    public static func run(
        paths: [String],
        port: Int,
        serverName: String?,
        options: CompileOptions = CompileOptions()
    ) -> CommandOutcome {
        run(inputs: ConfigFiles.read(paths), port: port, serverName: serverName, options: options)
    }

    public static func run(
        inputs: [ConfigFiles.Input],
        port: Int,
        serverName: String?,
        options: CompileOptions = CompileOptions()
    ) -> CommandOutcome {
        let plan: RoutePlan
        switch compile(inputs, options: options) {
        case .success(let compiled): plan = compiled
        case .failure(let failure): return failure.outcome
        }
        let name = serverName.flatMap { $0.isEmpty ? nil : $0 }
        let decision = plan.explain(port: port, serverName: name)
        var lines = plan.warnings.map(\.reportLine)
        lines += describe(decision, plan: plan, port: port, serverName: name)
        return CommandOutcome(
            output: lines.joined(separator: "\n") + "\n",
            exitCode: decision.isRouted ? routedExitCode : notRoutedExitCode
        )
    }

    public static func run(
        paths: [String],
        port: Int,
        request: HTTPRouteRequest,
        options: CompileOptions = CompileOptions()
    ) -> CommandOutcome {
        run(inputs: ConfigFiles.read(paths), port: port, request: request, options: options)
    }

    public static func run(
        inputs: [ConfigFiles.Input],
        port: Int,
        request: HTTPRouteRequest,
        options: CompileOptions = CompileOptions()
    ) -> CommandOutcome {
        let plan: RoutePlan
        switch compile(inputs, options: options) {
        case .success(let compiled): plan = compiled
        case .failure(let failure): return failure.outcome
        }
        let decision = plan.explain(port: port, request: request)
        let lines = plan.warnings.map(\.reportLine) + HTTPDecisionReport.lines(decision, plan: plan)
        return CommandOutcome(
            output: lines.joined(separator: "\n") + "\n",
            exitCode: decision.isRouted ? routedExitCode : notRoutedExitCode
        )
    }

    private static func compile(
        _ inputs: [ConfigFiles.Input],
        options: CompileOptions
    ) -> Result<RoutePlan, CommandOutcomeFailure> {
        let loaded = LoadedInputs(inputs)
        guard !loaded.hasErrors else {
            let errors =
                loaded.readErrors
                + loaded.documents.flatMap(\.diagnostics).filter { $0.severity == .error }.map(\.reportLine)
            let lines = errors + ["not routed: the configuration has errors (fix them, or see `frontproxy validate`)"]
            return .failure(
                CommandOutcomeFailure(
                    outcome: CommandOutcome(
                        output: lines.joined(separator: "\n") + "\n",
                        exitCode: configurationErrorExitCode
                    )
                )
            )
        }
        return .success(RouteCompiler.compile(loaded.store.snapshot, options: options))
    }

    static func describe(_ decision: RouteDecision, plan: RoutePlan, port: Int, serverName: String?) -> [String] {
        let sni = serverName.map { "SNI \(quoted($0))" } ?? "no SNI"
        switch decision {
        case .noListener(_, let reason):
            return ["listener:  none on port \(port) (\(reason))", "not routed: connection refused"]
        case .noFilterChain(let listener):
            let names = plan.listener(port: port)?.chains.flatMap(\.serverNames) ?? []
            return [
                listenerLine(listener, plan: plan, port: port),
                "chain:     none matches \(sni) (server names: \(names.isEmpty ? "none" : names.joined(separator: ", ")))",
                "not routed: NR filter_chain_not_found: the connection is closed, nothing is forwarded",
            ]
        case .noCluster(let listener, let chain, let clusters):
            return [listenerLine(listener, plan: plan, port: port), chainLine(chain)]
                + clusters.map { "cluster:   \($0.name) does not exist (\($0.missingReason ?? "unknown"))" }
                + ["not routed: NC (no cluster): the connection is closed, nothing is forwarded"]
        case .routed(let listener, let chain, let clusters):
            var lines = [listenerLine(listener, plan: plan, port: port), chainLine(chain)]
            for routed in clusters {
                let weight = clusters.count > 1 ? " weight \(routed.weight)" : ""
                if let cluster = routed.cluster {
                    lines.append(
                        "cluster:   \(cluster.name)\(weight) (\(cluster.source), protocol \(cluster.protocol))"
                    )
                    lines.append("endpoints: \(cluster.endpointsDescription)")
                } else {
                    lines.append(
                        "cluster:   \(routed.name)\(weight) does not exist (\(routed.missingReason ?? "unknown")): NC"
                    )
                }
            }
            lines.append("routed: \(sni) on port \(port) -> \(clusters.map(\.name).joined(separator: ", "))")
            return lines
        }
    }

    private static func listenerLine(_ name: String, plan: RoutePlan, port: Int) -> String {
        guard let listener = plan.listener(port: port) else { return "listener:  \(name)" }
        let servers = listener.servers.map(\.description).joined(separator: ", ")
        return "listener:  \(name) (\(listener.protocol.rawValue), from \(servers))"
    }

    private static func chainLine(_ chain: FilterChainPlan) -> String {
        let names = chain.isCatchAll ? "catch-all" : "server names \(chain.serverNames.joined(separator: ", "))"
        return "chain:     \(chain.id) \(names) (\(chain.source))"
    }
}

/// A command's early answer (the configuration has errors), carried through a `Result`.
struct CommandOutcomeFailure: Error {
    var outcome: CommandOutcome
}
