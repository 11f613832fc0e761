import FrontProxy
import NIOCore
import NIOPosix
import Synchronization
import TestWorld

/// A clock the test moves by hand, so TTL expiry needs no waiting.
final class ResolverManualClock: Sendable {
    private let current = Mutex(NIODeadline.uptimeNanoseconds(1_000_000_000))

    var now: NIODeadline { current.withLock { $0 } }

    func advance(by amount: TimeAmount) {
        current.withLock { $0 = $0 + amount }
    }
}

enum ResolverTestSupport {
    static let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

    /// Short timeouts keep failure tests quick; TTLs are not clamped up so tests see the record TTLs.
    static func configuration(
        attempts: Int = 1,
        family: DNSResolver.AddressFamily = .v4Only
    ) -> DNSResolver.Configuration {
        var configuration = DNSResolver.Configuration()
        configuration.queryTimeout = .milliseconds(300)
        configuration.attempts = attempts
        configuration.addressFamily = family
        configuration.minimumTTL = .seconds(0)
        return configuration
    }

    /// Runs `body` with a stub server and a resolver asking only it, shutting both down afterwards.
    static func withStubAndResolver(
        configuration: DNSResolver.Configuration = configuration(),
        clock: ResolverManualClock = ResolverManualClock(),
        _ body: (StubDNSServer, DNSResolver) async throws -> Void
    ) async throws {
        let server = try await StubDNSServer.start()
        let resolver = DNSResolver(nameservers: [server.localAddress], configuration: configuration) { clock.now }
        do {
            try await body(server, resolver)
        } catch {
            resolver.shutdown()
            try await server.shutdown()
            throw error
        }
        resolver.shutdown()
        try await server.shutdown()
    }

    static func resolve(_ resolver: DNSResolver, _ host: String) async throws -> DNSAnswer {
        try await resolver.resolve(host, on: eventLoop).get()
    }

    /// The error a failing resolution gives, or nil when it succeeds.
    static func resolveError(_ resolver: DNSResolver, _ host: String) async -> ResolverError? {
        do {
            _ = try await resolve(resolver, host)
            return nil
        } catch {
            return error as? ResolverError
        }
    }
}

extension DNSAnswer {
    /// The addresses as text, for readable expectations.
    var ips: [String] { addresses.map { $0.ipAddress ?? "?" } }
}
