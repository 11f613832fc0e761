import Foundation
import FrontProxy
import MeshConfig
import TestWorld

/// Runs the steps of one scenario against its live world, in order, and says what did not hold.
final class StepRunner {
    let world: LiveWorld
    /// How long any single wait may last (reads until close, log lines to appear).
    let patience: Duration
    var routeCases = 0
    var coverageRules: [String] = []
    var coverageExercised: Set<String> = []
    /// Route coverage floor from the command line; a routes step's own `failUnder` wins.
    let failUnder: Double?

    init(world: LiveWorld, failUnder: Double?) {
        self.world = world
        self.failUnder = failUnder
        patience = min(world.scenario.timeout, .seconds(30))
    }

    var coverage: RouteCoverage? {
        coverageRules.isEmpty
            ? nil : RouteCoverage(rules: coverageRules, exercised: coverageRules.filter(coverageExercised.contains))
    }

    /// Runs one step; an empty result means it passed.
    func run(_ step: ScenarioStep) async -> [Mismatch] {
        do {
            switch step.action {
            case .configure(let changes, let expectation): return try await configure(changes, expectation)
            case .curl(let curl): return try await self.curl(curl, step: step)
            case .connect(let connect): return try await self.connect(connect, step: step)
            case .dns(let change):
                if let records = change.records {
                    try world.parts.dns.setRecords(records.map(\.record), for: change.name)
                }
                switch change.fault {
                case .unchanged: break
                case .clear: try world.parts.dns.setFault(nil, for: change.name)
                case .set(let fault): try world.parts.dns.setFault(fault.fault, for: change.name)
                }
                return []
            case .upstream(let change):
                try await world.upstream(named: change.name)?.setFault(change.fault?.fault)
                return []
            case .pod(let change):
                guard
                    let index = world.pods.firstIndex(where: {
                        $0.name == change.name && $0.namespace == change.namespace
                    })
                else { return [Mismatch(expected: "pod \(change.namespace)/\(change.name)", actual: "no such pod")] }
                world.pods[index].ready = change.ready
                try await world.reconcileEndpointSlices()
                return []
            case .wait(let duration):
                // Virtual time: timeouts, drains and DNS TTLs see the time pass; nothing sleeps.
                await world.server.advanceClock(by: duration)
                return []
            case .accessLog(let expectation): return await accessLog(expectation)
            case .telemetry(let expectation): return await telemetry(expectation)
            case .metric(let expectation): return await metric(expectation)
            case .clean(let expectation): return await clean(expectation)
            case .routes(let table): return await routes(table)
            }
        } catch {
            return [Mismatch(expected: "the step runs", actual: "\(error)")]
        }
    }

    // MARK: - Configuration

    /// Applies and deletes through the server's control plane, one change at a time as kubectl lines run: a
    /// rejected document, or a plan the runtime refuses, rolls back exactly as it does for `serve`.
    private func configure(_ changes: [ConfigChange], _ expectation: ApplyExpectation) async throws -> [Mismatch] {
        var mismatches: [Mismatch] = []
        var messages: [String] = []
        var errors: [String] = []
        for change in changes {
            let outcome: ControlPlane.ChangeOutcome
            switch change {
            case .apply(let texts, let namespace):
                outcome = await world.controlPlane.apply(
                    texts.map { (yaml: $0.yaml, file: $0.origin) },
                    namespace: namespace
                )
                if outcome.rejections.isEmpty {
                    for skipped in outcome.skipped {
                        world.unreadObjects.insert(
                            UnreadObject(
                                kind: skipped.kind,
                                namespace: skipped.namespace.isEmpty
                                    ? ResourceMetadata.defaultNamespace : skipped.namespace,
                                name: skipped.name
                            )
                        )
                    }
                }
            case .delete(let kindName, let name, let namespace):
                let namespace = namespace ?? ResourceMetadata.defaultNamespace
                guard let kind = ResourceKind(kubectlName: kindName) else {
                    guard let unread = UnreadKind(kindName) else {
                        return [Mismatch(expected: "a kind kubectl knows", actual: kindName)]
                    }
                    let object = UnreadObject(kind: unread.kind, namespace: namespace, name: name)
                    if world.unreadObjects.remove(object) == nil, !expectation.ignoreNotFound {
                        mismatches.append(
                            Mismatch(
                                expected: "\(unread.kind) \(namespace)/\(name) exists and is deleted",
                                actual: "Error from server (NotFound): \(unread.resource) \"\(name)\" not found"
                            )
                        )
                    }
                    continue
                }
                outcome = await world.controlPlane.delete(ResourceID(kind: kind, namespace: namespace, name: name))
            case .deleteDocuments(let yaml, let origin, let namespace):
                outcome = await world.controlPlane.delete(yaml: yaml, file: origin, namespace: namespace)
                for skipped in ConfigLoader.load(yaml: yaml, file: origin, options: .init(namespace: namespace))
                    .compactMap(\.skipped)
                {
                    world.unreadObjects.remove(
                        UnreadObject(
                            kind: skipped.kind,
                            namespace: skipped.namespace.isEmpty
                                ? ResourceMetadata.defaultNamespace : skipped.namespace,
                            name: skipped.name
                        )
                    )
                }
            case .createUnread(let kind, let name, let namespace):
                world.unreadObjects.insert(
                    UnreadObject(kind: kind, namespace: namespace ?? ResourceMetadata.defaultNamespace, name: name)
                )
                world.skippedDocuments.append(
                    SkippedDocument(
                        apiVersion: "v1",
                        kind: kind,
                        name: name,
                        namespace: namespace ?? ResourceMetadata.defaultNamespace
                    )
                )
                continue
            }
            world.skippedDocuments += outcome.skipped
            messages += outcome.errors + outcome.warnings
            for missing in outcome.notFound where !expectation.ignoreNotFound {
                mismatches.append(
                    Mismatch(expected: "\(missing.id.kubectlName) exists and is deleted", actual: missing.summary)
                )
            }
            errors += outcome.rejections
        }
        // The cluster's EndpointSlice controller follows every change of Services.
        try await world.reconcileEndpointSlices()
        world.recordBoundPorts()
        let rejected = !errors.isEmpty
        if expectation.rejected, !rejected {
            mismatches.append(Mismatch(expected: "the apply is rejected", actual: "every document was accepted"))
        } else if !expectation.rejected, rejected {
            mismatches.append(
                Mismatch(expected: "every document is accepted", actual: "rejected:\n" + errors.joined(separator: "\n"))
            )
        }
        for pattern in expectation.messages where !messages.contains(where: { Self.matches(pattern, $0) }) {
            let found = messages.isEmpty ? "no diagnostics" : messages.joined(separator: "\n")
            mismatches.append(Mismatch(expected: "a diagnostic matching /\(pattern)/", actual: found))
        }
        return mismatches
    }

    // MARK: - Helpers

    static func matches(_ pattern: String, _ text: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    static func fullyMatches(_ pattern: String, _ text: String) -> Bool {
        text.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil
    }

    /// Polls `condition` every 2 ms until it holds or `timeout` passes; returns whether it held.
    @discardableResult
    static func eventually(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }
}
