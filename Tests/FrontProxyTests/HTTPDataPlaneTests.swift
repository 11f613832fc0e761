import Foundation
import FrontProxy
import FrontProxyTesting
import Harness
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// A gateway on port 80 with `web.example` routed to a ServiceEntry at 127.0.20.1:8080, plus a redirect and
/// a catch-all rule, over real loopback sockets.
private func httpBed(
    upstreamBehavior: UpstreamBehavior = .http(HTTPResponder(status: 200, body: "hello")),
    configure: (inout FrontProxyServer.Options) -> Void = { _ in }
) async throws -> (ProxyTestBed, FakeUpstream) {
    let bed = try await ProxyTestBed(configure: configure)
    let upstream = try await bed.upstream("web", at: "127.0.20.1:8080", behavior: upstreamBehavior)
    try await bed.apply(
        yaml: """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web.example]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /old/}}]
                redirect: {prefixRewrite: /new/}
              - match: [{uri: {prefix: /missing}}]
                route: [{destination: {host: missing.internal, port: {number: 80}}}]
              - route: [{destination: {host: web.internal, port: {number: 8080}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web}
            spec:
              hosts: [web.internal]
              ports: [{number: 8080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 127.0.20.1}]
            """
    )
    return (bed, upstream)
}

extension ProxyTestBed {
    fileprivate func httpAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: "127.0.0.1", port: try #require(gatewayPort(for: 80)))
    }

    /// Sends raw bytes on one connection and reads until the proxy closes it (or 2 s pass).
    fileprivate func exchange(_ text: String) async throws -> String {
        let connection = try await ClientConnection.connect(to: try httpAddress())
        try await connection.send(Array(text.utf8))
        let bytes = try await connection.readToEnd(deadline: .now() + .seconds(2))
        await connection.close()
        return String(decoding: bytes, as: UTF8.self)
    }

    fileprivate func curlHTTP(_ arguments: String) async throws -> CurlResult {
        let port = try #require(gatewayPort(for: 80))
        return try await curl.run("curl -s \(arguments.replacingOccurrences(of: "$PORT", with: String(port)))")
    }

    fileprivate func logFields(_ count: Int) async -> [[String: String]] {
        await accessLogLines(count: count).compactMap { AccessLogFormat.istio2019.fields(in: $0) }
    }
}

@Suite(.serialized) struct HTTPDataPlaneTests {
    @Test func aRoutedRequestReachesItsUpstreamWithEnvoysHeadersAndIsLogged() async throws {
        let (bed, upstream) = try await httpBed()
        let result = try await bed.curlHTTP(
            "-i -H 'Host: web.example' -H 'X-Forwarded-For: 10.0.0.9' http://127.0.0.1:$PORT/get?x=1"
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        let response = try #require(result.response)
        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
        #expect(response.headers["server"] == "istio-envoy")
        #expect(response.headers["x-envoy-upstream-service-time"] != nil)
        let request = try #require(upstream.connections.first?.requests.first)
        #expect(request.target == "/get?x=1")
        #expect(request.headers["host"] == "web.example")
        #expect(request.headers["x-forwarded-for"] == "10.0.0.9,127.0.0.1")
        #expect(request.headers["x-forwarded-proto"] == "http")
        #expect(request.headers["x-envoy-attempt-count"] == "1")
        let requestID = try #require(request.headers["x-request-id"])
        #expect(requestID.count == 36)
        let fields = try #require(await bed.logFields(1).first)
        #expect(fields["REQ(:METHOD)"] == "GET")
        #expect(fields["REQ(X-ENVOY-ORIGINAL-PATH?:PATH)"] == "/get?x=1")
        #expect(fields["PROTOCOL"] == "HTTP/1.1")
        #expect(fields["RESPONSE_CODE"] == "200")
        #expect(fields["RESPONSE_FLAGS"] == "-")
        #expect(fields["BYTES_SENT"] == "5")
        #expect(fields["REQ(X-REQUEST-ID)"] == requestID)
        #expect(fields["REQ(:AUTHORITY)"] == "web.example")
        #expect(fields["UPSTREAM_HOST"] == "127.0.20.1:8080")
        #expect(fields["UPSTREAM_CLUSTER"] == "outbound|8080||web.internal")
        let metrics = bed.metrics.exposition()
        #expect(metrics.contains("istio_requests_total{"))
        #expect(metrics.contains(#"response_code="200""#))
        #expect(metrics.contains("istio_request_duration_milliseconds_bucket{"))
        try await bed.shutdown()
    }

    @Test func keepAliveRequestsShareOneUpstreamConnection() async throws {
        let (bed, upstream) = try await httpBed()
        let text = try await bed.exchange(
            "GET /a HTTP/1.1\r\nHost: web.example\r\n\r\nGET /b HTTP/1.1\r\nHost: web.example\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: web.example\r\nConnection: close\r\n\r\n"
        )
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4, "\(text)")
        #expect(upstream.counts.accepted == 1)
        #expect(upstream.connections.first?.requests.map(\.target) == ["/a", "/b", "/c"])
        try await bed.shutdown()
    }

