import FrontProxy
import MeshConfig
import NIOCore
import TestWorld
import Testing

/// Istio resolutions: DNS (STRICT_DNS), DNS_ROUND_ROBIN (LOGICAL_DNS), STATIC, NONE.
@Suite struct ResolverClusterEndpointsTests {
    typealias Support = ResolverTestSupport

    private func cluster(_ resolution: ClusterResolution, _ endpoints: [EndpointPlan]) -> ClusterPlan {
        ClusterPlan(
            name: "outbound|443||www.example.com",
            host: "www.example.com",
            port: 443,
            resolution: resolution,
            endpoints: endpoints,
            serviceEntry: ResourceRef(namespace: "default", name: "example")
        )
    }

    private func addresses(_ resolver: ClusterEndpointResolver, _ cluster: ClusterPlan) async throws -> [String] {
        try await resolver.endpoints(of: cluster, on: Support.eventLoop).get().map(\.address.description)
    }

    @Test func strictDNSMakesEveryAnswerAnEndpointWithTheClusterPort() async throws {
        try await Support.withStubAndResolver { server, dns in
            try server.setRecords([.a("127.0.10.1"), .a("127.0.10.2"), .a("127.0.10.3")], for: "www.example.com")
            let resolver = ClusterEndpointResolver(dns: dns)
            let plan = cluster(.strictDNS, [EndpointPlan(address: "www.example.com", port: 443, needsResolution: true)])
            #expect(try await addresses(resolver, plan) == ["127.0.10.1:443", "127.0.10.2:443", "127.0.10.3:443"])
            #expect(try await addresses(resolver, plan).count == 3)
            #expect(try server.queryCount(for: "www.example.com") == 1, "the second lookup is a cache hit")
        }
    }

    @Test func logicalDNSUsesOnlyTheFirstAnswer() async throws {
        try await Support.withStubAndResolver { server, dns in
            try server.setRecords([.a("127.0.10.1"), .a("127.0.10.2")], for: "www.example.com")
            let plan = cluster(
                .logicalDNS,
                [EndpointPlan(address: "www.example.com", port: 8443, needsResolution: true)]
            )
            #expect(try await addresses(ClusterEndpointResolver(dns: dns), plan) == ["127.0.10.1:8443"])
        }
    }

    @Test func staticEndpointsNeedNoDNSAndKeepTheirWeights() async throws {
        let plan = cluster(
            .static,
            [
                EndpointPlan(address: "127.0.0.5", port: 80, needsResolution: false, weight: 3),
                EndpointPlan(address: "::1", port: 81, needsResolution: false),
            ]
        )
        let endpoints = try await ClusterEndpointResolver(dns: nil).endpoints(of: plan, on: Support.eventLoop).get()
        #expect(endpoints.map(\.address.description) == ["127.0.0.5:80", "[::1]:81"])
        #expect(endpoints.map(\.weight) == [3, 0])
    }

    @Test func resolutionNoneHasNothingToConnectTo() async throws {
        let plan = cluster(.none, [])
        #expect(try await addresses(ClusterEndpointResolver(dns: nil), plan).isEmpty)
    }

    @Test func dnsFailureReachesTheCaller() async throws {
        try await Support.withStubAndResolver { server, dns in
            let plan = cluster(
                .strictDNS,
                [EndpointPlan(address: "missing.example.com", port: 443, needsResolution: true)]
            )
            await #expect(
                throws: ResolverError(name: "missing.example.com", nameserver: server.localAddress, reason: .nameError)
            ) {
                try await ClusterEndpointResolver(dns: dns).endpoints(of: plan, on: Support.eventLoop).get()
            }
        }
    }

    @Test func aDNSClusterWithoutAResolverSaysSo() async {
        let plan = cluster(.strictDNS, [EndpointPlan(address: "www.example.com", port: 443, needsResolution: true)])
        await #expect(throws: ResolverError(name: "www.example.com", nameserver: nil, reason: .noNameservers)) {
            try await ClusterEndpointResolver(dns: nil).endpoints(of: plan, on: Support.eventLoop).get()
        }
    }
}
