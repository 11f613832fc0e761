import FrontProxy
import MeshConfig
import NIOCore
import TestWorld

extension StepRunner {
    /// Runs every case as a real connection, one after another, and records which rules they exercised.
    func routes(_ table: RouteTable) async -> [Mismatch] {
        let plan = world.runtime.currentPlan
        for listener in plan.listeners where listener.protocol != .http {
            for chain in listener.chains where !coverageRules.contains(chain.source.description) {
                coverageRules.append(chain.source.description)
            }
        }
        var mismatches: [Mismatch] = []
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