    @Test func removingAClusterClosesItsIdlePooledConnections() async throws {
        let (bed, upstream) = try await httpBed()
        _ = try await bed.exchange("GET /a HTTP/1.1\r\nHost: web.example\r\nConnection: close\r\n\r\n")
        #expect(upstream.counts.accepted == 1)
        #expect(upstream.counts.open == 1, "the upstream connection waits in the pool")
        try await bed.delete(.serviceEntry, "web")
        await bed.eventually { upstream.counts.open == 0 }
        #expect(upstream.counts.open == 0, "the removed cluster's pool is closed")
        try await bed.shutdown()
    }

    @Test func twoClustersOnOneEndpointDoNotShareConnections() async throws {
        let (bed, upstream) = try await httpBed()
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: alias}
                spec:
                  hosts: [alias.example]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: alias.internal, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: alias}
                spec:
                  hosts: [alias.internal]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.20.1}]
                """
        )
        _ = try await bed.exchange(
            "GET /a HTTP/1.1\r\nHost: web.example\r\n\r\nGET /b HTTP/1.1\r\nHost: alias.example\r\nConnection: close\r\n\r\n"
        )
        #expect(upstream.counts.accepted == 2, "Envoy keeps a pool per cluster and host")
        try await bed.shutdown()
    }

    @Test func curlWithSeveralURLsReusesItsConnectionAndTheGatewayReusesTheUpstreams() async throws {
        let (bed, upstream) = try await httpBed()
        let result = try await bed.curlHTTP(
            "-H 'Host: web.example' http://127.0.0.1:$PORT/a http://127.0.0.1:$PORT/b http://127.0.0.1:$PORT/c"
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.earlierResponses.count == 2)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "hellohellohello")
        #expect(upstream.counts.accepted == 1)
        let clients = Set(await bed.logFields(3).compactMap { $0["DOWNSTREAM_REMOTE_ADDRESS"] })
        #expect(clients.count == 1, "one client connection carried the three requests")
        try await bed.shutdown()
    }

    @Test func pipelinedRequestsAreAnsweredInOrderEachRoutedOnItsOwn() async throws {
        let (bed, upstream) = try await httpBed()
        let text = try await bed.exchange(
            "GET /one HTTP/1.1\r\nHost: web.example\r\n\r\n"
                + "GET /old/two HTTP/1.1\r\nHost: web.example\r\n\r\n"
                + "GET /three HTTP/1.1\r\nHost: nowhere.example\r\nConnection: close\r\n\r\n"
        )
        let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["200", "301", "404"], "\(text)")
        #expect(text.contains("location: http://web.example/new/two"))
        #expect(upstream.connections.flatMap(\.requests).map(\.target) == ["/one"])
        try await bed.shutdown()
    }

    @Test func anUnroutedHostIs404NRAndNothingIsForwarded() async throws {
        let (bed, upstream) = try await httpBed()
        for host in ["evil.example", "web.example.evil", "127.0.20.1:8080"] {
            let result = try await bed.curlHTTP("-i -H 'Host: \(host)' http://127.0.0.1:$PORT/")
            #expect(result.response?.status == 404, "\(host)")
        }
        // An absolute-form target names a destination, but only the route table decides: 404.
        let absolute = try await bed.exchange(
            "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        )
        #expect(absolute.hasPrefix("HTTP/1.1 404"), "\(absolute)")
        let connect = try await bed.exchange(
            "CONNECT 127.0.20.1:8080 HTTP/1.1\r\nHost: 127.0.20.1:8080\r\nConnection: close\r\n\r\n"
        )
        #expect(connect.hasPrefix("HTTP/1.1 404"), "\(connect)")
        #expect(upstream.counts.accepted == 0)
        let fields = await bed.logFields(5)
        #expect(fields.allSatisfy { $0["RESPONSE_FLAGS"] == "NR" && $0["RESPONSE_CODE"] == "404" }, "\(fields)")
        try await bed.shutdown()
    }

    @Test func aMissingClusterIs503NC() async throws {
        let (bed, upstream) = try await httpBed()
        let result = try await bed.curlHTTP("-i -H 'Host: web.example' http://127.0.0.1:$PORT/missing")
        #expect(result.response?.status == 503)
        #expect(upstream.counts.accepted == 0)
        #expect(await bed.logFields(1).first?["RESPONSE_FLAGS"] == "NC")
        try await bed.shutdown()
    }

    @Test(arguments: [
        (
            "both Content-Length and Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: web.example\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400
        ),
        (
            "two different Content-Lengths",
            "POST / HTTP/1.1\r\nHost: web.example\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400
        ),
        (
            "an invalid chunk size", "POST / HTTP/1.1\r\nHost: web.example\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400
        ),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: web.example\r\nX-A: 1\r\n 2\r\n\r\n", 400),
        ("a bare LF", "GET / HTTP/1.1\nHost: web.example\n\n", 400),
        ("a bare CR", "GET / HTTP/1.1\r\nHost: web.example\rX: 1\r\n\r\n", 400),
        ("whitespace before a colon", "GET / HTTP/1.1\r\nHost: web.example\r\nX-A : 1\r\n\r\n", 400),
        ("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n", 400),
        (
            "a Transfer-Encoding other than chunked",
            "POST / HTTP/1.1\r\nHost: web.example\r\nTransfer-Encoding: gzip\r\n\r\n", 501
        ),
    ])
    func aSmugglingAttemptIsRejectedBeforeAnythingReachesTheUpstream(
        name: String,
        request: String,
        status: Int
    ) async throws {
        let (bed, upstream) = try await httpBed()
        let text = try await bed.exchange(request)
        #expect(text.hasPrefix("HTTP/1.1 \(status) "), "\(name): \(text)")
        #expect(text.contains("connection: close"), "\(name)")
        #expect(upstream.counts.accepted == 0, "\(name): nothing may reach the upstream")
        let fields = try #require(await bed.logFields(1).first)
        #expect(fields["RESPONSE_FLAGS"] == "DPE", "\(name)")
        #expect(fields["RESPONSE_CODE"] == String(status), "\(name)")
        try await bed.shutdown()
    }

    @Test func headersOver60KiBAre431() async throws {
        let (bed, upstream) = try await httpBed()
        let text = try await bed.exchange(
            "GET / HTTP/1.1\r\nHost: web.example\r\nX-Big: \(String(repeating: "a", count: 61 * 1024))\r\n\r\n"
        )
        #expect(text.hasPrefix("HTTP/1.1 431 "), "\(text.prefix(80))")
        #expect(upstream.counts.accepted == 0)
        try await bed.shutdown()
    }

    @Test func aRequestBodyIsStreamedToTheUpstreamAsSent() async throws {
        let (bed, upstream) = try await httpBed(
            upstreamBehavior: .http(HTTPResponder(status: 200, echoesRequest: true))
        )
        let body = String(repeating: "0123456789", count: 30_000)
        let result = try await bed.curlHTTP("-H 'Host: web.example' -d '\(body)' http://127.0.0.1:$PORT/post")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let request = try #require(upstream.connections.first?.requests.first)
        #expect(request.body == Array(body.utf8))
        #expect(request.method == "POST")
        #expect(await bed.logFields(1).first?["BYTES_RECEIVED"] == String(body.utf8.count))
        try await bed.shutdown()
    }

    @Test func aChunkedRequestBodyPassesInItsOwnFraming() async throws {
        let (bed, upstream) = try await httpBed(upstreamBehavior: .sink)
        let chunked = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
        let connection = try await ClientConnection.connect(to: try bed.httpAddress())
        try await connection.send(
            Array("POST /c HTTP/1.1\r\nHost: web.example\r\nTransfer-Encoding: chunked\r\n\r\n\(chunked)".utf8)
        )
        await bed.eventually {
            upstream.connections.first?.read.bytes.count ?? 0 > 0
                && String(decoding: upstream.connections.first?.read.bytes ?? [], as: UTF8.self).hasSuffix(chunked)
        }
        let received = String(decoding: try #require(upstream.connections.first?.read.bytes), as: UTF8.self)
        #expect(received.hasPrefix("POST /c HTTP/1.1\r\nhost: web.example\r\n"))
        #expect(received.contains("transfer-encoding: chunked\r\n"))
        #expect(received.hasSuffix("\r\n\r\n" + chunked))
        await connection.close()
        try await bed.shutdown()
    }

    @Test func anUnreachableUpstreamIs503UFURXAfterIstiosRetries() async throws {
        let (bed, upstream) = try await httpBed()
        await upstream.stop()
        let result = try await bed.curlHTTP("-i -H 'Host: web.example' http://127.0.0.1:$PORT/")
        #expect(result.response?.status == 503)
        #expect(
            result.response.map { String(decoding: $0.body, as: UTF8.self) }?.hasPrefix("upstream connect error")
                == true
        )
        let fields = try #require(await bed.logFields(1).first)
        #expect(fields["RESPONSE_FLAGS"] == "UF,URX", "\(fields)")
        try await bed.shutdown()
    }

    @Test func aRouteTimeoutIs504UTOnTheManualClock() async throws {
        let (bed, upstream) = try await httpBed()
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: slow}
                spec:
                  hosts: [slow.example]
                  gateways: [gw]
                  http:
                  - timeout: 2s
                    route: [{destination: {host: web.internal, port: {number: 8080}}}]
                """
        )
        try await upstream.setFault(.stall)
        let connection = try await ClientConnection.connect(to: try bed.httpAddress())
        try await connection.send(Array("GET / HTTP/1.1\r\nHost: slow.example\r\n\r\n".utf8))
        // The head reached the upstream: the route timeout is running on the manual clock.
        await bed.eventually { upstream.connections.first?.read.count ?? 0 > 0 }
        await bed.advanceClock(by: .seconds(3))
        let text = String(decoding: try await connection.read(deadline: .now() + .seconds(2)) ?? [], as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 504 Gateway Timeout"), "\(text)")
        #expect(text.hasSuffix("upstream request timeout"))
        await connection.close()
        #expect(await bed.logFields(1).first?["RESPONSE_FLAGS"] == "UT")
        try await bed.shutdown()
    }

    /// A second VirtualService and ServiceEntry on `fault.example`, to an upstream with `fault`.
    private func faultyRoute(
        _ bed: ProxyTestBed,
        fault: UpstreamFault,
        body: String = "slow"
    ) async throws
        -> FakeUpstream
    {
        let upstream = try await bed.upstream(
            "faulty",
            at: "127.0.20.4:8080",
            behavior: .http(HTTPResponder(body: body)),
            fault: fault
        )
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: faulty}
                spec:
                  hosts: [fault.example]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: faulty.internal, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: faulty}
                spec:
                  hosts: [faulty.internal]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.20.4}]
                """
        )
        return upstream
    }

    @Test func aClusterAtItsConnectionCapAnswers503UOWithoutConnecting() async throws {
        let (bed, _) = try await httpBed { $0.runtime.maximumConnectionsPerCluster = 1 }
        let upstream = try await faultyRoute(bed, fault: .delayResponse(.seconds(30)))
        let first = try await ClientConnection.connect(to: try bed.httpAddress())
        try await first.send(Array("GET /held HTTP/1.1\r\nHost: fault.example\r\n\r\n".utf8))
        await bed.eventually { upstream.connections.first?.requests.isEmpty == false }
        let text = try await bed.exchange("GET /second HTTP/1.1\r\nHost: fault.example\r\nConnection: close\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(text)")
        #expect(text.hasSuffix("upstream connect error or disconnect/reset before headers. reset reason: overflow"))
        #expect(upstream.counts.accepted == 1, "the request over the cap opened no upstream connection")
        let line = try #require(await bed.logFields(1).first)
        #expect(line["RESPONSE_FLAGS"] == "UO")
        await first.close()
        try await bed.shutdown()
    }

    @Test func anUpstreamResetBeforeTheResponseIs503UC() async throws {
        let (bed, _) = try await httpBed()
        _ = try await faultyRoute(bed, fault: .resetAfterReading(bytes: 1))
        let text = try await bed.exchange("GET / HTTP/1.1\r\nHost: fault.example\r\nConnection: close\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(text)")
        #expect(text.hasSuffix("reset reason: connection termination"))
        let line = try #require(await bed.logFields(1).first)
        #expect(line["RESPONSE_FLAGS"] == "UC")
        try await bed.shutdown()
    }

    @Test func anUpstreamThatEndsMidBodyClosesTheClientAndIsLoggedUC() async throws {
        let (bed, _) = try await httpBed()
        let upstream = try await RawTestUpstream.start(
            host: "127.0.20.5",
            mode: .greetThenHalfClose(greeting: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".utf8))
        )
        try bed.addressMap.register(try SimulatedAddress(parsing: "127.0.20.5:8080"), at: upstream.address)
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: short}
                spec:
                  hosts: [short.example]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: short.internal, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: short}
                spec:
                  hosts: [short.internal]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.20.5}]
                """
        )
        let text = try await bed.exchange("GET / HTTP/1.1\r\nHost: short.example\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"), "the head had been sent on: \(text)")
        #expect(text.hasSuffix("\r\n\r\npartial"), "the client gets what came, then the close")
        let line = try #require(await bed.logFields(1).first)
        #expect(line["RESPONSE_FLAGS"] == "UC")
        #expect(line["RESPONSE_CODE"] == "200")
        await upstream.stop()
        try await bed.shutdown()
    }

    @Test func aClientGoneBeforeTheResponseIsLoggedDCAndTheUpstreamRequestEnds() async throws {
        let (bed, _) = try await httpBed()
        let upstream = try await faultyRoute(bed, fault: .delayResponse(.seconds(30)))
        let client = try await ClientConnection.connect(to: try bed.httpAddress())
        try await client.send(Array("GET /slow HTTP/1.1\r\nHost: fault.example\r\n\r\n".utf8))
        await bed.eventually { upstream.connections.first?.requests.isEmpty == false }
        await client.close()
        let line = try #require(await bed.logFields(1).first)
        #expect(line["RESPONSE_FLAGS"] == "DC")
        #expect(line["RESPONSE_CODE"] == "0", "no response was sent")
        await bed.eventually { bed.runtime.openConnections.upstream == 0 }
        #expect(bed.runtime.openConnections.upstream == 0, "the upstream request is reset with the client's")
        try await bed.shutdown()
    }

    @Test func expectContinueIsAnsweredByTheGatewayAndNotForwarded() async throws {
        let (bed, upstream) = try await httpBed(
            upstreamBehavior: .http(HTTPResponder(status: 200, echoesRequest: true))
        )
        let connection = try await ClientConnection.connect(to: try bed.httpAddress())
        try await connection.send(
            Array("PUT /u HTTP/1.1\r\nHost: web.example\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n".utf8)
        )
        let interim = String(decoding: try await connection.read(deadline: .now() + .seconds(2)) ?? [], as: UTF8.self)
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
        try await connection.send(Array("hello".utf8))
        await bed.eventually { !(upstream.connections.first?.requests.isEmpty ?? true) }
        let request = try #require(upstream.connections.first?.requests.first)
        #expect(request.body == Array("hello".utf8))
        #expect(request.headers["expect"] == nil, "Envoy consumes Expect itself")
        await connection.close()
        try await bed.shutdown()
    }

    @Test func aWebSocketUpgradeIsTunnelledAfterRoutingAndEachDirectionEndsOnItsOwn() async throws {
        let (bed, _) = try await httpBed()
        let tunnel = try await RawTestUpstream.start(
            host: "127.0.20.3",
            mode: .greetThenHalfClose(
                greeting: Array(
                    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nframe-from-server"
                        .utf8
                )
            )
        )
        try bed.addressMap.register(try SimulatedAddress(parsing: "127.0.20.3:9000"), at: tunnel.address)
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ws}
                spec:
                  hosts: [ws.example]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: ws.internal, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ws}
                spec:
                  hosts: [ws.internal]
                  ports: [{number: 9000, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.20.3}]
                """
        )
        let connection = try await ClientConnection.connect(to: try bed.httpAddress())
        try await connection.send(
            Array("GET /chat HTTP/1.1\r\nHost: ws.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n".utf8)
        )
        var received: [UInt8] = []
        let deadline = NIODeadline.now() + .seconds(3)
        while !String(decoding: received, as: UTF8.self).contains("frame-from-server"),
            let more = try? await connection.read(deadline: deadline)
        {
            received += more
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), "\(text)")
        #expect(text.lowercased().contains("upgrade: websocket"))
        #expect(text.hasSuffix("frame-from-server"), "bytes after the 101 flow through the tunnel")
        // The server shut its write side after its frame: the client sees that end of file, and the other
        // direction stays open.
        let rest = try await connection.readToEnd(deadline: .now() + .seconds(3))
        #expect(rest.isEmpty, "the upstream's FIN reaches the client with nothing after it")
        await bed.eventually { tunnel.bytesReceived > 0 }
        let upgradeRequestBytes = tunnel.bytesReceived
        try await connection.send(Array("frame-from-client".utf8))
        try await connection.closeOutput()
        await bed.eventually { tunnel.sawEOF }
        #expect(tunnel.sawEOF, "the client's FIN is passed on as a shutdown of the upstream's write side")
        #expect(
            tunnel.bytesReceived == upgradeRequestBytes + "frame-from-client".utf8.count,
            "the client's frame sent after the server's FIN still went up"
        )
        await connection.close()
        await tunnel.stop()
        try await bed.shutdown()
    }

    @Test func aMirrorGetsACopyWhileTheClientGetsThePrimaryResponse() async throws {
        let (bed, primary) = try await httpBed()
        let mirror = try await bed.upstream(
            "mirror",
            at: "127.0.20.2:8080",
            behavior: .http(HTTPResponder(status: 500))
        )
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: mirrored}
                spec:
                  hosts: [mirrored.example]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: web.internal, port: {number: 8080}}}]
                    mirror: {host: mirror.internal, port: {number: 8080}}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: mirror}
                spec:
                  hosts: [mirror.internal]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.20.2}]
                """
        )
        let result = try await bed.curlHTTP("-i -H 'Host: mirrored.example' -d 'copy me' http://127.0.0.1:$PORT/m")
        #expect(result.response?.status == 200, "the mirror's 500 is never seen")
        await bed.eventually { !(mirror.connections.first?.requests.isEmpty ?? true) }
        #expect(primary.connections.first?.requests.first?.body == Array("copy me".utf8))
        #expect(mirror.connections.first?.requests.first?.body == Array("copy me".utf8))
        #expect(mirror.connections.first?.requests.first?.target == "/m")
        try await bed.shutdown()
    }

    @Test func a503IsRetriedUnderTheRoutesPolicyAndURXWhenExhausted() async throws {
        let (bed, upstream) = try await httpBed(upstreamBehavior: .http(HTTPResponder(status: 503, body: "busy")))
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: retried}
                spec:
                  hosts: [retried.example]
                  gateways: [gw]
                  http:
                  - retries: {attempts: 2, retryOn: "503"}
                    route: [{destination: {host: web.internal, port: {number: 8080}}}]
                """
        )
        let result = try await bed.curlHTTP("-i -H 'Host: retried.example' http://127.0.0.1:$PORT/")
        #expect(result.response?.status == 503)
        #expect(upstream.connections.flatMap(\.requests).count == 3, "the first try and two retries")
        #expect(
            upstream.connections.flatMap(\.requests).compactMap { $0.headers["x-envoy-attempt-count"] } == [
                "1", "2", "3",
            ]
        )
        #expect(await bed.logFields(1).first?["RESPONSE_FLAGS"] == "URX")
        try await bed.shutdown()
    }

    @Test func aFullFaultAbortAndACORSPreflightAreAnsweredByTheGateway() async throws {
        let (bed, upstream) = try await httpBed()
        try await bed.apply(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: filtered}
                spec:
                  hosts: [filtered.example]
                  gateways: [gw]
                  http:
                  - match: [{uri: {prefix: /abort}}]
                    fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                    route: [{destination: {host: web.internal, port: {number: 8080}}}]
                  - corsPolicy: {allowOrigins: [{exact: "https://app.example"}], allowMethods: [GET, PUT], maxAge: 60s}
                    route: [{destination: {host: web.internal, port: {number: 8080}}}]
                """
        )
        let abort = try await bed.curlHTTP("-i -H 'Host: filtered.example' http://127.0.0.1:$PORT/abort")
        #expect(abort.response?.status == 418)
        #expect(abort.response.map { String(decoding: $0.body, as: UTF8.self) } == "fault filter abort")
        let preflight = try await bed.curlHTTP(
            "-i -X OPTIONS -H 'Host: filtered.example' -H 'Origin: https://app.example' "
                + "-H 'Access-Control-Request-Method: PUT' http://127.0.0.1:$PORT/x"
        )
        #expect(preflight.response?.status == 200)
        #expect(preflight.response?.headers["access-control-allow-origin"] == "https://app.example")
        #expect(preflight.response?.headers["access-control-allow-methods"] == "GET,PUT")
        #expect(preflight.response?.headers["access-control-max-age"] == "60")
        let simple = try await bed.curlHTTP(
            "-i -H 'Host: filtered.example' -H 'Origin: https://app.example' http://127.0.0.1:$PORT/x"
        )
        #expect(simple.response?.headers["access-control-allow-origin"] == "https://app.example")
        #expect(upstream.connections.flatMap(\.requests).count == 1, "only the simple request went upstream")
        let flags = await bed.logFields(3).map { $0["RESPONSE_FLAGS"] ?? "?" }
        #expect(flags == ["FI", "-", "-"])
        try await bed.shutdown()
    }
}

@Suite(.serialized) struct DownstreamConnectionCapTests {
    @Test func connectionsOverTheCapAreClosedAtAcceptAndTheAcceptedOnesStillWork() async throws {
        let (bed, upstream) = try await ProxyTestBed.seeded { $0.runtime.maximumDownstreamConnections = 1 }
        let gateway = try bed.gatewayAddress()
        let held = try await ClientConnection.connect(to: gateway)
        await bed.eventually { bed.runtime.openConnections.downstream == 1 }
        let refused = try await ClientConnection.connect(to: gateway)
        let bytes = try await refused.readToEnd(deadline: .now() + .seconds(2))
        #expect(bytes.isEmpty, "closed at accept without a byte")
        await refused.close()
        await held.close()
        await bed.eventually { bed.runtime.openConnections.downstream == 0 }
        let result = try await bed.curl(serverName: "www.google.com")
        #expect(result.exitCode == 0, "under the cap again: \(result.stderr)")
        #expect(upstream.counts.accepted == 1)
        try await bed.shutdown()
    }
}
