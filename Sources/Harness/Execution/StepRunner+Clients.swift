import NIOCore
import TestWorld

extension StepRunner {
    // MARK: - curl

    func curl(_ step: CurlStep, step scenarioStep: ScenarioStep) async throws -> [Mismatch] {
        let baseline = world.upstreamBaseline
        let result = try await world.curl.run(step.commandLine, environment: world.environment)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        var summary = "curl exit \(result.exitCode)"
        if let message = result.errorMessage { summary += ": \(message)" }
        if let status = result.status { summary += ", status \(status)" }
        let observation = ConnectionObservation(
            summary: summary,
            refused: result.exitCode == 7,
            handshakeFailed: result.exitCode == 35,
            exitCode: Int(result.exitCode),
            status: result.status,
            body: result.response.map { _ in result.bodyText },
            output: step.grep.map { $0.apply(to: stdout) } ?? stdout,
            stderr: result.stderr,
            responseHeaders: result.response?.headers,
            certificateSubject: result.peerCertificateSubject,
            alpn: result.negotiatedALPN,
            baseline: baseline,
            capture: { (result.written, result.read) },
            session: nil
        )
        return await check(step.expect, observation)
    }

    // MARK: - Raw clients

    func connect(_ step: ConnectStep, step scenarioStep: ScenarioStep) async throws -> [Mismatch] {
        let session: ClientSession
        if let name = step.use {
            guard let existing = world.sessions[name] else {
                return [Mismatch(expected: "connection \(name) is open", actual: "it was closed by an earlier step")]
            }
            session = existing
        } else {
            let baseline = world.upstreamBaseline
            let port = world.realPort(for: step.port) ?? step.port
            let address = try SocketAddress(ipAddress: world.gatewayIP, port: port)
            let tls = step.tls.map { spec in
                ClientTLSOptions(
                    serverName: spec.serverName,
                    alpn: spec.alpn,
                    trustedRoots: [world.parts.authority.certificate],
                    verifiesPeer: spec.verify
                )
            }
            do {
                let connection = try await ClientConnection.connect(
                    to: address,
                    tls: tls,
                    connectTimeout: .seconds(2),
                    deadline: .now() + .seconds(5)
                )
                session = ClientSession(connection: connection, baseline: baseline, openedByStep: scenarioStep.number)
            } catch let error as ClientConnectionError {
                var observation = failedConnect(error, baseline: baseline)
                observation.summary = "connect to gateway port \(step.port): \(error)"
                return await check(step.expect, observation)
            }
            world.allSessions.append(session)
            session.startReading()
        }
        let connection = session.connection
        var summary: [String] = []
        do {
            for source in step.sends { try await send(source, on: connection) }
            if step.halfClose { try await connection.closeOutput() }
        } catch {
            summary.append("sending failed: \(error)")
        }
        switch step.read {
        case .none: break
        case .untilClose: await session.wait(timeout: patience) { $0.end != nil }
        case .atLeast(let count): await session.wait(timeout: patience) { $0.end != nil || $0.count >= count }
        }
        let mismatches = await check(step.expect, observation(of: session, tls: connection.tls, extra: summary))
        switch step.close {
        case .keepOpen: world.sessions[step.keepAs ?? step.use ?? ""] = session
        case .close:
            await connection.close()
            if let name = step.use ?? step.keepAs { world.sessions[name] = nil }
        case .reset:
            await connection.reset()
            if let name = step.use ?? step.keepAs { world.sessions[name] = nil }
        }
        return mismatches
    }

    private func send(_ source: ByteSource, on connection: ClientConnection) async throws {
        switch source {
        case .bytes(let bytes, _): try await connection.send(bytes)
        case .clientHello(let spec): try await connection.send(ClientHelloBuilder.records(spec))
        case .pattern(let count):
            var chunk = [UInt8](repeating: 0, count: min(count, 1 << 20))
            for offset in chunk.indices { chunk[offset] = UInt8(truncatingIfNeeded: offset &* 31 &+ offset >> 8) }
            var sent = 0
            var index = 0
            while sent < count {
                // Vary each chunk so a proxy that repeated or dropped one would change the digest.
                for offset in stride(from: 0, to: chunk.count, by: 4096) {
                    chunk[offset] = UInt8(truncatingIfNeeded: index &+ offset >> 12)
                }
                let size = min(chunk.count, count - sent)
                try await connection.send(size == chunk.count ? chunk : Array(chunk[..<size]))
                sent += size
                index += 1
            }
        }
    }

    private func observation(of session: ClientSession, tls: NegotiatedTLS?, extra: [String]) -> ConnectionObservation {
        let state = session.read
        var parts = ["connected", "\(state.count) bytes received"]
        switch state.end {
        case nil: parts.append("still open")
        case .closed: parts.append("closed by the peer")
        case .reset: parts.append("reset by the peer")
        case .failed(let reason): parts.append("failed: \(reason)")
        }
        if let alpn = tls?.alpn { parts.append("ALPN \(alpn)") }
        return ConnectionObservation(
            summary: (parts + extra).joined(separator: ", "),
            certificateSubject: tls?.peerCertificate?.subject,
            alpn: tls?.alpn,
            baseline: session.baseline,
            capture: { await session.connection.captured },
            session: session
        )
    }

    private func failedConnect(
        _ error: ClientConnectionError,
        baseline: LiveWorld.UpstreamBaseline
    ) -> ConnectionObservation {
        var observation = ConnectionObservation(
            summary: "\(error)",
            baseline: baseline,
            capture: { (CapturedBytes.empty, CapturedBytes.empty) },
            session: nil
        )
        switch error {
        case .refused: observation.refused = true
        case .closedDuringHandshake, .resetDuringHandshake, .handshakeFailed, .handshakeTimedOut:
            observation.handshakeFailed = true
        default: break
        }
        return observation
    }
}
