/// JUnit XML, one `testcase` per scenario, for CI systems that show test results.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<testsuites tests="\#(report.results.count)" failures="\#(report.failed)" time="\#(time(report.durationSeconds))">"#
        xml += "\n"
        xml +=
            #"  <testsuite name="frontproxy scenarios" tests="\#(report.results.count)" failures="\#(report.failed)" time="\#(time(report.durationSeconds))">"#
        xml += "\n"
        for result in report.results {
            let attributes =
                #"classname="\#(escape(result.file))" name="\#(escape(result.name))" time="\#(time(result.durationSeconds))""#
            guard !result.passed else {
                xml += "    <testcase \(attributes)/>\n"
                continue
            }
            let (message, details) = failureText(result)
            xml += "    <testcase \(attributes)>\n"
            xml += #"      <failure message="\#(escape(message))">\#(escape(details))</failure>"# + "\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func failureText(_ result: ScenarioResult) -> (String, String) {
        if let error = result.fileError { return (error.description, error.description) }
        guard let failure = result.failure else { return ("failed", "failed") }
        let message = "step \(failure.step): \(failure.summary)"
        var details = failure.mismatches.map { "expected: \($0.expected)\nactual: \($0.actual)" }
        if !failure.accessLog.isEmpty { details.append("access log:\n" + failure.accessLog.joined(separator: "\n")) }
        if !failure.telemetry.isEmpty { details.append("telemetry:\n" + failure.telemetry.joined(separator: "\n")) }
        return (message, details.joined(separator: "\n"))
    }

    private static func time(_ seconds: Double) -> String {
        String(Double(Int((seconds * 1000).rounded())) / 1000)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\n", "\t", "\r": escaped.unicodeScalars.append(scalar)
            default:
                // XML 1.0 cannot carry other control characters at all.
                if scalar.value < 0x20 { escaped += "?" } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
