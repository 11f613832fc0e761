import Foundation
import TestWorld

/// What a client step saw, in terms every connection expectation can be checked against.
struct ConnectionObservation {
    /// One line for reports: `curl exit 7: Failed to connect ...`, `connected, 0 bytes received, closed`.
    var summary: String
    var refused = false
    var handshakeFailed = false
    var exitCode: Int?
    var status: Int?
    /// The response body (curl) or the received text (client).
    var body: String?
    /// What `| grep` printed, or curl's standard output.
    var output: String?
    /// What curl wrote to standard error (the `-v` lines).
    var stderr: String?
    /// The last response's headers (curl).
    var responseHeaders: HTTPHeaderFields?
    var certificateSubject: String?
    var alpn: String?
    /// Upstream connection counts before the connection, to find the connection it caused.
    var baseline: LiveWorld.UpstreamBaseline
    /// The client's raw bytes so far; a live client's grow while checks wait.
    var capture: () async -> (written: CapturedBytes, read: CapturedBytes)
    /// The live client, for checks that wait for bytes or for the close; nil for curl (already done).
    var session: ClientSession?
}

extension StepRunner {
    /// Checks every condition given in `expect`; waits (bounded) where the answer is still coming.
    func check(_ expect: ConnectionExpectation, _ observed: ConnectionObservation) async -> [Mismatch] {
        var mismatches: [Mismatch] = []
        func compare<T: Equatable>(_ name: String, _ expected: T?, _ actual: T?) {
            guard let expected, expected != actual else { return }
            mismatches.append(
                Mismatch(
                    expected: "\(name) \(expected)",
                    actual: actual.map { "\(name) \($0) (\(observed.summary))" } ?? observed.summary
                )
            )
        }
        func flag(_ name: String, _ expected: Bool?, _ actual: Bool) {
            guard let expected, expected != actual else { return }
            mismatches.append(Mismatch(expected: "\(name): \(expected)", actual: observed.summary))
        }
        let settle: Duration = .seconds(3)
        if let session = observed.session,
            expect.closedWithoutBytes == true || expect.reset == true || expect.received != nil
                || expect.receivedBytes != nil || expect.bodyMatches != nil
        {
            let wanted = expect.receivedBytes ?? expect.received?.utf8.count ?? Int.max
            await session.wait(timeout: settle) { state in
                if state.end != nil { return true }
                if let pattern = expect.bodyMatches, wanted == Int.max {
                    return Self.matches(pattern, String(decoding: state.prefix, as: UTF8.self))
                }
                return state.count >= wanted
            }
        }
        let readState = observed.session?.read
        compare("exit code", expect.exitCode, observed.exitCode)
        compare("status", expect.status, observed.status)
        if let pattern = expect.bodyMatches {
            let body = observed.body ?? readState.map { String(decoding: $0.prefix, as: UTF8.self) } ?? ""
            if !Self.matches(pattern, body) {
                mismatches.append(
                    Mismatch(
                        expected: "body matching /\(pattern)/",
                        actual: "body \(Self.quoted(body)) (\(observed.summary))"
                    )
                )
            }
        }
        if let pattern = expect.stderrMatches {
            let stderr = observed.stderr ?? ""
            if !Self.matches(pattern, stderr) {
                mismatches.append(
                    Mismatch(
                        expected: "curl's standard error matching /\(pattern)/",
                        actual: "standard error \(Self.quoted(stderr, limit: 2000)) (\(observed.summary))"
                    )
                )
            }
        }
        if let output = expect.output {
            let actual = observed.output ?? ""
            if Self.trimmingNewline(actual) != Self.trimmingNewline(output) {
                mismatches.append(
                    Mismatch(
                        expected: "output \(Self.quoted(output))",
                        actual: "output \(Self.quoted(Self.trimmingNewline(actual)))"
                    )
                )
            }
        }
        compare("certificate subject", expect.certificateSubject, observed.certificateSubject)
        compare("ALPN", expect.alpn, observed.alpn)
        flag("connectionRefused", expect.connectionRefused, observed.refused)
        flag("handshakeFailed", expect.handshakeFailed, observed.handshakeFailed)
        if let readState {
            flag("reset", expect.reset, readState.end == .reset)
            if let received = expect.received {
                let text = String(decoding: readState.prefix, as: UTF8.self)
                if text != received {
                    mismatches.append(
                        Mismatch(expected: "received \(Self.quoted(received))", actual: "received \(Self.quoted(text))")
                    )
                }
            }
            compare("received bytes", expect.receivedBytes, readState.count)
        } else if expect.reset != nil || expect.received != nil || expect.receivedBytes != nil {
            let raw = await observed.capture().read
            flag("reset", expect.reset, observed.summary.contains("reset"))
            compare("received bytes", expect.receivedBytes, raw.count)
        }
        if let closed = expect.closedWithoutBytes {
            let raw = await observed.capture().read
            let forwarded = world.newUpstreamConnections(since: observed.baseline).filter { $0.record.read.count > 0 }
            let ended = observed.session.map { $0.read.end != nil } ?? !observed.refused
            let actual = ended && !observed.refused && raw.count == 0 && forwarded.isEmpty
            if actual != closed {
                let upstreamSide =
                    forwarded.isEmpty
                    ? "no upstream got a byte"
                    : forwarded.map { "upstream \($0.name) got \($0.record.read.count) bytes" }.joined(separator: ", ")
                mismatches.append(
                    Mismatch(
                        expected: closed
                            ? "closed by the proxy with no byte forwarded either way" : "not closed without bytes",
                        actual: "\(observed.summary); client received \(raw.count) raw bytes; \(upstreamSide)"
                    )
                )
            }
        }
        for (name, value) in expect.responseHeaders.sorted(by: { $0.key < $1.key }) {
            let got = observed.responseHeaders?[name]
            if value == "-" ? got != nil : got != value {
                mismatches.append(
                    Mismatch(
                        expected: value == "-" ? "no response header \(name)" : "response header \(name): \(value)",
                        actual: got.map { "\(name): \($0)" } ?? "no \(name) header (\(observed.summary))"
                    )
                )
            }
        }
        mismatches += await checkUpstream(expect, observed)
        mismatches += await checkRequestCounts(expect.upstreamRequestCounts, since: observed.baseline)
        return mismatches
    }

