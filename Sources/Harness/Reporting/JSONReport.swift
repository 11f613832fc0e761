import Foundation

/// The run as JSON: totals, then every scenario result with its failure and route coverage.
public enum JSONReport {
    private struct Document: Encodable {
        var passed: Int
        var failed: Int
        var routeCases: Int
        var durationSeconds: Double
        var results: [ScenarioResult]
    }

    public static func render(_ report: RunReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(
            passed: report.passed,
            failed: report.failed,
            routeCases: report.routeCases,
            durationSeconds: report.durationSeconds,
            results: report.results
        )
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
