import FrontProxy
import FrontProxyTesting
import Harness
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// Every failure outcome closes the client, forwards nothing, and logs Envoy's flag.
@Suite(.serialized) struct ProxyRuntimeFailureTests {
    private func flags(_ bed: ProxyTestBed) async throws -> (flags: String?, details: String?, line: String) {
        let line = try #require(await bed.accessLogLines(count: 1).first)
        let fields = AccessLogFormat.istio2019.fields(in: line)
        return (fields?["RESPONSE_FLAGS"], nil, line)
    }

    @Test(arguments: ["evil.example", "google.com", "www.google.com.", "www.google.com.evil.example"])
    func anUnknownServerNameGetsNRAndNothingIsForwarded(serverName: String) async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        let result = try await bed.curl(serverName: serverName, extra: "-k")
        #expect(result.exitCode == 35, "TLS handshake cut: \(result.stderr)")
        let (flags, _, line) = try await flags(bed)
        #expect(flags == "NR", "\(line)")
        let fields = try #require(AccessLogFormat.istio2019.fields(in: line))
        #expect(fields["UPSTREAM_HOST"] == "-" && fields["UPSTREAM_CLUSTER"] == "-")
        #expect(fields["REQUESTED_SERVER_NAME"] == serverName)
        #expect(upstream.counts.accepted == 0)
        #expect(bed.telemetryLog.lines.isEmpty, "a connection that matched no chain has no telemetry")
        try await bed.shutdown()
    }

    @Test func upperCaseServerNamesRouteLikeLowerCase() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        let port = try #require(bed.gatewayPort)
        let result = try await bed.curl.run(
            "curl -s -k --resolve WWW.Google.COM:\(port):127.0.0.1 https://WWW.Google.COM:\(port)/"
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(upstream.connections.first?.serverName?.lowercased() == "www.google.com")
        let line = try #require(await bed.accessLogLines(count: 1).first)
        #expect(AccessLogFormat.istio2019.fields(in: line)?["REQUESTED_SERVER_NAME"] == "www.google.com")
        try await bed.shutdown()
    }

    @Test func noServerNameAndNonTLSBytesGetNR() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        let gateway = try bed.gatewayAddress()
        let ipLiteral = try await bed.curl.run("curl -s -k https://127.0.0.1:\(try #require(bed.gatewayPort))/")
        #expect(ipLiteral.exitCode == 35, "curl sends no SNI for an IP literal")
        let plain = try await ClientConnection.connect(to: gateway)
        try await plain.send(Array("GET / HTTP/1.1\r\nHost: www.google.com\r\n\r\n".utf8))
        #expect(try await plain.readToEnd(deadline: .now() + .seconds(5)).isEmpty, "closed with no bytes")
        await plain.close()
        let lines = await bed.accessLogLines(count: 2)
        #expect(lines.allSatisfy { AccessLogFormat.istio2019.fields(in: $0)?["RESPONSE_FLAGS"] == "NR" }, "\(lines)")
        #expect(upstream.counts.accepted == 0)
        try await bed.shutdown()
    }

    @Test func anUpstreamThatRefusesGetsUFURX() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        try await upstream.setFault(.refuse)
        let result = try await bed.curl(serverName: "www.google.com")
        #expect(result.exitCode != 0)
        let (flags, _, line) = try await flags(bed)
        #expect(flags == "UF,URX", "\(line)")
        #expect(AccessLogFormat.istio2019.fields(in: line)?["UPSTREAM_HOST"] == "127.0.10.1:443")
        try await bed.shutdown()
    }

    @Test(arguments: [StubDNSFault.nameError, .serverFailure, .noAnswer])
    func aDNSFailureGetsUH(fault: StubDNSFault) async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        try bed.dns.setFault(fault, for: "www.google.com")
        let result = try await bed.curl(serverName: "www.google.com")
        #expect(result.exitCode != 0)
        let (flags, _, line) = try await flags(bed)
        #expect(flags == "UH", "\(line)")
        #expect(upstream.counts.accepted == 0)
        try await bed.shutdown()
    }

    @Test func theConnectionLimitGivesUO() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded { $0.runtime.maximumConnectionsPerCluster = 1 }
        try await upstream.setFault(.stall)
        let first = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await first.send(clientHelloRecord(serverName: "www.google.com"))
        await bed.eventually { upstream.counts.accepted == 1 }
        let second = try await bed.curl(serverName: "www.google.com")
        #expect(second.exitCode != 0)
        let (flags, _, line) = try await flags(bed)
        #expect(flags == "UO", "\(line)")
        await first.close()
        try await bed.shutdown()
    }

    @Test func aClientThatSendsNothingIsClosedAfterTheClientHelloTimeout() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded()
        let silent = try await ClientConnection.connect(to: try bed.gatewayAddress())
        await bed.eventually { bed.runtime.openConnections.downstream == 1 }
        await bed.advanceClock(by: .seconds(14))
        #expect(bed.runtime.openConnections.downstream == 1, "Envoy's listener_filters_timeout is 15 s")
        await bed.advanceClock(by: .seconds(1))
        #expect(try await silent.readToEnd(deadline: .now() + .seconds(5)).isEmpty)
        let (flags, _, _) = try await flags(bed)
        #expect(flags == "NR")
        #expect(upstream.counts.accepted == 0)
        await silent.close()
        try await bed.shutdown()
    }

    @Test func anOversizedClientHelloIsRefused() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded { $0.runtime.maximumClientHelloLength = 512 }
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await client.send(
            clientHelloRecord(serverName: String(repeating: "a", count: 60) + ".www.google.com", padding: 1000)
        )
        #expect(try await client.readToEnd(deadline: .now() + .seconds(5)).isEmpty)
        let (flags, _, _) = try await flags(bed)
        #expect(flags == "NR")
        #expect(upstream.counts.accepted == 0)
        await client.close()
        try await bed.shutdown()
    }
}
