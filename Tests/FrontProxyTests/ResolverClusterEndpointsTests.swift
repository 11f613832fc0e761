import FrontProxy
import NIOCore
import TestWorld
import Testing

/// Istio resolutions: DNS (STRICT_DNS), DNS_ROUND_ROBIN (LOGICAL_DNS), STATIC.
@Suite struct ResolverClusterEndpointsTests {
    typealias Support = ResolverTestSupport

    private func picks(_ endpoints: ClusterEndpoints, _ count: Int) async throws -> [String] {
        var picked: [String] = []
        for _ in 0..<count {
            let address = try await endpoints.nextEndpoint(on: Support.eventLoop).get()
            picked.append("\(address.ipAddress ?? "?"):\(address.port ?? 0)")
        }
        return picked
    }

    @Test func strictDNSUsesEveryAnswerInTurn() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.10.1"), .a("127.0.10.2"), .a("127.0.10.3")], for: "www.example.com")
            let cluster = ClusterEndpoints(.dns(host: "www.example.com", port: 443), resolver: resolver)
            #expect(
                try await cluster.endpoints(on: Support.eventLoop).get().map { $0.ipAddress ?? "" }
                    == ["127.0.10.1", "127.0.10.2", "127.0.10.3"]
            )
            #expect(
                try await picks(cluster, 4)
                    == ["127.0.10.1:443", "127.0.10.2:443", "127.0.10.3:443", "127.0.10.1:443"]
            )
            #expect(try server.queryCount(for: "www.example.com") == 1)
        }
    }

    @Test func logicalDNSUsesOnlyTheFirstAnswer() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.10.1"), .a("127.0.10.2")], for: "www.example.com")
            let cluster = ClusterEndpoints(.dnsRoundRobin(host: "www.example.com", port: 8443), resolver: resolver)
            #expect(try await picks(cluster, 3) == ["127.0.10.1:8443", "127.0.10.1:8443", "127.0.10.1:8443"])
        }
    }

    @Test func staticEndpointsNeedNoDNS() async throws {
        let resolver = DNSResolver(nameservers: [])
        let endpoints = try [
            SocketAddress(ipAddress: "127.0.0.5", port: 80), SocketAddress(ipAddress: "::1", port: 81),
        ]
        let cluster = ClusterEndpoints(.static(endpoints), resolver: resolver)
        #expect(try await picks(cluster, 3) == ["127.0.0.5:80", "::1:81", "127.0.0.5:80"])
    }

    @Test func emptyStaticListHasNoEndpoint() async {
        let cluster = ClusterEndpoints(.static([]), resolver: DNSResolver(nameservers: []))
        await #expect(throws: ClusterEndpointsError.noEndpoints(.static([]))) {
            try await cluster.nextEndpoint(on: Support.eventLoop).get()
        }
    }

    @Test func dnsFailureReachesTheCaller() async throws {
        try await Support.withStubAndResolver { server, resolver in
            let cluster = ClusterEndpoints(.dns(host: "missing.example.com", port: 443), resolver: resolver)
            await #expect(
                throws: ResolverError(name: "missing.example.com", nameserver: server.localAddress, reason: .nameError)
            ) {
                try await cluster.nextEndpoint(on: Support.eventLoop).get()
            }
        }
    }
}
