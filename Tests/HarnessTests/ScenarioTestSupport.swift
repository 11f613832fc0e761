import Foundation
import Harness

/// Runs inline scenarios as if they were files in `scenarios/`, so `../Fixtures/...` paths resolve.
enum ScenarioTestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static let seedWorld = """
        world:
          dns: { www.google.com: [127.0.10.1] }
          upstreams:
            - name: google
              address: 127.0.10.1:443
              tls: { serverNames: [www.google.com] }
              http: { body: "<html><head><title>Google</title></head></html>" }
            - { name: other, address: 127.0.10.9:443, echo: true }
        """

    static let seedCurl =
        "curl -s --resolve www.google.com:$SECURE_INGRESS_PORT:$INGRESS_HOST https://www.google.com:$SECURE_INGRESS_PORT"

    /// A scenario with the seed world, the seed configuration applied, then `steps` (YAML list items).
    static func seedScenario(_ steps: String, timeout: String = "20s") -> String {
        """
        name: inline
        timeout: \(timeout)
        \(seedWorld)
        steps:
          - apply: ../Fixtures/front-proxy
        \(steps)
        """
    }

    static func run(_ yaml: String) async -> ScenarioResult {
        await ScenarioRunner().run(yaml: yaml, file: repositoryRoot + "/scenarios/inline.yaml")
    }

    /// Every mismatch of a failed result as one text, for `contains` checks and failure messages.
    static func failureText(_ result: ScenarioResult) -> String {
        if let error = result.fileError { return error.description }
        guard let failure = result.failure else { return "(passed)" }
        return "step \(failure.step): "
            + failure.mismatches.map { "expected: \($0.expected) / actual: \($0.actual)" }.joined(separator: "\n")
    }
}