    /// `upstreamRequests`: waits (bounded) for the counts, as a mirror's copy may arrive after the response.
    private func checkRequestCounts(
        _ expected: [String: ClosedRange<Int>],
        since baseline: LiveWorld.UpstreamBaseline
    ) async
        -> [Mismatch]
    {
        guard !expected.isEmpty else { return [] }
        func agrees() -> Bool {
            let counts = world.requestCounts(since: baseline)
            return expected.allSatisfy { $0.value.contains(counts[$0.key, default: 0]) }
        }
        await Self.eventually(timeout: .seconds(2)) { agrees() }
        let counts = world.requestCounts(since: baseline)
        return expected.sorted { $0.key < $1.key }.compactMap { name, range in
            let got = counts[name, default: 0]
            guard !range.contains(got) else { return nil }
            let wanted = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            return Mismatch(
                expected: "upstream \(name) received \(wanted) request(s)",
                actual: "it received \(got)"
            )
        }
    }

    /// `reachedUpstream`, `untouched`, `upstreamServerName`, `upstreamALPN`.
    private func checkUpstream(_ expect: ConnectionExpectation, _ observed: ConnectionObservation) async -> [Mismatch] {
        guard let expected = expect.reachedUpstream else { return [] }
        if expected != "none" {
            await Self.eventually(timeout: .seconds(3)) {
                world.newUpstreamConnections(since: observed.baseline).contains { $0.name == expected }
            }
        }
        let reached = world.newUpstreamConnections(since: observed.baseline)
        let names = Set(reached.map(\.name)).sorted()
        let described = names.isEmpty ? "no upstream got a connection" : "reached \(names.joined(separator: ", "))"
        if expected == "none" {
            return names.isEmpty
                ? [] : [Mismatch(expected: "no upstream reached", actual: "\(described) (\(observed.summary))")]
        }
        guard names == [expected], let record = reached.first?.record else {
            return [Mismatch(expected: "reached upstream \(expected)", actual: "\(described) (\(observed.summary))")]
        }
        var mismatches: [Mismatch] = []
        if let name = expect.upstreamServerName, record.serverName != name {
            mismatches.append(
                Mismatch(
                    expected: "upstream saw SNI \(name)",
                    actual: "upstream saw SNI \(record.serverName ?? "none")"
                )
            )
        }
        if let alpn = expect.upstreamALPN, record.negotiatedALPN != alpn {
            mismatches.append(
                Mismatch(
                    expected: "upstream negotiated ALPN \(alpn)",
                    actual: "upstream negotiated \(record.negotiatedALPN ?? "none")"
                )
            )
        }
        if let request = expect.upstreamRequest {
            await Self.eventually(timeout: .seconds(3)) {
                world.newUpstreamConnections(since: observed.baseline).contains { !$0.record.requests.isEmpty }
            }
            let received = world.newUpstreamConnections(since: observed.baseline).last?.record.requests.last
            mismatches += Self.compare(request, received)
        }
        if expect.untouched == true, let upstream = world.upstream(named: expected) {
            mismatches += await untouched(record.id, of: upstream, observed)
        }
        return mismatches
    }

