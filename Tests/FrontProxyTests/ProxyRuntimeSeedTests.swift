import FrontProxy
import FrontProxyTesting
import Harness
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// The seed page, step by step, over real loopback sockets.
@Suite(.serialized) struct ProxyRuntimeSeedTests {
    static let googlePage = "<html><head><title>Google</title></head><body>hello</body></html>"

    @Test func theSeedRequestReachesTheUpstreamUntouchedAndLogsTheSeedsLine() async throws {
        let (bed, google) = try await ProxyTestBed.seeded(body: Self.googlePage)

        let result = try await bed.curl(serverName: "www.google.com")

        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.bodyText.contains("<title>Google</title>"))
        #expect(result.peerCertificateSubject == "CN=www.google.com", "the upstream's own certificate verified")
        let upstreamSide = try #require(google.connections.first)
        #expect(upstreamSide.serverName == "www.google.com")
        #expect(upstreamSide.read.digest == result.written.digest, "client → upstream bytes untouched")
        #expect(upstreamSide.written.digest == result.read.digest, "upstream → client bytes untouched")

        let line = try #require(await bed.accessLogLines(count: 1).first)
        let fields = try #require(AccessLogFormat.istio2019.fields(in: line), "\(line)")
        #expect(fields["RESPONSE_FLAGS"] == "-")
        #expect(fields["UPSTREAM_HOST"] == "127.0.10.1:443", "logs show the simulated address")
        #expect(fields["UPSTREAM_CLUSTER"] == "outbound|443||www.google.com")
        #expect(fields["REQUESTED_SERVER_NAME"] == "www.google.com")
        #expect(fields["BYTES_RECEIVED"] == String(result.written.count))
        #expect(fields["BYTES_SENT"] == String(result.read.count))
        #expect(fields["DOWNSTREAM_LOCAL_ADDRESS"] == "127.0.0.1:\(try #require(bed.gatewayPort))")
        #expect(line.contains(#"] "- - -" 0 - "#))
        try await bed.shutdown()
    }

    @Test func theTelemetryOpenEventAndCountersFollowTheConnection() async throws {
        let (bed, _) = try await ProxyTestBed.seeded(body: Self.googlePage)
        let result = try await bed.curl(serverName: "www.google.com")
        _ = await bed.accessLogLines(count: 1)

        let events = bed.telemetryLog.lines
        #expect(events.count == 2, "open and close: \(events)")
        let open = try #require(events.first)
        #expect(open.contains(#""connectionEvent":"open""#))
        #expect(open.contains(#""destinationIp":"fwAKAQ==""#), "base64 of 127.0.10.1")
        #expect(open.contains(#""requestedServerName":"www.google.com""#))
        #expect(open.contains(#""reporter":"source""#))
        #expect(open.contains(#""sourceIp":"fwAAAQ==""#), "base64 of 127.0.0.1")
        let close = try #require(events.last)
        #expect(close.contains(#""connectionEvent":"close""#))
        #expect(
            close.contains(#""totalReceivedBytes":\#(result.written.count),"totalSentBytes":\#(result.read.count)}"#)
        )
        #expect(close.contains(#""destinationServiceHost":"www.google.com""#))

        let metrics = bed.metrics.exposition()
        #expect(metrics.contains(#"destination_service="www.google.com""#))
        #expect(metrics.contains("istio_tcp_connections_opened_total{"))
        #expect(metrics.contains("istio_tcp_connections_closed_total{"))
        try await bed.shutdown()
    }

    @Test func deletingTheGatewayStopsTheListenerAndNewConnectionsAreRefused() async throws {
        let (bed, _) = try await ProxyTestBed.seeded(body: Self.googlePage)
        let port = try #require(bed.gatewayPort)
        try await bed.delete(.gateway, "front-proxy")
        try await bed.delete(.virtualService, "front-proxy")
        try await bed.delete(.serviceEntry, "google")

        #expect(bed.gatewayPort == nil)
        let result = try await bed.curl.run(
            "curl -s --resolve www.google.com:\(port):127.0.0.1 https://www.google.com:\(port)/"
        )
        #expect(result.exitCode == 7, "connection refused: \(result.stderr)")
        #expect(bed.runtime.openConnections == (0, 0))
        try await bed.shutdown()
    }

    @Test func deletingOnlyTheServiceEntryGivesNC() async throws {
        let bed = try await ProxyTestBed()
        let google = try await bed.upstream(
            "google",
            at: "127.0.10.1:443",
            tlsNames: ["www.google.com"],
            behavior: .echo
        )
        try await bed.applySeed()
        try await bed.delete(.serviceEntry, "google")

        let result = try await bed.curl(serverName: "www.google.com")
        #expect(result.exitCode != 0)
        let line = try #require(await bed.accessLogLines(count: 1).first)
        #expect(AccessLogFormat.istio2019.fields(in: line)?["RESPONSE_FLAGS"] == "NC")
        #expect(google.counts.accepted == 0, "nothing forwarded")
        try await bed.shutdown()
    }
}
