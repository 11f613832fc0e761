import Foundation
import FrontProxy
import FrontProxyTesting
import Harness
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// The splice itself: untouched bytes at volume, half-close both ways, backpressure, plan changes with
/// live connections. Clients speak raw TCP: a ClientHello record to be routed, then arbitrary bytes.
@Suite(.serialized) struct ProxyRuntimeDataPathTests {
    /// A bed routing `echo.example` to a plain TCP upstream at 127.0.10.2:443 (STATIC endpoint).
    private func bed(
        upstreamAddress: String = "127.0.10.2:443",
        configure: (inout FrontProxyServer.Options) -> Void = { _ in }
    ) async throws -> ProxyTestBed {
        let bed = try await ProxyTestBed(configure: configure)
        try await bed.apply(yaml: Self.echoConfig)
        return bed
    }

    static let echoConfig = """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: gw}
        spec:
          servers:
          - port: {number: 443, name: tls, protocol: TLS}
            tls: {mode: PASSTHROUGH}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: echo}
        spec:
          hosts: ["*"]
          gateways: [gw]
          tls:
          - match: [{port: 443, sniHosts: [echo.example]}]
            route: [{destination: {host: echo.example, port: {number: 443}}}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: ServiceEntry
        metadata: {name: echo}
        spec:
          hosts: [echo.example]
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: STATIC
          location: MESH_EXTERNAL
          endpoints: [{address: 127.0.10.2}]
        """

    /// Connects through the gateway and sends the ClientHello for `echo.example`.
    private func connect(_ bed: ProxyTestBed) async throws -> ClientConnection {
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await client.send(clientHelloRecord(serverName: "echo.example"))
        return client
    }

