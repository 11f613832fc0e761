import FrontProxy
import MeshConfig
import NIOCore
import TestWorld

extension StepRunner {
    /// Runs every case as a real connection, one after another, and records which rules they exercised.
    func routes(_ table: RouteTable) async -> [Mismatch] {
        let plan = world.runtime.currentPlan
        for listener in plan.listeners {
            let sources =
                listener.protocol == .http
                ? listener.virtualHosts.flatMap { $0.routes.map(\.source.description) }
                : listener.chains.map(\.source.description)
            for source in sources where !coverageRules.contains(source) { coverageRules.append(source) }
        }
        var mismatches = await httpRoutes(table.httpCases, plan: plan)
        for routeCase in table.cases {
            routeCases += 1
            let outcome = await run(routeCase)
            if outcome.result != routeCase.expect {
                let where_ = routeCase.line.map { "line \($0), " } ?? ""
                let name = routeCase.serverName.map { "SNI \($0)" } ?? (routeCase.tls ? "no SNI" : "not TLS")
                mismatches.append(
                    Mismatch(
                        expected: "\(where_)port \(routeCase.port), \(name) → \(routeCase.expect)",
                        actual: "\(outcome.result) (\(outcome.detail))"
                    )
                )
            }
            if case .upstream = outcome.result, let source = chainSource(plan, routeCase) {
                coverageExercised.insert(source)
            } else if case .flags(let flags) = outcome.result, !flags.contains("NR"),
                let source = chainSource(plan, routeCase)
            {
                coverageExercised.insert(source)
            }
        }
        let floor = table.failUnder ?? failUnder
        if let floor, let coverage, coverage.percent < floor {
            mismatches.append(
                Mismatch(
                    expected: "route coverage at least \(Self.number(floor))%",
                    actual: "\(Self.number(coverage.percent.rounded()))%; not exercised: "
                        + coverage.uncovered.joined(separator: "; ")
                )
            )
        }
        return mismatches
    }

    /// HTTP cases, each decided on the plan the running server holds, then sent through the gateway as a
    /// real request: the server must answer as decided (status, flags, cluster, Location).
    private func httpRoutes(_ cases: [HTTPRouteCase], plan: RoutePlan) async -> [Mismatch] {
        var mismatches: [Mismatch] = []
        for routeCase in cases {
            routeCases += 1
            let request = HTTPRouteRequest(
                method: routeCase.method,
                authority: routeCase.host,
                path: routeCase.path,
                headers: routeCase.headers.map { ($0.name, $0.value) }
            )
            let decision = plan.explain(port: routeCase.port, request: request)
            if let source = decision.route?.source.description { coverageExercised.insert(source) }
            var problems = Self.problems(decision, against: routeCase.expect)
            if problems.isEmpty, world.realPort(for: routeCase.port) != nil {
                problems = await sent(routeCase, matches: decision)
            }
            guard !problems.isEmpty else { continue }
            let where_ = routeCase.line.map { "line \($0), " } ?? ""
            mismatches.append(
                Mismatch(
                    expected: "\(where_)\(routeCase.method) \(routeCase.host)\(routeCase.path) on port "
                        + "\(routeCase.port) → \(routeCase.expect)",
                    actual: problems.joined(separator: "; ") + " (\(Self.summary(of: decision)))"
                )
            )
        }
        return mismatches
    }

    /// Sends the case as a real request (`Connection: close`) and compares what the server did with the
    /// decision: the status (unless forwarded), the response flags and the cluster of its access-log line.
    private func sent(_ routeCase: HTTPRouteCase, matches decision: HTTPRouteDecision) async -> [String] {
        guard let port = world.realPort(for: routeCase.port),
            let address = try? SocketAddress(ipAddress: world.gatewayIP, port: port)
        else { return [] }
        let logCount = world.accessLog.lines.count
        var request = "\(routeCase.method) \(routeCase.path) HTTP/1.1\r\nHost: \(routeCase.host)\r\n"
        for header in routeCase.headers { request += "\(header.name): \(header.value)\r\n" }
        request += "Connection: close\r\n\r\n"
        let response: String
        do {
            let connection = try await ClientConnection.connect(to: address, connectTimeout: .seconds(2))
            try await connection.send(Array(request.utf8))
            let bytes = try await connection.readToEnd(deadline: .now() + .seconds(5))
            await connection.close()
            response = String(decoding: bytes, as: UTF8.self)
        } catch {
            return ["sent for real: \(error)"]
        }
        await Self.eventually(timeout: .seconds(3)) { world.accessLog.lines.count > logCount }
        guard world.accessLog.lines.count > logCount else { return ["sent for real: no access-log line"] }
        let line = world.accessLog.lines[logCount]
        let fields = world.accessLogFormat.fields(in: line) ?? [:]
        var problems: [String] = []
        let status = Int(response.split(separator: " ", maxSplits: 2).dropFirst().first ?? "")
        if let expected = decision.responseCode, status != expected {
            problems.append(
                "sent for real: status \(status.map(String.init) ?? "none") where the plan says \(expected)"
            )
        }
        if let flags = fields["RESPONSE_FLAGS"], flags != (decision.responseFlag ?? "-"),
            decision.responseCode != nil
        {
            problems.append("sent for real: flags \(flags) where the plan says \(decision.responseFlag ?? "-")")
        }
        if case .forward(let forward) = decision.outcome, let cluster = fields["UPSTREAM_CLUSTER"],
            !forward.clusters.map(\.name).contains(cluster)
        {
            problems.append("sent for real: cluster \(cluster) (\(line))")
        }
        if case .redirect(_, let location) = decision.outcome,
            !response.lowercased().contains("\r\nlocation: \(location.lowercased())\r\n")
        {
            problems.append("sent for real: no Location \(location)")
        }
        return problems
    }

