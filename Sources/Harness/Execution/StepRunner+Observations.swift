import Foundation
import FrontProxy
import MeshConfig
import NIOCore
import TestWorld

extension StepRunner {
    // MARK: - Access log

    func accessLog(_ expect: LogExpectation) async -> [Mismatch] {
        let format = world.accessLogFormat
        func satisfies(_ line: String) -> Bool {
            if let pattern = expect.matches, !Self.matches(pattern, line) { return false }
            guard !expect.fields.isEmpty || !expect.fieldsMatch.isEmpty else { return true }
            guard let fields = format.fields(in: line) else { return false }
            for (key, value) in expect.fields where fields[key] != value { return false }
            for (key, pattern) in expect.fieldsMatch where !Self.fullyMatches(pattern, fields[key] ?? "") {
                return false
            }
            return true
        }
        func holds() -> Bool {
            let lines = world.accessLog.lines
            if let count = expect.count, lines.count != count { return false }
            return expect.absent ? !lines.contains(where: satisfies) : lines.contains(where: satisfies)
        }
        // Lines are written when connections close: wait for a line to appear, or, for an absence, for the
        // connections to close so every line that will be written has been.
        if expect.absent {
            await settleConnections()
        } else {
            await Self.eventually(timeout: .seconds(3), holds)
        }
        guard !holds() else { return [] }
        let lines = world.accessLog.lines
        return [Mismatch(expected: describe(expect), actual: describeLines(lines, format: format, expect))]
    }

    /// Waits (at most 3 s) until the proxy has no open downstream connection, so an absence is judged
    /// after the step's connections have written their lines and events.
    private func settleConnections() async {
        _ = await Self.eventually(timeout: .seconds(3)) { world.runtime.openConnections.downstream == 0 }
    }

    private func describe(_ expect: LogExpectation) -> String {
        var conditions: [String] = []
        if let pattern = expect.matches { conditions.append("matching /\(pattern)/") }
        for (key, value) in expect.fields.sorted(by: { $0.key < $1.key }) { conditions.append("\(key)=\(value)") }
        for (key, value) in expect.fieldsMatch.sorted(by: { $0.key < $1.key }) {
            conditions.append("\(key)~/\(value)/")
        }
        var text = (expect.absent ? "no access-log line " : "an access-log line ") + conditions.joined(separator: ", ")
        if let count = expect.count { text += " (and \(count) lines in all)" }
        return text
    }

    private func describeLines(_ lines: [String], format: AccessLogFormat, _ expect: LogExpectation) -> String {
        guard !lines.isEmpty else { return "the access log is empty" }
        var text = "\(lines.count) line(s)"
        if expect.absent { return text + ", and one of them matches" }
        guard !expect.fields.isEmpty || !expect.fieldsMatch.isEmpty, let last = lines.last else {
            return text + ", none matches"
        }
        guard let fields = format.fields(in: last) else {
            return text + "; the last one does not have the \(format.name) format"
        }
        let keys = Array(expect.fields.keys) + Array(expect.fieldsMatch.keys)
        text +=
            "; the last one has "
            + keys.sorted().map { "\($0)=\(fields[$0] ?? "(no such field)")" }.joined(separator: ", ")
        return text
    }

    // MARK: - Telemetry

