import Foundation
import FrontProxy
import MeshConfig

/// Runs scenario files: each scenario in its own world (runtime, stub DNS, upstreams on ephemeral loopback
/// ports, a gateway IP of its own), so several run at once; at most `concurrency` at a time.
public struct ScenarioRunner: Sendable {
    public struct Options: Sendable {
        /// Only scenarios whose name or file matches this regex run.
        public var filter: String?
        public var concurrency: Int
        /// Scenarios with route cases fail when their rule coverage is below this percentage.
        public var failUnder: Double?

        public init(filter: String? = nil, concurrency: Int = 4, failUnder: Double? = nil) {
            self.filter = filter
            self.concurrency = max(1, concurrency)
            self.failUnder = failUnder
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Runs the scenario files found under `paths` (files or folders).
    public func run(paths: [String]) async -> RunReport {
        let started = ContinuousClock.now
        let files: [String]
        do { files = try ScenarioDiscovery.scenarioFiles(in: paths) } catch {
            let fileError = ScenarioFileError(file: "\(error)", line: nil, path: "", message: "cannot be read")
            return RunReport(results: [Self.fileFailure(fileError)], durationSeconds: 0)
        }
        let filter = options.filter.flatMap { try? NSRegularExpression(pattern: $0) }
        var jobs: [(Int, Result<Scenario, ScenarioFileError>)] = []
        for (index, file) in files.enumerated() {
            let loaded = Result { () throws(ScenarioFileError) in try ScenarioDecoder.load(path: file) }
            if let filter {
                let name = (try? loaded.get())?.name ?? ""
                let matches = [name, file].contains { text in
                    filter.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                }
                guard matches else { continue }
            }
            jobs.append((index, loaded))
        }
        let results = await withTaskGroup(of: (Int, ScenarioResult).self) { group in
            var pending = jobs[...]
            var results: [(Int, ScenarioResult)] = []
            func startNext() {
                guard let (index, loaded) = pending.popFirst() else { return }
                group.addTask {
                    switch loaded {
                    case .success(let scenario): (index, await self.run(scenario))
                    case .failure(let error): (index, Self.fileFailure(error))
                    }
                }
            }
            for _ in 0..<options.concurrency { startNext() }
            for await result in group {
                results.append(result)
                startNext()
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return RunReport(results: results, durationSeconds: Self.seconds(since: started))
    }

    /// Decodes and runs one scenario given as text (`file` names it and anchors relative paths).
    public func run(yaml: String, file: String) async -> ScenarioResult {
        do { return await run(try ScenarioDecoder.decode(yaml: yaml, file: file)) } catch {
            return Self.fileFailure(error)
        }
    }

    /// Runs one scenario: starts its world, runs the steps until one fails, tears the world down.
    public func run(_ scenario: Scenario) async -> ScenarioResult {
        let started = ContinuousClock.now
        var result = ScenarioResult(
            file: scenario.file,
            name: scenario.name,
            passed: false,
            durationSeconds: 0,
            steps: scenario.steps.count,
            routeCases: 0
        )
        let world: LiveWorld
        do { world = try await LiveWorld.start(scenario) } catch {
            result.failure = StepFailure(
                step: 0,
                line: nil,
                summary: "world",
                mismatches: [Mismatch(expected: "the world starts", actual: "\(error)")],
                accessLog: [],
                telemetry: []
            )
            result.durationSeconds = Self.seconds(since: started)
            return result
        }
        let runner = StepRunner(world: world, failUnder: options.failUnder)
        let deadline = started + scenario.timeout
        for step in scenario.steps {
            let accessLogStart = world.accessLog.lines.count
            let telemetryStart = world.telemetryLog.lines.count
            var mismatches = await runner.run(step)
            if mismatches.isEmpty, ContinuousClock.now > deadline {
                mismatches = [
                    Mismatch(
                        expected: "the scenario finishes within \(scenario.timeout)",
                        actual: "it is still running"
                    )
                ]
            }
            guard !mismatches.isEmpty else { continue }
            // A connection writes its access-log line when it closes, which can be just after the client
            // has finished: give the step's connections a moment to close so the report shows their lines.
            _ = await StepRunner.eventually(timeout: .seconds(1)) { world.runtime.openConnections.downstream == 0 }
            result.failure = StepFailure(
                step: step.number,
                line: step.line,
                summary: step.summary,
                mismatches: mismatches,
                accessLog: Self.relevant(world.accessLog.lines, since: accessLogStart),
                telemetry: Self.relevant(world.telemetryLog.lines, since: telemetryStart)
            )
            break
        }
        await world.shutdown()
        result.notRead = world.skippedDocuments.map(\.description)
        result.notReadSummary = SkippedDocument.summary(
            world.skippedDocuments,
            listHint: "frontproxy test -v lists them"
        )
        result.passed = result.failure == nil
        result.routeCases = runner.routeCases
        result.coverage = runner.coverage
        result.durationSeconds = Self.seconds(since: started)
        return result
    }

    /// The lines written during the step, or else the last few: at most 20.
    private static func relevant(_ lines: [String], since start: Int) -> [String] {
        let during = lines.count > start ? Array(lines[start...]) : Array(lines.suffix(5))
        return Array(during.suffix(20))
    }

    static func fileFailure(_ error: ScenarioFileError) -> ScenarioResult {
        ScenarioResult(
            file: error.file,
            name: URL(fileURLWithPath: error.file).lastPathComponent,
            passed: false,
            durationSeconds: 0,
            steps: 0,
            routeCases: 0,
            fileError: error
        )
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
