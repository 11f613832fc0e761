import Foundation
import FrontProxy
import FrontProxyTesting
import MeshConfig
import NIOCore
import NIOHTTP1
import Testing

/// The admin API's answers, driven in-process against a runtime with the seed applied.
@Suite struct AdminAPITests {
    private func api() async throws -> (AdminAPI, ProxyRuntime) {
        var configuration = ProxyRuntime.Configuration()
        configuration.listenAddresses = [443: try SocketAddress(ipAddress: "127.0.0.1", port: 0)]
        let metrics = IstioMetrics(identity: .istioIngressGateway())
        let runtime = ProxyRuntime(
            configuration: configuration,
            observability: ProxyObservability(accessLog: nil, metrics: metrics),
            resolver: ClusterEndpointResolver(dns: nil)
        )
        let api = AdminAPI(controlPlane: ControlPlane(runtime: runtime), runtime: runtime, metrics: metrics)
        for file in ProxyTestBed.seedFiles {
            let response = await api.respond(
                to: request(.POST, "/apply", body: try String(contentsOfFile: file, encoding: .utf8))
            )
            #expect(response.status == .ok, "\(response.body)")
        }
        return (api, runtime)
    }

    private func request(_ method: HTTPMethod, _ path: String, body: String = "") -> AdminRequest {
        AdminRequest(method: method, path: path, query: [:], body: Array(body.utf8))
    }

    @Test func configDumpShowsResourcesListenersAndClusters() async throws {
        let (api, runtime) = try await api()
        let response = await api.respond(to: request(.GET, "/config_dump"))
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        #expect((dump["resources"] as? [Any])?.count == 3)
        let clusters = try #require(dump["clusters"] as? [[String: Any]])
        #expect(clusters.first?["name"] as? String == "outbound|443||www.google.com")
        #expect(clusters.first?["type"] as? String == "STRICT_DNS")
        let listeners = try #require(dump["listeners"] as? [[String: Any]])
        #expect(listeners.first?["name"] as? String == "0.0.0.0_443")
        await runtime.stop()
    }

    @Test func listenersAndReadinessAnswerLikeEnvoy() async throws {
        let (api, runtime) = try await api()
        #expect(await api.respond(to: request(.GET, "/ready")).body == "LIVE\n")
        let port = try #require(runtime.boundListeners["0.0.0.0_443"]?.localAddress.port)
        #expect(await api.respond(to: request(.GET, "/listeners")).body == "0.0.0.0_443::127.0.0.1:\(port)\n")
        await runtime.stop()
    }

    @Test func deleteByPathUsesKubectlSpellingsAndReportsNotFound() async throws {
        let (api, runtime) = try await api()
        let deleted = await api.respond(to: request(.DELETE, "/config/se/default/google"))
        #expect(deleted.body == "serviceentry.networking.istio.io \"google\" deleted\n")
        let again = await api.respond(to: request(.DELETE, "/config/se/default/google"))
        #expect(again.status == .notFound)
        #expect(again.body.contains("NotFound"))
        let unknownKind = await api.respond(to: request(.DELETE, "/config/destinationrule/default/x"))
        #expect(unknownKind.status == .badRequest)
        #expect(await api.respond(to: request(.GET, "/nope")).status == .notFound)
        await runtime.stop()
    }

    @Test func anApplyWithAnUnknownFieldIsRejectedWithItsPath() async throws {
        let (api, runtime) = try await api()
        let response = await api.respond(
            to: request(
                .POST,
                "/apply",
                body: """
                    apiVersion: networking.istio.io/v1alpha3
                    kind: VirtualService
                    metadata: {name: front-proxy}
                    spec:
                      hosts: ["*"]
                      gateways: [front-proxy]
                      tls:
                      - match: [{port: 443, snihosts: [www.google.com]}]
                        route: [{destination: {host: www.google.com}}]
                    """
            )
        )
        #expect(response.status == .unprocessableEntity)
        #expect(response.body.contains("spec.tls[0].match[0].snihosts"), "\(response.body)")
        #expect(runtime.currentPlan.listeners.first?.chains.first?.serverNames == ["www.google.com"], "unchanged")
        await runtime.stop()
    }
}
