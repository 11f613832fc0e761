import Foundation
import Harness
import Testing

@Suite struct ReportTests {
    static func report() async -> RunReport {
        let passing = await ScenarioTestSupport.run(
            ScenarioTestSupport.seedScenario(
                "  - curl: \(ScenarioTestSupport.seedCurl)\n    expect: { status: 200 }"
            )
        )
        let failing = await ScenarioTestSupport.run(
            ScenarioTestSupport.seedScenario(
                "  - curl: \(ScenarioTestSupport.seedCurl)\n    expect: { status: 500 }"
            )
        )
        return RunReport(results: [passing, failing], durationSeconds: 0.5)
    }

    @Test func theConsoleReportShowsTheFailureAndEndsWithTheCounts() async {
        let text = ConsoleReport.render(await Self.report())
        let lines = text.split(separator: "\n")
        #expect(lines.last == "1 passed, 1 failed")
        #expect(text.contains("expected: status 500"))
        #expect(text.contains("actual:   status 200"))
        #expect(text.contains("access log:"), "the relevant log lines are shown")
    }

    @Test func theJUnitReportHasOneFailure() async {
        let xml = JUnitReport.render(await Self.report())
        #expect(xml.contains(#"<testsuites tests="2" failures="1""#))
        #expect(xml.components(separatedBy: "<failure ").count == 2)
        #expect(xml.contains("expected: status 500"))
    }

    @Test func theJSONReportCarriesTotalsAndResults() async throws {
        let json = try JSONReport.render(await Self.report())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["passed"] as? Int == 1)
        #expect(object["failed"] as? Int == 1)
        #expect((object["results"] as? [Any])?.count == 2)
    }

    @Test func theRunnerFiltersByName() async {
        let runner = ScenarioRunner(options: .init(filter: "^Istio as a front proxy"))
        let report = await runner.run(paths: [ScenarioTestSupport.repositoryRoot + "/scenarios"])
        #expect(report.results.count == 1)
        #expect(report.failed == 0, "\(report.results.map { ScenarioTestSupport.failureText($0) })")
    }
}
