import FrontProxy
import NIOCore
import NIOPosix
import TestWorld
import Testing

/// The TTL cache, negative caching and coalescing, observed through the stub's query counters.
@Suite struct ResolverCacheTests {
    typealias Support = ResolverTestSupport

    @Test func cacheHitSendsNoQuery() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.10.1", ttl: 60)], for: "www.example.com")
            let first = try await Support.resolve(resolver, "www.example.com")
            let second = try await Support.resolve(resolver, "WWW.Example.com")
            #expect(first == second)
            #expect(try server.queryCount(for: "www.example.com") == 1)
        }
    }

    @Test func entryExpiresWithTheRecordTTL() async throws {
        let clock = ResolverManualClock()
        try await Support.withStubAndResolver(clock: clock) { server, resolver in
            try server.setRecords([.a("127.0.50.1", ttl: 30)], for: "moving.example.com")
            _ = try await Support.resolve(resolver, "moving.example.com")
            try server.setRecords([.a("127.0.50.2", ttl: 30)], for: "moving.example.com")
            clock.advance(by: .seconds(29))
            #expect(try await Support.resolve(resolver, "moving.example.com").ips == ["127.0.50.1"])
            clock.advance(by: .seconds(2))
            #expect(try await Support.resolve(resolver, "moving.example.com").ips == ["127.0.50.2"])
            #expect(try server.queryCount(for: "moving.example.com") == 2)
        }
    }

    @Test func ttlIsClampedToTheConfiguredBounds() async throws {
        var configuration = Support.configuration()
        configuration.minimumTTL = .seconds(5)
        configuration.maximumTTL = .seconds(100)
        try await Support.withStubAndResolver(configuration: configuration) { server, resolver in
            try server.setRecords([.a("127.0.0.1", ttl: 0)], for: "zero.example.com")
            try server.setRecords([.a("127.0.0.1", ttl: 86400)], for: "long.example.com")
            #expect(try await Support.resolve(resolver, "zero.example.com").ttl == .seconds(5))
            #expect(try await Support.resolve(resolver, "long.example.com").ttl == .seconds(100))
        }
    }

    @Test func failuresAreCachedForTheNegativeTTL() async throws {
        let clock = ResolverManualClock()
        try await Support.withStubAndResolver(clock: clock) { server, resolver in
            #expect(await Support.resolveError(resolver, "missing.example.com")?.reason == .nameError)
            try server.setRecords([.a("127.0.0.1")], for: "missing.example.com")
            clock.advance(by: .seconds(4))
            #expect(await Support.resolveError(resolver, "missing.example.com")?.reason == .nameError)
            #expect(try server.queryCount(for: "missing.example.com") == 1)
            clock.advance(by: .seconds(2))
            #expect(try await Support.resolve(resolver, "missing.example.com").ips == ["127.0.0.1"])
            #expect(try server.queryCount(for: "missing.example.com") == 2)
        }
    }

    @Test func concurrentLookupsOfOneNameShareOneQuery() async throws {
        try await Support.withStubAndResolver { server, resolver in
            try server.setRecords([.a("127.0.0.9")], for: "popular.example.com")
            try server.setFault(.delay(milliseconds: 100), for: "popular.example.com")
            let loops = (0..<8).map { _ in MultiThreadedEventLoopGroup.singleton.next() }
            let futures = loops.map { resolver.resolve("popular.example.com", on: $0) }
            for future in futures {
                #expect(try await future.get().ips == ["127.0.0.9"])
            }
            #expect(try server.queryCount(for: "popular.example.com") == 1)
        }
    }
}
