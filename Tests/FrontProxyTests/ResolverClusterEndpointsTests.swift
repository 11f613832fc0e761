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
            source: ServiceSource(kind: .serviceEntry, resource: ResourceRef(namespace: "default", name: "example"))
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

    @Test func dnsEndpointsAreImmediateOnceCachedAndUntilTheyExpire() async throws {
        let clock = ResolverManualClock()
        try await Support.withStubAndResolver(clock: clock) { server, dns in
            try server.setRecords([.a("127.0.10.1", ttl: 30), .a("127.0.10.2", ttl: 30)], for: "www.example.com")
            let resolver = ClusterEndpointResolver(dns: dns)
            let strict = cluster(
                .strictDNS,
                [EndpointPlan(address: "www.example.com", port: 443, needsResolution: true)]
            )
            let logical = cluster(.logicalDNS, strict.endpoints)
            #expect(resolver.immediateEndpoints(of: strict) == nil, "nothing cached: a query is needed")

            _ = try await addresses(resolver, strict)
            let cached = try #require(resolver.immediateEndpoints(of: strict)).get().map(\.address.description)
            #expect(cached == ["127.0.10.1:443", "127.0.10.2:443"])
            let first = try #require(resolver.immediateEndpoints(of: logical)).get().map(\.address.description)
            #expect(first == ["127.0.10.1:443"])
            #expect(try server.queryCount(for: "www.example.com") == 1, "answered from the cache")

            clock.advance(by: .seconds(31))
            #expect(resolver.immediateEndpoints(of: strict) == nil, "expired: ask the nameserver again")
        }
    }

    @Test func aCachedDNSFailureIsImmediateToo() async throws {
        try await Support.withStubAndResolver { _, dns in
            let resolver = ClusterEndpointResolver(dns: dns)
            let plan = cluster(
                .strictDNS,
                [EndpointPlan(address: "missing.example.com", port: 443, needsResolution: true)]
            )
            await #expect(throws: ResolverError.self) { _ = try await addresses(resolver, plan) }
            let immediate = try #require(resolver.immediateEndpoints(of: plan))
            #expect(throws: ResolverError.self) { try immediate.get() }
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
