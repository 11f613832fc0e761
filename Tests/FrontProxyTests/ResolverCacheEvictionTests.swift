import DNSWire
import NIOCore
import Testing

@testable import FrontProxy

/// The cache's own bounds, without sockets.
@Suite struct ResolverCacheEvictionTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private func answer(_ ip: String) throws -> DNSResolverCache.Entry {
        .answer(DNSAnswer(addresses: [try SocketAddress(ipAddress: ip, port: 0)], ttl: .seconds(10)))
    }

    @Test func fullCacheDropsExpiredEntriesFirst() throws {
        var cache = DNSResolverCache(capacity: 2)
        cache.insert(try answer("127.0.0.1"), for: try DNSName("a.example"), expires: start + .seconds(1), now: start)
        cache.insert(try answer("127.0.0.2"), for: try DNSName("b.example"), expires: start + .seconds(50), now: start)
        let later = start + .seconds(5)
        cache.insert(try answer("127.0.0.3"), for: try DNSName("c.example"), expires: later + .seconds(10), now: later)
        #expect(cache.count == 2)
        #expect(cache.lookup(try DNSName("b.example"), now: later) != nil)
        #expect(cache.lookup(try DNSName("c.example"), now: later) != nil)
    }

    @Test func fullCacheOfLiveEntriesDropsTheOneClosestToExpiry() throws {
        var cache = DNSResolverCache(capacity: 2)
        cache.insert(try answer("127.0.0.1"), for: try DNSName("a.example"), expires: start + .seconds(30), now: start)
        cache.insert(try answer("127.0.0.2"), for: try DNSName("b.example"), expires: start + .seconds(20), now: start)
        cache.insert(try answer("127.0.0.3"), for: try DNSName("c.example"), expires: start + .seconds(40), now: start)
        #expect(cache.count == 2)
        #expect(cache.lookup(try DNSName("b.example"), now: start) == nil)
        #expect(cache.lookup(try DNSName("a.example"), now: start) != nil)
    }

    @Test func expiredEntryIsNotServed() throws {
        var cache = DNSResolverCache(capacity: 4)
        cache.insert(try answer("127.0.0.1"), for: try DNSName("a.example"), expires: start + .seconds(10), now: start)
        #expect(cache.lookup(try DNSName("A.example"), now: start + .seconds(9)) != nil)
        #expect(cache.lookup(try DNSName("a.example"), now: start + .seconds(10)) == nil)
        #expect(cache.count == 0)
    }
}
