import DNSWire
import InternetAddress
import NIOCore

/// Resolves host names to addresses for the data plane: UDP queries with random ids and strict answer
/// checks, TCP after truncation, retries across nameservers, a TTL cache with negative caching, and one
/// query for concurrent lookups of the same name.
///
/// Safe to use from any event loop. Queries run on the loop passed to `resolve`, so the answer arrives where
/// the connection lives; a cache hit completes at once without sending anything.
public final class DNSResolver: Sendable {
    public let nameservers: [SocketAddress]
    public let configuration: Configuration
    private let now: @Sendable () -> NIODeadline
    private let state: DNSResolverState

    /// - Parameters:
    ///   - nameservers: asked in order; see `ResolvConf.load()` for the system's.
    ///   - configuration: timeouts, attempts, family and cache bounds.
    ///   - now: the clock for cache expiry; tests pass a manual one.
    public init(
        nameservers: [SocketAddress],
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.nameservers = nameservers
        self.configuration = configuration
        self.now = now
        self.state = DNSResolverState(cacheCapacity: configuration.cacheCapacity)
    }

    /// The addresses of `host`, from the cache or from the nameservers. An IP address resolves to itself
    /// without a query. Fails with `ResolverError`.
    public func resolve(_ host: String, on eventLoop: any EventLoop) -> EventLoopFuture<DNSAnswer> {
        if IPLiteral.isValid(host), let literal = try? SocketAddress(ipAddress: host, port: 0) {
            return eventLoop.makeSucceededFuture(DNSAnswer(addresses: [literal], ttl: configuration.maximumTTL))
        }
        let name: DNSName
        do {
            name = try DNSName(host)
        } catch {
            let reason = ResolverError.Reason.invalidHost(error.description)
            return eventLoop.makeFailedFuture(ResolverError(name: host, nameserver: nil, reason: reason))
        }
        switch state.plan(for: name, host: host, now: now(), on: eventLoop) {
        case .shutDown:
            return eventLoop.makeFailedFuture(ResolverError(name: host, nameserver: nil, reason: .shutdown))
        case .cached(.answer(let answer)):
            return eventLoop.makeSucceededFuture(answer)
        case .cached(.failure(let error)):
            return eventLoop.makeFailedFuture(error)
        case .join(let future):
            return future.hop(to: eventLoop)
        case .start(let promise):
            let lookup = DNSLookup(
                host: host,
                name: name,
                nameservers: nameservers,
                configuration: configuration,
                state: state,
                eventLoop: eventLoop
            )
            lookup.run().whenComplete { [self] result in
                let finished = now()
                switch result {
                case .success(let found):
                    let answer = DNSAnswer(addresses: found.addresses, ttl: clamp(found.ttl))
                    state.finish(name, with: .answer(answer), expires: finished + answer.ttl, now: finished)
                    promise.succeed(answer)
                case .failure(let error):
                    let error =
                        error as? ResolverError
                        ?? ResolverError(name: host, nameserver: nil, reason: .connectionFailed("\(error)"))
                    state.finish(
                        name,
                        with: .failure(error),
                        expires: finished + configuration.negativeTTL,
                        now: finished
                    )
                    promise.fail(error)
                }
            }
            return promise.futureResult
        }
    }

    /// What `resolve` would answer at once, without a query: the cached answer or failure for `host` (or the
    /// address itself for an IP literal); nil when it would have to ask a nameserver.
    public func cachedAnswer(_ host: String) -> Result<DNSAnswer, ResolverError>? {
        if IPLiteral.isValid(host), let literal = try? SocketAddress(ipAddress: host, port: 0) {
            return .success(DNSAnswer(addresses: [literal], ttl: configuration.maximumTTL))
        }
        guard let name = try? DNSName(host) else { return nil }
        switch state.cached(name, now: now()) {
        case .answer(let answer): return .success(answer)
        case .failure(let error): return .failure(error)
        case nil: return nil
        }
    }

    /// Closes every query socket, fails lookups in flight and later calls with `.shutdown`, and empties the
    /// cache.
    public func shutdown() {
        let (channels, waiting) = state.shutDown()
        for channel in channels { channel.close(promise: nil) }
        for (host, promise) in waiting {
            promise.fail(ResolverError(name: host, nameserver: nil, reason: .shutdown))
        }
    }

    private func clamp(_ seconds: UInt32) -> TimeAmount {
        min(max(.seconds(Int64(seconds)), configuration.minimumTTL), configuration.maximumTTL)
    }
}
