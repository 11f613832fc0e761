import Foundation
import Testing

/// The command-line options of the registry: where the gateway proxy runs, the cluster domain, and the release
/// `--version` names, through the built executable.
@Suite struct MeshOptionsCommandLineTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/multi-namespace-repo").path

    @Test func versionNamesTheIstioReleaseFollowed() async throws {
        let result = try await ChildProcess.run(ServeEndToEndTests.frontproxy, ["--version"])
        #expect(result.status == 0)
        #expect(result.output == "0.1.0 (follows Istio 1.30.3 and the Kubernetes 1.35 API server)\n")
    }

    @Test func gatewayNamespaceDecidesWhatExportToHides() async throws {
        let arguments = ["route", "-f", Self.repo, "--port", "443", "--sni", "admin.example.com"]
        let hidden = try await ChildProcess.run(ServeEndToEndTests.frontproxy, arguments)
        #expect(hidden.status == 2)
        #expect(hidden.output.contains("not exported to namespace istio-system"))
        let seen = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            arguments + ["--gateway-namespace", "team-b"]
        )
        #expect(seen.status == 0, "\(seen.output)")
        #expect(
            seen.output.contains(
                "routed: SNI \"admin.example.com\" on port 443 -> outbound|443||admin.team-b.svc.cluster.local"
            )
        )
    }

    @Test func clusterDomainChangesServiceHosts() async throws {
        let result = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            [
                "route", "-f", Self.repo, "--port", "443", "--sni", "shop.example.com", "--cluster-domain",
                "corp.internal",
            ]
        )
        #expect(result.status == 0)
        #expect(result.output.contains("-> outbound|443||shop.team-a.svc.corp.internal"))
    }

    @Test func aGatewayNamespaceThatIsNoNamespaceNameIsRefused() async throws {
        let result = try await ChildProcess.run(
            ServeEndToEndTests.frontproxy,
            ["validate", "-f", Self.repo, "--gateway-namespace", "Istio_System"]
        )
        #expect(result.status == 64)
        #expect(result.error.contains("gateway namespace \"Istio_System\""))
    }
}
