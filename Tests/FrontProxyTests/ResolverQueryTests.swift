import FrontProxy
import NIOCore
import TestWorld
import Testing

/// The resolver against the stub DNS server over real loopback sockets: answers, failures, transports.
@Suite struct ResolverQueryTests {
    typealias Support = ResolverTestSupport

    @Test func severalARecordsComeBackInAnswerOrderWithTheSmallestTTL() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords(
                [.a("127.0.10.3", ttl: 40), .a("127.0.10.1", ttl: 30), .a("127.0.10.2", ttl: 50)],
                for: "www.example.com"
            )
            let answer = try await Support.resolve(resolver, "www.example.com")
            #expect(answer.ips == ["127.0.10.3", "127.0.10.1", "127.0.10.2"])
            #expect(answer.ttl == .seconds(30))
            #expect(answer.addresses.allSatisfy { $0.port == 0 })
        }
    }

    @Test func v4OnlyIsTheDefaultAndAsksForANothingElse() async throws {
        #expect(DNSResolver.Configuration().addressFamily == .v4Only)
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.0.2"), .aaaa("::1")], for: "dual.example.com")
            #expect(try await Support.resolve(resolver, "dual.example.com").ips == ["127.0.0.2"])
            #expect(try server.queryCount(for: "dual.example.com") == 1)
        }
    }

    @Test(arguments: [(DNSResolver.AddressFamily.v6Only, ["::1"]), (.all, ["127.0.0.2", "::1"])])
    func aaaaRecordsAreAskedForWhenConfigured(family: DNSResolver.AddressFamily, expected: [String]) async throws {
        try await Support.withStubAndResolver(configuration: Support.configuration(family: family)) {
            server,
            resolver in
            try server.setRecords([.a("127.0.0.2"), .aaaa("::1")], for: "dual.example.com")
            #expect(try await Support.resolve(resolver, "dual.example.com").ips == expected)
        }
    }

    @Test func cnameChainInsideTheAnswerIsFollowedAndItsTTLsCount() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.cname("edge.example.net", ttl: 20)], for: "www.example.com")
            try server.setRecords([.cname("pop.example.net", ttl: 300)], for: "edge.example.net")
            try server.setRecords([.a("127.0.20.1", ttl: 60)], for: "pop.example.net")
            let answer = try await Support.resolve(resolver, "www.example.com")
            #expect(answer.ips == ["127.0.20.1"])
            #expect(answer.ttl == .seconds(20))
        }
    }

    @Test func cnameChainLongerThanTheLimitIsRefused() async throws {
        var configuration = Support.configuration()
        configuration.maximumCNAMEDepth = 2
        try await Support.withStubAndResolver(configuration: configuration) { server, resolver in
            for hop in 0..<3 { try server.setRecords([.cname("n\(hop + 1).example")], for: "n\(hop).example") }
            try server.setRecords([.a("127.0.0.1")], for: "n3.example")
            let error = await Support.resolveError(resolver, "n0.example")
            #expect(error?.reason == .cnameChainTooLong(depth: 2))
        }
    }

    @Test func nxdomainIsTypedWithTheNameAndNameserver() async throws {
        try await Support.withStubAndResolver { server, resolver in
            let error = await Support.resolveError(resolver, "missing.example.com")
            #expect(
                error == ResolverError(name: "missing.example.com", nameserver: server.localAddress, reason: .nameError)
            )
            #expect(error?.description.hasPrefix("cannot resolve missing.example.com from 127.0.0.1:") == true)
            #expect(error?.description.hasSuffix(": NXDOMAIN (no such name)") == true)
        }
    }

    @Test func servfailIsTyped() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setFault(.serverFailure, for: "broken.example.com")
            let error = await Support.resolveError(resolver, "broken.example.com")
            #expect(
                error
                    == ResolverError(
                        name: "broken.example.com",
                        nameserver: server.localAddress,
                        reason: .serverFailure
                    )
            )
        }
    }

    @Test func nameWithoutAddressRecordsIsTyped() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.aaaa("::1")], for: "v6only.example.com")
            #expect(await Support.resolveError(resolver, "v6only.example.com")?.reason == .noAddresses)
        }
    }

    @Test func truncatedUDPAnswerIsAskedAgainOverTCP() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.30.1"), .a("127.0.30.2")], for: "big.example.com")
            try server.setFault(.truncateUDP, for: "big.example.com")
            #expect(try await Support.resolve(resolver, "big.example.com").ips == ["127.0.30.1", "127.0.30.2"])
            #expect(try server.queryCount(for: "big.example.com", transport: .udp) == 1)
            #expect(try server.queryCount(for: "big.example.com", transport: .tcp) == 1)
        }
    }

    @Test(arguments: [StubDNSForgery.wrongID, .wrongQuestion, .wrongSource])
    func forgedAnswersAreIgnored(forgery: StubDNSForgery) async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.60.1")], for: "target.example.com")
            try server.setFault(.forgedAnswerFirst(forgery, decoyAddress: "127.6.6.6"), for: "target.example.com")
            #expect(try await Support.resolve(resolver, "target.example.com").ips == ["127.0.60.1"])
        }
    }

    @Test func ipLiteralsResolveToThemselvesWithoutAQuery() async throws {
        let resolver = DNSResolver(nameservers: [])
        #expect(try await Support.resolve(resolver, "127.0.0.7").ips == ["127.0.0.7"])
        #expect(try await Support.resolve(resolver, "::1").ips == ["::1"])
    }

    @Test func invalidHostsAndMissingNameserversAreTyped() async {
        let resolver = DNSResolver(nameservers: [])
        let label = String(repeating: "x", count: 64)
        guard case .invalidHost = await Support.resolveError(resolver, "\(label).example")?.reason else {
            Issue.record("a 64-byte label must be refused")
            return
        }
        #expect(await Support.resolveError(resolver, "www.example.com")?.reason == .noNameservers)
    }
}