    private static func problems(_ decision: HTTPRouteDecision, against expect: HTTPRouteExpectation) -> [String] {
        var problems: [String] = []
        var forward: ForwardDecision?
        if case .forward(let decided) = decision.outcome { forward = decided }
        if let cluster = expect.cluster {
            let clusters = forward?.clusters.map(\.name) ?? []
            if !clusters.contains(cluster) {
                problems.append(clusters.isEmpty ? "no cluster" : "cluster \(clusters.joined(separator: ", "))")
            }
        }
        if let status = expect.status, decision.responseCode != status {
            problems.append(decision.responseCode.map { "status \($0)" } ?? "forwarded, no local reply")
        }
        if let redirect = expect.redirect {
            if case .redirect(_, let location) = decision.outcome {
                if location != redirect { problems.append("redirect \(location)") }
            } else {
                problems.append("no redirect")
            }
        }
        if let route = expect.route, decision.route?.source.description != route {
            problems.append("route \(decision.route?.source.description ?? "none")")
        }
        if let flags = expect.flags, (decision.responseFlag ?? "-") != flags {
            problems.append("flags \(decision.responseFlag ?? "-")")
        }
        if let path = expect.upstreamPath, forward?.upstreamPath != path {
            problems.append("upstream path \(forward?.upstreamPath ?? "none")")
        }
        if let authority = expect.upstreamAuthority, forward?.upstreamAuthority != authority {
            problems.append("upstream authority \(forward?.upstreamAuthority ?? "none")")
        }
        return problems
    }

    private static func summary(of decision: HTTPRouteDecision) -> String {
        let route = decision.route.map { "route \($0.source)" } ?? "no route"
        switch decision.outcome {
        case .forward(let forward): return "\(route) → \(forward.clusters.map(\.name).joined(separator: ", "))"
        case .redirect(let status, let location): return "\(route) → \(status) \(location)"
        case .noListener(let reason): return reason
        default:
            let code = decision.responseCode.map(String.init) ?? "-"
            return "\(route) → \(code) \(decision.responseFlag ?? "-") \(decision.responseCodeDetails ?? "")"
        }
    }

    private func chainSource(_ plan: RoutePlan, _ routeCase: RouteCase) -> String? {
        let name = routeCase.tls ? routeCase.serverName?.lowercased() : nil
        return plan.listener(port: routeCase.port)?.chain(forServerName: name)?.source.description
    }

    /// One case: connect, send a ClientHello with the SNI (fresh random, so its bytes are unique), then see
    /// which happens first: an upstream receives those bytes, or the proxy closes and logs a flag.
    private func run(_ routeCase: RouteCase) async -> (result: RouteOutcome, detail: String) {
        guard let port = world.realPort(for: routeCase.port),
            let address = try? SocketAddress(ipAddress: world.gatewayIP, port: port)
        else { return (.refused, "gateway port \(routeCase.port) was never bound") }
        let baseline = world.upstreamBaseline
        let logCount = world.accessLog.lines.count
        let connection: ClientConnection
        do {
            connection = try await ClientConnection.connect(to: address, connectTimeout: .seconds(2))
        } catch ClientConnectionError.refused {
            return (.refused, "connection refused")
        } catch {
            return (.flags("?"), "connect failed: \(error)")
        }
        let hello =
            routeCase.tls
            ? ClientHelloBuilder.records(ClientHelloSpec(serverName: routeCase.serverName))
            : Array("GET / HTTP/1.1\r\nHost: \(routeCase.serverName ?? "example")\r\n\r\n".utf8)
        let session = ClientSession(connection: connection, baseline: baseline, openedByStep: 0)
        session.startReading()
        var result: (RouteOutcome, String)?
        do { try await connection.send(hello) } catch { result = (.flags("?"), "send failed: \(error)") }
        let deadline = ContinuousClock.now + .seconds(5)
        while result == nil, ContinuousClock.now < deadline {
            if let reached = world.newUpstreamConnections(since: baseline).first(where: {
                $0.record.read.bytes.starts(with: hello)
            }) {
                result = (.upstream(reached.name), "upstream \(reached.name) received the ClientHello")
            } else if session.read.end != nil, world.accessLog.lines.count > logCount {
                let line = world.accessLog.lines[logCount]
                let flags = world.accessLogFormat.fields(in: line)?["RESPONSE_FLAGS"] ?? "?"
                result = (.flags(flags), "closed; access log: \(line)")
            } else {
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        // A reset ends the case at once on both sides (a graceful close waits for the upstream to finish).
        await connection.reset()
        // Wait for this connection's log line, so the next case's line is its own.
        await Self.eventually(timeout: .seconds(3)) { world.accessLog.lines.count > logCount }
        return result ?? (.flags("?"), "neither forwarded nor closed within 5 s")
    }
}
