import Foundation
import FrontProxy
import FrontProxyTesting
import Harness
import NIOCore
import TestWorld
import Testing

/// Real ClientHellos captured from clients nobody here wrote (openssl, curl, gnutls-cli, python3, a
/// post-quantum OpenSSL 4 hello, a hello fragmented into records) are routed by their SNI and reach the
/// upstream byte for byte; those without SNI, or with a trailing dot, get NR.
@Suite(.serialized) struct ProxyRuntimeCapturedClientHelloTests {
    struct Capture: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        var serverName: String?
        var testDescription: String { file }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/clienthello")

    static let captures: [Capture] =
        (try? JSONDecoder().decode(
            [Capture].self,
            from: Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        )) ?? []

    static let config = """
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
        metadata: {name: captured}
        spec:
          hosts: ["*"]
          gateways: [gw]
          tls:
          - match: [{sniHosts: [www.example.com, frag.example.com, pq.example.com]}]
            route: [{destination: {host: captured.internal, port: {number: 443}}}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: ServiceEntry
        metadata: {name: captured}
        spec:
          hosts: [captured.internal]
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: STATIC
          endpoints: [{address: 127.0.10.7}]
        """

    @Test func theManifestListsTheCaptures() {
        #expect(Self.captures.count >= 15)
    }

    @Test(arguments: captures)
    func aCapturedClientHelloRoutesOnItsServerName(capture: Capture) async throws {
        let bed = try await ProxyTestBed()
        try await bed.apply(yaml: Self.config)
        let upstream = try await bed.upstream("captured", at: "127.0.10.7:443", behavior: .sink)
        let hello = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(capture.file)))
        let client = try await ClientConnection.connect(to: try bed.gatewayAddress())
        try await client.send(hello)
        let routed = capture.serverName.map { !$0.hasSuffix(".") } ?? false
        if routed {
            await bed.eventually { upstream.connections.first?.read.count == hello.count }
            #expect(upstream.connections.first?.read.digest == SHA256Digest(of: hello), "forwarded untouched")
        } else {
            #expect(try await client.readToEnd(deadline: .now() + .seconds(5)).isEmpty, "closed")
            #expect(upstream.counts.accepted == 0, "nothing forwarded")
        }
        await client.close()
        let line = try #require(await bed.accessLogLines(count: 1).first)
        let fields = try #require(AccessLogFormat.istio2019.fields(in: line))
        #expect(fields["RESPONSE_FLAGS"] == (routed ? "-" : "NR"), "\(line)")
        #expect(fields["REQUESTED_SERVER_NAME"] == capture.serverName ?? "-")
        try await bed.shutdown()
    }
}