    /// Compares digests of what the client wrote with what the upstream read, and back, once the byte
    /// counts agree, or the upstream has closed and the client has everything it wrote (it will read no
    /// more), or the wait runs out: then the counts are the mismatch.
    private func untouched(_ id: Int, of upstream: FakeUpstream, _ observed: ConnectionObservation) async -> [Mismatch]
    {
        var client = await observed.capture()
        var server = upstream.connections.first { $0.id == id }
        let deadline = ContinuousClock.now + patience
        while client.written.count != server?.read.count || client.read.count != server?.written.count,
            ContinuousClock.now < deadline
        {
            if let server, !server.isOpen, client.read.count == server.written.count { break }
            try? await Task.sleep(for: .milliseconds(5))
            client = await observed.capture()
            server = upstream.connections.first { $0.id == id }
        }
        guard let server else { return [Mismatch(expected: "untouched bytes", actual: "the upstream record is gone")] }
        var mismatches: [Mismatch] = []
        if client.written.digest != server.read.digest || client.written.count != server.read.count {
            mismatches.append(
                Mismatch(
                    expected: "client → upstream untouched: the client wrote \(client.written)",
                    actual: "upstream \(upstream.name) read \(server.read)"
                )
            )
        }
        if client.read.digest != server.written.digest || client.read.count != server.written.count {
            mismatches.append(
                Mismatch(
                    expected: "upstream → client untouched: upstream \(upstream.name) wrote \(server.written)",
                    actual: "the client read \(client.read)"
                )
            )
        }
        return mismatches
    }

    private static func compare(_ expected: UpstreamRequestExpectation, _ received: HTTPRequest?) -> [Mismatch] {
        guard let received else {
            return [Mismatch(expected: "the upstream received a request", actual: "it received none")]
        }
        var problems: [String] = []
        if let method = expected.method, received.method != method { problems.append("method \(received.method)") }
        if let path = expected.path, received.target != path { problems.append("path \(received.target)") }
        if let authority = expected.authority, received.headers["host"] != authority {
            problems.append("authority \(received.headers["host"] ?? "none")")
        }
        for (name, value) in expected.headers.sorted(by: { $0.key < $1.key }) {
            let got = received.headers[name]
            if value == "-" ? got != nil : got != value { problems.append("\(name): \(got ?? "absent")") }
        }
        guard !problems.isEmpty else { return [] }
        let wanted =
            [expected.method, expected.path, expected.authority].compactMap { $0 }
            + expected.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return [
            Mismatch(
                expected: "the upstream received " + wanted.joined(separator: ", "),
                actual: problems.joined(separator: ", ")
            )
        ]
    }

    static func quoted(_ text: String, limit: Int = 300) -> String {
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return "\"" + shown.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            + "\""
    }

    static func trimmingNewline(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