    func telemetry(_ expect: TelemetryExpectation) async -> [Mismatch] {
        func fields(_ line: String) -> [String: String] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return [:]
            }
            return object.mapValues { value in
                if let number = value as? NSNumber { return number.stringValue }
                return "\(value)"
            }
        }
        func satisfies(_ line: String) -> Bool {
            let parsed = fields(line)
            return expect.fields.allSatisfy { parsed[$0.key] == $0.value }
        }
        func holds() -> Bool {
            let lines = world.telemetryLog.lines
            if let count = expect.count, lines.count != count { return false }
            return expect.absent ? !lines.contains(where: satisfies) : lines.contains(where: satisfies)
        }
        if expect.absent {
            await settleConnections()
        } else {
            await Self.eventually(timeout: .seconds(3), holds)
        }
        guard !holds() else { return [] }
        let wanted = expect.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let lines = world.telemetryLog.lines
        var actual = "\(lines.count) event(s)"
        if let last = lines.last, !expect.absent {
            let parsed = fields(last)
            actual +=
                "; the last has "
                + expect.fields.keys.sorted().map { "\($0)=\(parsed[$0] ?? "(absent)")" }
                .joined(separator: ", ")
        }
        var expected = (expect.absent ? "no telemetry event with " : "a telemetry event with ") + wanted
        if let count = expect.count { expected += " (and \(count) events in all)" }
        return [Mismatch(expected: expected, actual: actual)]
    }

    // MARK: - Metrics

    func metric(_ expect: MetricExpectation) async -> [Mismatch] {
        func value() -> Double {
            PrometheusText.samples(world.parts.metrics.exposition())
                .filter { sample in
                    sample.name == expect.name && expect.labels.allSatisfy { sample.labels[$0.key] == $0.value }
                }
                .map(\.value).reduce(0, +)
        }
        func holds() -> Bool {
            let current = value()
            if let exact = expect.value, current != exact { return false }
            if let minimum = expect.atLeast, current < minimum { return false }
            return true
        }
        await Self.eventually(timeout: .seconds(3), holds)
        guard !holds() else { return [] }
        let labels = expect.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
        let series = "\(expect.name){\(labels)}"
        let wanted = expect.value.map { "= \(Self.number($0))" } ?? "≥ \(Self.number(expect.atLeast ?? 0))"
        return [Mismatch(expected: "\(series) \(wanted)", actual: "\(series) = \(Self.number(value()))")]
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: - Cleanup

    /// No open proxy, upstream or client connection, no socket of this scenario left, and (by default) no
    /// listener: each gateway port that was ever bound refuses connections again.
    func clean(_ expect: CleanExpectation) async -> [Mismatch] {
        func leftovers() -> [String] {
            var found: [String] = []
            let open = world.runtime.openConnections
            if open.downstream > 0 || open.upstream > 0 {
                found.append(
                    "the proxy has \(open.downstream) downstream and \(open.upstream) upstream connection(s) open"
                )
            }
            for (spec, server) in world.upstreams where server.counts.open > 0 {
                found.append("upstream \(spec.name) has \(server.counts.open) connection(s) open")
            }
            for (name, session) in world.sessions.sorted(by: { $0.key < $1.key }) {
                found.append("client connection \(name) (opened by step \(session.openedByStep)) is still open")
            }
            if expect.noListeners {
                for listener in world.runtime.boundListeners.values {
                    found.append("listener \(listener.plan.name) still listens on \(listener.localAddress)")
                }
            }
            found += leakedSockets(listenersAllowed: !expect.noListeners).map { "\($0) is still open" }
            return found
        }
        await Self.eventually(timeout: .seconds(3)) { leftovers().isEmpty }
        var problems = leftovers()
        if expect.noListeners {
            for (gatewayPort, port) in world.everBoundPorts.sorted(by: { $0.key < $1.key }) {
                guard let address = try? SocketAddress(ipAddress: world.gatewayIP, port: port) else { continue }
                do {
                    let probe = try await ClientConnection.connect(to: address, connectTimeout: .seconds(1))
                    await probe.close()
                    problems.append(
                        "gateway port \(gatewayPort) (\(world.gatewayIP):\(port)) still accepts connections"
                    )
                } catch ClientConnectionError.refused {
                    continue
                } catch {
                    problems.append("probing gateway port \(gatewayPort): \(error)")
                }
            }
        }
        guard !problems.isEmpty else { return [] }
        return [
            Mismatch(
                expected: "clean: no listener, connection or socket left",
                actual: problems.joined(separator: "\n")
            )
        ]
    }

    /// TCP sockets of this process that belong to this scenario: any touching its gateway IP, and any
    /// connected to or accepted by one of its upstreams (their listening sockets excepted).
    private func leakedSockets(listenersAllowed: Bool) -> [SocketInventory.Socket] {
        guard SocketInventory.isAvailable else { return [] }
        let gateway = world.gatewayIP
        let upstreamAddresses: Set<String> = Set(
            world.upstreams.compactMap { entry in
                entry.server.address.ipAddress.flatMap { ip in entry.server.address.port.map { "\(ip):\($0)" } }
            }
        )
        return SocketInventory.openTCPSockets().filter { socket in
            if socket.isListening, listenersAllowed || socket.local.host != gateway { return false }
            if socket.local.host == gateway || socket.remote.host == gateway { return true }
            return upstreamAddresses.contains(socket.local.description)
                || upstreamAddresses.contains(socket.remote.description)
        }
    }
}
