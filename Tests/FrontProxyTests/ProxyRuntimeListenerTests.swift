import FrontProxy
import FrontProxyTesting
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// Listeners across plan changes.
@Suite(.serialized) struct ProxyRuntimeListenerTests {
    @Test func aListenerOnAnEphemeralPortKeepsItsPortWhenThePlanChanges() async throws {
        let bed = try await ProxyTestBed()
        try await bed.applySeed()
        let before = try #require(bed.gatewayPort)
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
        #expect(
            bed.gatewayPort == before,
            "the gateway moved from port \(before) to \(String(describing: bed.gatewayPort))"
        )
        try await bed.shutdown()
    }
}
