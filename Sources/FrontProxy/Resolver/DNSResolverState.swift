import DNSWire
import NIOCore
import Synchronization

/// What a `DNSResolver` shares across event loops: the cache, lookups in flight (so concurrent lookups of
/// one name share one query), and the open query sockets (so `shutdown` can close them).
final class DNSResolverState: Sendable {
    private struct Protected {
        var cache: DNSResolverCache
        var inFlight: [DNSName: (host: String, promise: EventLoopPromise<DNSAnswer>)] = [:]
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isShutDown = false
    }

    /// What `resolve` should do for a name.
    enum Plan {
        case cached(DNSResolverCache.Entry)
        case join(EventLoopFuture<DNSAnswer>)
        case start(EventLoopPromise<DNSAnswer>)
        case shutDown
    }

    private let protected: Mutex<Protected>

    init(cacheCapacity: Int) {
        protected = Mutex(Protected(cache: DNSResolverCache(capacity: cacheCapacity)))
    }

    func plan(for name: DNSName, host: String, now: NIODeadline, on eventLoop: any EventLoop) -> Plan {
        protected.withLock { state in
            guard !state.isShutDown else { return .shutDown }
            if let entry = state.cache.lookup(name, now: now) { return .cached(entry) }
            if let waiting = state.inFlight[name] { return .join(waiting.promise.futureResult) }
            let promise = eventLoop.makePromise(of: DNSAnswer.self)
            state.inFlight[name] = (host, promise)
            return .start(promise)
        }
    }

    /// The cached entry for `name`, if it has not expired.
    func cached(_ name: DNSName, now: NIODeadline) -> DNSResolverCache.Entry? {
        protected.withLock { state in
            state.isShutDown ? nil : state.cache.lookup(name, now: now)
        }
    }

    /// Ends the lookup in flight for `name`, caching its result until `expires` unless the resolver is
    /// shutting down.
    func finish(_ name: DNSName, with entry: DNSResolverCache.Entry, expires: NIODeadline, now: NIODeadline) {
        protected.withLock { state in
            state.inFlight[name] = nil
            guard !state.isShutDown else { return }
            state.cache.insert(entry, for: name, expires: expires, now: now)
        }
    }

    /// Tracks a query socket until it closes; false (and the caller closes it) once shut down.
    func register(_ channel: any Channel) -> Bool {
        let registered = protected.withLock { state in
            guard !state.isShutDown else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        guard registered else { return false }
        channel.closeFuture.whenComplete { [self] _ in
            protected.withLock { _ = $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        return true
    }

    var isShutDown: Bool { protected.withLock { $0.isShutDown } }

    /// Marks the resolver shut down and hands back what is still open or waiting.
    func shutDown() -> (channels: [any Channel], waiting: [(host: String, promise: EventLoopPromise<DNSAnswer>)]) {
        protected.withLock { state in
            state.isShutDown = true
            state.cache.removeAll()
            defer { state.inFlight = [:] }
            return (Array(state.channels.values), Array(state.inFlight.values))
        }
    }
}
