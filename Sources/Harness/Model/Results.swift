import MeshConfig

/// One condition that did not hold: what the scenario expected and what happened instead.
public struct Mismatch: Sendable, Hashable, Codable {
    public var expected: String
    public var actual: String

    public init(expected: String, actual: String) {
        self.expected = expected
        self.actual = actual
    }
}

/// The step a scenario failed at, with the access-log and telemetry lines that help explain it.
public struct StepFailure: Sendable, Hashable, Codable {
    /// 1-based step number; 0 for the world set-up.
    public var step: Int
    public var line: Int?
    public var summary: String
    public var mismatches: [Mismatch]
    public var accessLog: [String]
    public var telemetry: [String]
}

/// VirtualService rules (filter chains of the plans a scenario's route cases ran against) and which of them
/// some case exercised.
public struct RouteCoverage: Sendable, Hashable, Codable {
    /// Every rule seen, as `VirtualService default/front-proxy tls[0].match[0]`.
    public var rules: [String]
    public var exercised: [String]

    public var uncovered: [String] { rules.filter { !exercised.contains($0) } }

    public var percent: Double {
        rules.isEmpty ? 100 : Double(exercised.count) * 100 / Double(rules.count)
    }
}

/// How one scenario went.
public struct ScenarioResult: Sendable, Hashable, Codable {
    public var file: String
    /// The scenario's name, or the file name when the file could not be read.
    public var name: String
    public var passed: Bool
    public var durationSeconds: Double
    public var steps: Int
    public var routeCases: Int
    public var coverage: RouteCoverage?
    /// Why the file could not be used (then there is no step failure).
    public var fileError: ScenarioFileError?
    public var failure: StepFailure?
    /// The documents of kinds FrontProxy does not read that the scenario applied (Deployments, Secrets, ...),
    /// as `file:line: document N: Kind ns/name (apiVersion) not read`.
    public var notRead: [String] = []
    /// The one line counting them, nil when there are none.
    public var notReadSummary: String?
}

/// A whole run.
public struct RunReport: Sendable, Hashable, Codable {
    public var results: [ScenarioResult]
    public var durationSeconds: Double

    public init(results: [ScenarioResult], durationSeconds: Double) {
        self.results = results
        self.durationSeconds = durationSeconds
    }

    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
    public var routeCases: Int { results.map(\.routeCases).reduce(0, +) }
}
