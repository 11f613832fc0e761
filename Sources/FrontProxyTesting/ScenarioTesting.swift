import Foundation
import Harness
import Testing
import XCTest

/// Running scenarios from a package's own `swift test`: each failed expectation becomes a test failure
/// that names the scenario file and line. Scenarios run exactly as `frontproxy test` runs them (the same
/// `FrontProxyServer` assembly, control plane and data plane as `serve`).
public enum FrontProxyScenarios {
    /// Runs every scenario file at `path` (a file, or a folder searched for `.yaml`/`.yml`).
    public static func run(path: String) async -> RunReport {
        await ScenarioRunner().run(paths: [path])
    }

    /// Runs one scenario written inline; `file` names it in reports and anchors its relative paths.
    public static func run(yaml: String, file: String) async -> ScenarioResult {
        await ScenarioRunner().run(yaml: yaml, file: file)
    }

    /// Each way a result failed, with the scenario file and line it points at, one per failed expectation.
    public static func failures(of result: ScenarioResult) -> [Failure] {
        if let error = result.fileError {
            let message = error.path.isEmpty ? error.message : "\(error.path): \(error.message)"
            return [Failure(file: error.file, line: error.line, message: message)]
        }
        guard let failure = result.failure else { return [] }
        let context = "\(result.name): step \(failure.step) (\(failure.summary))"
        let logs = failure.accessLog.isEmpty ? "" : "\naccess log:\n" + failure.accessLog.joined(separator: "\n")
        guard !failure.mismatches.isEmpty else {
            return [Failure(file: result.file, line: failure.line, message: context + logs)]
        }
        return failure.mismatches.map { mismatch in
            Failure(
                file: result.file,
                line: failure.line,
                message: "\(context)\nexpected: \(mismatch.expected)\nactual: \(mismatch.actual)\(logs)"
            )
        }
    }

    /// A failed expectation of a scenario.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var message: String

        public var description: String { "\(file):\(line.map(String.init) ?? "?"): \(message)" }
    }
}

// MARK: - Swift Testing

/// Runs the scenario file(s) at `path` and records each failed expectation as a Swift Testing issue located
/// at the scenario file and line, so the IDE and the test log point at the YAML.
public func expectScenarios(at path: String, sourceLocation: SourceLocation = #_sourceLocation) async {
    let report = await FrontProxyScenarios.run(path: path)
    if report.results.isEmpty {
        Issue.record("no scenario found at \(path)", sourceLocation: sourceLocation)
    }
    for result in report.results { record(result, fallback: sourceLocation) }
}

/// Runs one inline scenario and records each failed expectation as a Swift Testing issue. `file` names the
/// scenario (and anchors relative paths in it); issues point at the calling test.
public func expectScenario(
    yaml: String,
    file: String = "inline-scenario.yaml",
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    record(await FrontProxyScenarios.run(yaml: yaml, file: file), fallback: sourceLocation, locateInFile: false)
}

private func record(_ result: ScenarioResult, fallback: SourceLocation, locateInFile: Bool = true) {
    for failure in FrontProxyScenarios.failures(of: result) {
        var location = fallback
        if locateInFile, let line = failure.line {
            let name = URL(fileURLWithPath: failure.file).lastPathComponent
            location = SourceLocation(fileID: "scenarios/\(name)", filePath: failure.file, line: line, column: 1)
        }
        Issue.record(Comment(rawValue: failure.description), sourceLocation: location)
    }
}

// MARK: - XCTest

/// Runs the scenario file(s) at `path` and reports each failed expectation with `XCTFail`; the message
/// starts with the scenario's `file:line`.
public func XCTAssertScenarios(at path: String, file: StaticString = #filePath, line: UInt = #line) async {
    let report = await FrontProxyScenarios.run(path: path)
    if report.results.isEmpty { XCTFail("no scenario found at \(path)", file: file, line: line) }
    for result in report.results {
        for failure in FrontProxyScenarios.failures(of: result) { XCTFail(failure.description, file: file, line: line) }
    }
}

/// Runs one inline scenario and reports each failed expectation with `XCTFail`.
public func XCTAssertScenario(
    yaml: String,
    named name: String = "inline-scenario.yaml",
    file: StaticString = #filePath,
    line: UInt = #line
) async {
    let result = await FrontProxyScenarios.run(yaml: yaml, file: name)
    for failure in FrontProxyScenarios.failures(of: result) { XCTFail(failure.description, file: file, line: line) }
}
