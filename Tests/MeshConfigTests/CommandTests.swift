import Foundation
import MeshConfig
import Testing

@Suite struct CommandTests {
    private func inputs(_ files: [(String, String)]) -> [ConfigFiles.Input] {
        files.map { ConfigFiles.Input(file: $0.0, contents: .success($0.1)) }
    }

    private var seedInputs: [ConfigFiles.Input] {
        inputs([
            ("gateway.yaml", Seed.gateway), ("virtualservice.yaml", Seed.virtualService),
            ("serviceentry.yaml", Seed.serviceEntry),
        ])
    }

    @Test func validateSeedDirectoryExitsZeroWithoutWarnings() {
        let outcome = ValidateCommandLogic.run(paths: [Seed.directory])
        #expect(outcome.exitCode == 0)
        #expect(!outcome.output.contains("Warning"))
        #expect(outcome.output.hasSuffix("OK: 3 valid, 0 invalid, 0 skipped, 0 warnings in 3 files\n"))
        #expect(outcome.output.contains("virtualservice.networking.istio.io/front-proxy valid"))
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func validateCountsTheKindsOfAMixedRepoInOneLineAndListsThemWhenVerbose() {
        let repo = Self.repositoryRoot + "/Fixtures/multi-namespace-repo"
        let outcome = ValidateCommandLogic.run(paths: [repo])
        #expect(outcome.exitCode == 0)
        #expect(!outcome.output.contains("Warning"))
        #expect(
            outcome.output.contains(
                "not read: 7 documents of kinds FrontProxy does not read: ConfigMap ×1, Deployment ×2, Kustomization "
                    + "×1, Namespace ×1, Secret ×1, ServiceAccount ×1 (-v lists them)\n"
            )
        )
        #expect(outcome.output.hasSuffix("OK: 9 valid, 0 invalid, 7 skipped, 0 warnings in 7 files\n"))
        let verbose = ValidateCommandLogic.run(paths: [repo], verbose: true)
        #expect(!verbose.output.contains("not read: 7 documents"))
        #expect(verbose.output.contains("team-b/rendered.yaml:4: document 1: ServiceAccount team-b/api (v1) not read"))
    }

    @Test func routeShowsTheQualifiedClusterOfAKubernetesService() {
        let outcome = RouteCommandLogic.run(
            inputs: inputs([
                ("gateway.yaml", IngressPassthrough.gateway), ("vs.yaml", IngressPassthrough.virtualService()),
                ("service.yaml", IngressPassthrough.service), ("slice.yaml", IngressPassthrough.readySlice),
            ]),
            port: 443,
            serverName: "nginx.example.com"
        )
        #expect(outcome.exitCode == RouteCommandLogic.routedExitCode)
        #expect(
            outcome.output.contains(
                "cluster:   outbound|443||my-nginx.default.svc.cluster.local (Service default/my-nginx, protocol "
                    + "UnsupportedProtocol)\nendpoints: EDS: the ready endpoints of Service default/my-nginx's "
                    + "EndpointSlices: 10.244.0.7:443\n"
            )
        )
    }

    @Test func routeJudgesExportToAgainstTheGatewayNamespaceItIsGiven() {
        let repo = Self.repositoryRoot + "/Fixtures/multi-namespace-repo"
        let inIstioSystem = RouteCommandLogic.run(paths: [repo], port: 443, serverName: "admin.example.com")
        #expect(inIstioSystem.exitCode == RouteCommandLogic.notRoutedExitCode)
        #expect(inIstioSystem.output.contains("is not exported to namespace istio-system, where the gateway runs"))
        let inTeamB = RouteCommandLogic.run(
            paths: [repo],
            port: 443,
            serverName: "admin.example.com",
            options: CompileOptions(gatewayNamespace: "team-b")
        )
        #expect(inTeamB.exitCode == RouteCommandLogic.routedExitCode)
    }

    @Test func validateExitsOneAndNamesTheFieldOnAnError() {
        let broken = Seed.virtualService.replacingOccurrences(of: "sni_hosts", with: "snihosts")
        let outcome = ValidateCommandLogic.run(inputs: inputs([("vs.yaml", broken)]))
        #expect(outcome.exitCode == 1)
        #expect(
            outcome.output.contains(
                "error: vs.yaml:13, document 1, VirtualService default/front-proxy, spec.tls[0].match[0].snihosts: "
                    + "unknown field \"snihosts\""
            ),
            "\(outcome.output)"
        )
        #expect(outcome.output.contains("FAILED: 0 valid, 1 invalid"))
    }

    @Test func validatePrintsWarningsAndStillExitsZero() {
        let yaml = Seed.gateway.replacingOccurrences(
            of: "mode: PASSTHROUGH",
            with: "mode: PASSTHROUGH\n      credentialName: cert"
        )
        let outcome = ValidateCommandLogic.run(inputs: inputs([("gw.yaml", yaml)]))
        #expect(outcome.exitCode == 0)
        #expect(
            outcome.output.contains(
                "Warning: gw.yaml, document 1, Gateway default/front-proxy, spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored"
            )
        )
    }

    @Test func validateMissingPathExitsOne() {
        let outcome = ValidateCommandLogic.run(paths: ["/nonexistent/frontproxy-config"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.output.contains("error: /nonexistent/frontproxy-config: no such file or directory"))
    }

    @Test func routeExitsZeroWhenRoutedAndPrintsTheWholePath() {
        let outcome = RouteCommandLogic.run(inputs: seedInputs, port: 443, serverName: "www.google.com")
        #expect(outcome.exitCode == RouteCommandLogic.routedExitCode)
        #expect(
            outcome.output == """
                listener:  0.0.0.0_443 (TLS, from Gateway default/front-proxy server #0)
                chain:     0.0.0.0_443/default/front-proxy/tls/0/0 server names www.google.com (VirtualService default/front-proxy tls[0].match[0])
                cluster:   outbound|443||www.google.com (ServiceEntry default/google, protocol HTTPS)
                endpoints: DNS (STRICT_DNS): every A/AAAA answer for www.google.com:443
                routed: SNI "www.google.com" on port 443 -> outbound|443||www.google.com

                """
        )
    }

    @Test(
        arguments: [
            ("evil.example", 443, "NR filter_chain_not_found"), (nil, 443, "NR filter_chain_not_found"),
            ("www.google.com", 80, "connection refused"),
        ] as [(String?, Int, String)]
    )
    func routeExitsTwoWhenNotRouted(sni: String?, port: Int, reason: String) {
        let outcome = RouteCommandLogic.run(inputs: seedInputs, port: port, serverName: sni)
        #expect(outcome.exitCode == RouteCommandLogic.notRoutedExitCode)
        #expect(outcome.output.contains(reason), "\(outcome.output)")
    }

    @Test func routeExitsOneOnConfigurationErrors() {
        let broken = Seed.serviceEntry.replacingOccurrences(of: "resolution: DNS", with: "resolution: MAGIC")
        let outcome = RouteCommandLogic.run(
            inputs: inputs([("gw.yaml", Seed.gateway), ("se.yaml", broken)]),
            port: 443,
            serverName: "www.google.com"
        )
        #expect(outcome.exitCode == RouteCommandLogic.configurationErrorExitCode)
        #expect(outcome.output.contains("spec.resolution: unknown value \"MAGIC\""))
    }
}
