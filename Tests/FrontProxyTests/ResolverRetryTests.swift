import FrontProxy
import NIOCore
import NIOPosix
import TestWorld
import Testing

/// Timeouts, retries across nameservers, and shutdown.
@Suite struct ResolverRetryTests {
    typealias Support = ResolverTestSupport

    @Test func timeoutOnTheFirstNameserverMovesToTheSecond() async throws {
        let silent = try await StubDNSServer.start()
        let healthy = try await StubDNSServer.start(host: "127.0.0.2")
        try silent.setFault(.drop, for: "www.example.com")
        try healthy.setRecords([.a("127.0.10.1")], for: "www.example.com")
        let resolver = DNSResolver(
            nameservers: [silent.localAddress, healthy.localAddress],
            configuration: Support.configuration()
        )
        let answer = try await Support.resolve(resolver, "www.example.com")
        #expect(answer.ips == ["127.0.10.1"])
        #expect(try silent.queryCount(for: "www.example.com") == 1)
        #expect(try healthy.queryCount(for: "www.example.com") == 1)
        resolver.shutdown()
        try await silent.shutdown()
        try await healthy.shutdown()
    }

    @Test func everyAttemptTimingOutIsATimeoutFromTheLastNameserver() async throws {
        let first = try await StubDNSServer.start()
        let second = try await StubDNSServer.start()
        for server in [first, second] { try server.setFault(.drop, for: "www.example.com") }
        let resolver = DNSResolver(
            nameservers: [first.localAddress, second.localAddress],
            configuration: Support.configuration(attempts: 2)
        )
        let error = await Support.resolveError(resolver, "www.example.com")
        #expect(error == ResolverError(name: "www.example.com", nameserver: second.localAddress, reason: .timeout))
        #expect(try first.queryCount(for: "www.example.com") == 2)
        #expect(try second.queryCount(for: "www.example.com") == 2)
        resolver.shutdown()
        try await first.shutdown()
        try await second.shutdown()
    }

    @Test func servfailMovesToTheNextNameserver() async throws {
        let failing = try await StubDNSServer.start()
        let healthy = try await StubDNSServer.start()
        try failing.setFault(.serverFailure, for: "www.example.com")
        try healthy.setRecords([.a("127.0.10.9")], for: "www.example.com")
        let resolver = DNSResolver(
            nameservers: [failing.localAddress, healthy.localAddress],
            configuration: Support.configuration()
        )
        #expect(try await Support.resolve(resolver, "www.example.com").ips == ["127.0.10.9"])
        resolver.shutdown()
        try await failing.shutdown()
        try await healthy.shutdown()
    }

    @Test func nxdomainIsFinalAndNotAskedElsewhere() async throws {
        let first = try await StubDNSServer.start()
        let second = try await StubDNSServer.start()
        try second.setRecords([.a("127.0.0.1")], for: "www.example.com")
        let resolver = DNSResolver(
            nameservers: [first.localAddress, second.localAddress],
            configuration: Support.configuration()
        )
        #expect(await Support.resolveError(resolver, "www.example.com")?.reason == .nameError)
        #expect(try second.queryCount(for: "www.example.com") == 0)
        resolver.shutdown()
        try await first.shutdown()
        try await second.shutdown()
    }

    @Test func unreachableNameserverIsAConnectionFailure() async throws {
        // Bind a UDP port and close it again: nothing listens there, so the kernel answers with ICMP. An
        // address no other test binds keeps a parallel test from taking the freed port in between.
        let probe = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.99.99", port: 0).get()
        let address = try #require(probe.localAddress)
        try await probe.close()
        let resolver = DNSResolver(nameservers: [address], configuration: Support.configuration())
        let error = await Support.resolveError(resolver, "www.example.com")
        guard case .connectionFailed = error?.reason else {
            Issue.record("expected a connection failure, got \(String(describing: error))")
            return
        }
        #expect(error?.nameserver == address)
        resolver.shutdown()
    }

    @Test func shutdownFailsLookupsInFlightAndLaterOnes() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setFault(.drop, for: "www.example.com")
            let pending = resolver.resolve("www.example.com", on: Support.eventLoop)
            resolver.shutdown()
            await #expect(throws: ResolverError(name: "www.example.com", nameserver: nil, reason: .shutdown)) {
                try await pending.get()
            }
            let later = await Support.resolveError(resolver, "other.example.com")
            #expect(later?.reason == .shutdown)
        }
    }
}
