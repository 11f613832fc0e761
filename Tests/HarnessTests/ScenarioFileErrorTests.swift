import Harness
import Testing

/// A scenario file that cannot be used says which file, line and field, and counts as a failure.
@Suite struct ScenarioFileErrorTests {
    static func decodeError(_ yaml: String) -> ScenarioFileError? {
        do {
            _ = try ScenarioDecoder.decode(yaml: yaml, file: ScenarioTestSupport.repositoryRoot + "/scenarios/x.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func anUnknownFieldNamesItsPathAndLine() throws {
        let error = try #require(
            Self.decodeError(
                """
                name: typo
                steps:
                  - curl: curl -s https://127.0.0.1/
                    expect: { stauts: 200 }
                """
            )
        )
        #expect(error.line == 4)
        #expect(error.path == "steps[0].expect.stauts")
        #expect(error.description.contains("x.yaml:4: steps[0].expect.stauts: unknown field \"stauts\""))
    }

    @Test func aNonLoopbackUpstreamAddressIsRefused() throws {
        let error = try #require(
            Self.decodeError(
                """
                name: outside
                world:
                  upstreams:
                    - { name: google, address: 142.250.1.1:443, sink: true }
                steps:
                  - wait: 1ms
                """
            )
        )
        #expect(error.path == "world.upstreams[0].address")
        #expect(error.message.contains("not a loopback address"), "\(error)")
    }

    @Test func aNonLoopbackDNSRecordIsRefused() throws {
        let error = try #require(
            Self.decodeError("name: dns\nworld:\n  dns:\n    www.google.com: [8.8.8.8]\nsteps:\n  - wait: 1ms\n")
        )
        #expect(error.path == "world.dns.www.google.com[0]")
        #expect(error.message.contains("loopback"), "\(error)")
    }

    @Test func anUnknownUpstreamNameInAnExpectationIsAnError() throws {
        let error = try #require(
            Self.decodeError(
                "name: x\nsteps:\n  - curl: curl -s https://127.0.0.1/\n    expect: { reachedUpstream: ghost }\n"
            )
        )
        #expect(error.path == "steps[0].expect.reachedUpstream")
        #expect(error.line == 4)
    }

    @Test func anUnterminatedHereDocumentIsAnError() throws {
        let error = try #require(
            Self.decodeError("name: x\nsteps:\n  - kubectl: |\n      kubectl apply -f - <<EOF\n      kind: Gateway\n")
        )
        #expect(error.message.contains("never closed by a line EOF"), "\(error)")
    }

    @Test func aFileErrorCountsAsAFailedScenario() async {
        let result = await ScenarioTestSupport.run("name: x\nsteps:\n  - sleep: 1s\n")
        #expect(!result.passed)
        #expect(result.fileError?.path == "steps[0].sleep")
    }
}
