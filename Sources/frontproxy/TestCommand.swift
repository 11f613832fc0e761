import ArgumentParser
import Foundation
import Harness

/// `frontproxy test [PATH...]`
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files: fake upstreams, a stub DNS and curl-equivalent clients against the proxy.",
        discussion: """
            Each scenario runs in its own world on loopback (several at once). Prints one line per scenario, \
            details for each failure, one line counting the documents of kinds FrontProxy does not read (-v \
            lists them), and last "N passed, N failed". Exit 0 iff every scenario passed.
            """
    )

    @Argument(help: "Scenario files or folders (searched for .yaml/.yml).")
    var paths: [String] = ["scenarios/"]

    @Option(help: "Run only scenarios whose name or file matches this regex.")
    var filter: String?

    @Option(name: .customLong("junit"), help: "Also write a JUnit XML report to FILE.")
    var junitPath: String?

    @Option(name: .customLong("json"), help: "Also write a JSON report to FILE.")
    var jsonPath: String?

    @Option(help: "Fail scenarios with route cases that exercise less than PERCENT of the VirtualService rules.")
    var failUnder: Double?

    @Option(help: "How many scenarios run at once.")
    var jobs: Int = 4

    @Flag(name: [.short, .long], help: "List each applied document of a kind FrontProxy does not read.")
    var verbose = false

    func validate() throws {
        if let filter, (try? NSRegularExpression(pattern: filter)) == nil {
            throw ValidationError("--filter is not a valid regular expression")
        }
        if let failUnder, !(0...100).contains(failUnder) { throw ValidationError("--fail-under must be 0...100") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let runner = ScenarioRunner(options: .init(filter: filter, concurrency: jobs, failUnder: failUnder))
        let report = await runner.run(paths: paths)
        if let junitPath { try JUnitReport.render(report).write(toFile: junitPath, atomically: true, encoding: .utf8) }
        if let jsonPath { try JSONReport.render(report).write(toFile: jsonPath, atomically: true, encoding: .utf8) }
        print(ConsoleReport.render(report, verbose: verbose), terminator: "")
        if report.failed > 0 || report.results.isEmpty { throw ExitCode(1) }
    }
}
