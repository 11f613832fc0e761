/// The report a person reads: one line per scenario, and for a failure the step, what was expected, what
/// happened and the log lines around it. The last line is always `N passed, N failed`.
public enum ConsoleReport {
    /// With `verbose`, each document of a kind not read is listed under its scenario instead of counted.
    public static func render(_ report: RunReport, verbose: Bool = false) -> String {
        var lines: [String] = []
        for result in report.results {
            let mark = result.passed ? "PASS" : "FAIL"
            var detail = "\(result.steps) steps"
            if result.routeCases > 0 { detail += ", \(result.routeCases) route cases" }
            detail += ", \(milliseconds(result.durationSeconds)) ms"
            lines.append("\(mark)  \(result.file)  \(result.name) (\(detail))")
            if let error = result.fileError {
                lines.append("      \(error)")
            }
            if verbose {
                lines += result.notRead.map { "      \($0)" }
            } else if let summary = result.notReadSummary {
                lines.append("      \(summary)")
            }
            if let failure = result.failure {
                let at = failure.line.map { " (line \($0))" } ?? ""
                lines.append("      step \(failure.step)\(at): \(failure.summary)")
                for mismatch in failure.mismatches {
                    lines += indented("expected: ", mismatch.expected)
                    lines += indented("actual:   ", mismatch.actual)
                }
                if !failure.accessLog.isEmpty {
                    lines.append("        access log:")
                    lines += failure.accessLog.map { "          \($0)" }
                }
                if !failure.telemetry.isEmpty {
                    lines.append("        telemetry:")
                    lines += failure.telemetry.map { "          \($0)" }
                }
            }
            if let coverage = result.coverage {
                lines.append(
                    "      route coverage: \(coverage.exercised.count)/\(coverage.rules.count) rules "
                        + "(\(Int(coverage.percent.rounded()))%)"
                )
                for rule in coverage.uncovered { lines.append("        not exercised: \(rule)") }
            }
        }
        let scenarios = report.results.count
        let seconds = report.durationSeconds
        var summary = "\(scenarios) scenario(s)"
        if report.routeCases > 0 { summary += ", \(report.routeCases) route case(s)" }
        summary += " in \(milliseconds(seconds)) ms"
        if seconds > 0, scenarios > 0 {
            summary += " (\(Int((Double(scenarios) / seconds).rounded())) scenarios/s)"
        }
        lines.append(summary)
        lines.append("\(report.passed) passed, \(report.failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func indented(_ label: String, _ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            (index == 0 ? "        " + label : "        " + String(repeating: " ", count: label.count)) + part
        }
    }

    static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
}