    @Test func a100MegabyteTransferArrivesUntouchedBothWays() async throws {
        let bed = try await bed()
        let echo = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let client = try await connect(bed)
        let reader = Task {
            var total = 0
            while let bytes = try await client.read(deadline: .now() + .seconds(60)) { total += bytes.count }
            return total
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for index in 0..<100 {
            for offset in stride(from: 0, to: chunk.count, by: 4096) {
                chunk[offset] = UInt8(truncatingIfNeeded: index &+ offset)
            }
            try await client.send(chunk)
        }
        try await client.closeOutput()
        let echoed = try await reader.value
        let captured = await client.captured
        #expect(captured.written.count == 100 * (1 << 20) + clientHelloRecord(serverName: "echo.example").count)
        #expect(echoed == captured.written.count)
        let upstreamSide = try #require(echo.connections.first)
        #expect(upstreamSide.read.digest == captured.written.digest, "client → upstream untouched")
        #expect(upstreamSide.written.digest == captured.read.digest, "upstream → client untouched")
        await client.close()
        let line = try #require(await bed.accessLogLines(count: 1).first)
        #expect(AccessLogFormat.istio2019.fields(in: line)?["BYTES_RECEIVED"] == String(captured.written.count))
        try await bed.shutdown()
    }

    @Test func aClientHalfCloseReachesTheUpstreamAndItsReplyStillFlowsBack() async throws {
        let bed = try await bed()
        _ = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let client = try await connect(bed)
        try await client.send(Array("last words".utf8))
        try await client.closeOutput()
        let reply = try await client.readToEnd(deadline: .now() + .seconds(5))
        #expect(String(decoding: reply, as: UTF8.self).hasSuffix("last words"))
        await client.close()
        try await bed.shutdown()
    }

    @Test func anUpstreamHalfCloseReachesTheClientWhichCanStillSend() async throws {
        let bed = try await bed()
        let upstream = try await RawTestUpstream.start(
            host: "127.0.10.2",
            mode: .greetThenHalfClose(greeting: Array("hello from upstream".utf8))
        )
        try bed.addressMap.register(SimulatedAddress(ip: "127.0.10.2", port: 443), at: upstream.address)
        let client = try await connect(bed)
        let greeting = try await client.readToEnd(deadline: .now() + .seconds(5))
        #expect(String(decoding: greeting, as: UTF8.self) == "hello from upstream", "then EOF")
        try await client.send([UInt8](repeating: 7, count: 1000))
        try await client.closeOutput()
        await bed.eventually { upstream.sawEOF }
        #expect(upstream.bytesReceived == clientHelloRecord(serverName: "echo.example").count + 1000)
        #expect(upstream.sawEOF)
        await client.close()
        await upstream.stop()
        try await bed.shutdown()
    }

    @Test func anOpaqueTCPListenerConnectsAtOnceSoTheServerCanSpeakFirst() async throws {
        let bed = try await ProxyTestBed()
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1beta1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  servers:
                  - port: {number: 443, name: tcp, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1beta1
                kind: VirtualService
                metadata: {name: db}
                spec:
                  hosts: ["*"]
                  gateways: [gw]
                  tcp:
                  - match: [{port: 443}]
                    route: [{destination: {host: db.example, port: {number: 5432}}}]
                ---
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata: {name: db}
                spec:
                  hosts: [db.example]
                  ports: [{number: 5432, name: tcp, protocol: TCP}]
                  resolution: STATIC
                  location: MESH_EXTERNAL
                  endpoints: [{address: 127.0.10.3}]
                """
        )
        let upstream = try await RawTestUpstream.start(
            host: "127.0.10.3",
            mode: .greetThenHalfClose(greeting: Array("server speaks first".utf8))
        )
        try bed.addressMap.register(SimulatedAddress(ip: "127.0.10.3", port: 5432), at: upstream.address)
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        // The client sends nothing: a database-style server greets first, and the proxy must not wait.
        let greeting = try await client.readToEnd(deadline: .now() + .seconds(5))
        #expect(String(decoding: greeting, as: UTF8.self) == "server speaks first")
        try await client.send(Array("reply".utf8))
        try await client.closeOutput()
        await bed.eventually { upstream.sawEOF }
        #expect(upstream.bytesReceived == 5)
        let line = try #require(await bed.accessLogLines(count: 1).first)
        let fields = try #require(AccessLogFormat.istio2019.fields(in: line))
        #expect(fields["UPSTREAM_CLUSTER"] == "outbound|5432||db.example")
        #expect(fields["REQUESTED_SERVER_NAME"] == "-")
        #expect(fields["BYTES_SENT"] == "19")
        await client.close()
        await upstream.stop()
        try await bed.shutdown()
    }

    @Test func anIPv6ClientAndUpstreamAreProxiedAndLoggedWithTheirAddresses() async throws {
        let listenAddress = try SocketAddress(ipAddress: "::1", port: 0)
        let bed = try await ProxyTestBed { $0.runtime.listenAddresses[443] = listenAddress }
        try await bed.apply(yaml: Self.echoConfig.replacingOccurrences(of: "127.0.10.2", with: "\"::1\""))
        let upstream = try await RawTestUpstream.start(
            host: "::1",
            mode: .greetThenHalfClose(greeting: Array("hello over IPv6".utf8))
        )
        try bed.addressMap.register(SimulatedAddress(ip: "::1", port: 443), at: upstream.address)
        let port = try #require(bed.gatewayPort)
        let client = try await ClientConnection.connect(to: try SocketAddress(ipAddress: "::1", port: port))
        try await client.send(clientHelloRecord(serverName: "echo.example"))

        let greeting = try await client.readToEnd(deadline: .now() + .seconds(5))
        #expect(String(decoding: greeting, as: UTF8.self) == "hello over IPv6")
        try await client.closeOutput()
        await bed.eventually { upstream.sawEOF }
        await client.close()

        let line = try #require(await bed.accessLogLines(count: 1).first)
        let fields = try #require(AccessLogFormat.istio2019.fields(in: line))
        #expect(fields["UPSTREAM_HOST"] == "[::1]:443")
        #expect(fields["DOWNSTREAM_LOCAL_ADDRESS"] == "[::1]:\(port)")
        #expect(fields["DOWNSTREAM_REMOTE_ADDRESS"]?.hasPrefix("[::1]:") == true, "\(line)")
        #expect(fields["UPSTREAM_LOCAL_ADDRESS"]?.hasPrefix("[::1]:") == true, "\(line)")
        await upstream.stop()
        try await bed.shutdown()
    }

    @Test func anUpstreamThatDoesNotReadStopsTheProxyReadingTheClient() async throws {
        let bed = try await bed()
        let upstream = try await RawTestUpstream.start(host: "127.0.10.2", mode: .neverRead)
        try bed.addressMap.register(SimulatedAddress(ip: "127.0.10.2", port: 443), at: upstream.address)
        let client = try await connect(bed)
        let writer = Task {
            let chunk = [UInt8](repeating: 1, count: 1 << 20)
            for _ in 0..<64 { try await client.send(chunk) }
        }
        try await Task.sleep(for: .seconds(1))
        writer.cancel()
        await client.reset()
        let line = try #require(await bed.accessLogLines(count: 1).first)
        let received = try #require(Int(AccessLogFormat.istio2019.fields(in: line)?["BYTES_RECEIVED"] ?? ""))
        #expect(received < 24 << 20, "the proxy read \(received) bytes while its upstream read none")
        #expect(received > 0)
        await upstream.stop()
        try await bed.shutdown()
    }

    @Test func deletingTheGatewayRefusesNewConnectionsAndDrainsLiveOnes() async throws {
        let bed = try await bed { $0.runtime.drainTime = .milliseconds(500) }
        _ = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let live = try await connect(bed)
        #expect(try await live.read(deadline: .now() + .seconds(5)) != nil, "the ClientHello echoed")
        let gateway = try bed.gatewayAddress()

        try await bed.delete(.gateway, "gw")

        await #expect(throws: ClientConnectionError.self) { _ = try await ClientConnection.connect(to: gateway) }
        await bed.advanceClock(by: .milliseconds(499))
        try await live.send(Array("still flowing".utf8))
        let during = try await live.read(deadline: .now() + .seconds(5))
        #expect(during.map { String(decoding: $0, as: UTF8.self) } == "still flowing", "flows until the drain time")
        await bed.advanceClock(by: .milliseconds(1))
        let afterDrain = try? await live.readToEnd(deadline: .now() + .seconds(5))
        #expect(afterDrain == [], "closed by the proxy once the drain time passed")
        await bed.eventually { bed.runtime.openConnections == (0, 0) }
        #expect(bed.runtime.openConnections == (0, 0))
        await live.close()
        try await bed.shutdown()
    }

    @Test func connectionsOnUnchangedChainsSurviveAPlanChange() async throws {
        let bed = try await bed { $0.runtime.drainTime = .milliseconds(200) }
        _ = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let live = try await connect(bed)
        _ = try await live.read(deadline: .now() + .seconds(5))
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata: {name: other}
                spec:
                  hosts: [other.example]
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.10.3}]
                """
        )
        await bed.advanceClock(by: .milliseconds(400))
        try await live.send(Array("after the change".utf8))
        let echoed = try await live.read(deadline: .now() + .seconds(5))
        #expect(echoed.map { String(decoding: $0, as: UTF8.self) } == "after the change")
        await live.close()
        try await bed.shutdown()
    }
}

/// Timers of a live connection: periodic telemetry and the idle timeout.
@Suite(.serialized) struct ProxyRuntimeTimerTests {
    @Test func aLiveConnectionReportsContinueEventsWithDeltas() async throws {
        let bed = try await ProxyTestBed()
        try await bed.apply(yaml: ProxyRuntimeDataPathTests.echoConfig)
        _ = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await client.send(clientHelloRecord(serverName: "echo.example"))
        _ = try await client.read(deadline: .now() + .seconds(5))
        func continues() -> Int { bed.telemetryLog.lines.filter { $0.contains(#""continue""#) }.count }
        await bed.advanceClock(by: .seconds(9))
        #expect(continues() == 0, "Mixer reports every 10 s")
        await bed.advanceClock(by: .seconds(1))
        #expect(continues() == 1)
        try await client.send([UInt8](repeating: 1, count: 100))
        _ = try await client.read(deadline: .now() + .seconds(5))
        await bed.advanceClock(by: .seconds(10))
        #expect(continues() == 2)
        await client.close()
        _ = await bed.accessLogLines(count: 1)
        let events = bed.telemetryLog.lines.compactMap { line -> String? in
            guard let range = line.range(of: #""connectionEvent":""#) else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(events.first == "open")
        #expect(events.last == "close")
        #expect(events.filter { $0 == "continue" }.count >= 2, "\(events)")
        // Mixer's accounting: `open` and the first `continue` count from zero, later ones from the previous
        // `continue`, so the continue deltas plus the close delta add up to the total.
        let total = clientHelloRecord(serverName: "echo.example").count + 100
        func number(_ key: String, _ line: String) -> Int? {
            guard let range = line.range(of: "\"\(key)\":") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        let lines = bed.telemetryLog.lines
        let continues = lines.filter { $0.contains(#""connectionEvent":"continue""#) }
        let close = try #require(lines.last)
        #expect(number("totalReceivedBytes", close) == total)
        #expect(
            continues.compactMap { number("receivedBytes", $0) }.reduce(0, +) + (number("receivedBytes", close) ?? 0)
                == total
        )
        #expect(number("receivedBytes", lines[0]) == number("totalReceivedBytes", lines[0]), "open counts from zero")
        try await bed.shutdown()
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let bed = try await ProxyTestBed()
        try await bed.apply(yaml: ProxyRuntimeDataPathTests.echoConfig)
        _ = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await client.send(clientHelloRecord(serverName: "echo.example"))
        _ = try await client.read(deadline: .now() + .seconds(5))
        await bed.advanceClock(by: .seconds(3599))
        #expect(bed.runtime.openConnections == (1, 1), "open until an hour without a byte (tcp_proxy's default)")
        await bed.advanceClock(by: .seconds(1))
        #expect(try await client.readToEnd(deadline: .now() + .seconds(5)).isEmpty, "closed by the proxy")
        await client.close()
        await bed.eventually { bed.runtime.openConnections == (0, 0) }
        #expect(bed.runtime.openConnections == (0, 0))
        try await bed.shutdown()
    }
}
