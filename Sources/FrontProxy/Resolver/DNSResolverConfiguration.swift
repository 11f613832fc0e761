import NIOCore

extension DNSResolver {
    /// Which address records to ask for.
    public enum AddressFamily: Hashable, Sendable {
        /// A only: Istio's default (`V4_ONLY` lookup family).
        case v4Only
        /// AAAA only.
        case v6Only
        /// A and AAAA, asked at once; IPv4 addresses come first.
        case all
    }

    /// How the resolver asks and caches.
    public struct Configuration: Hashable, Sendable {
        public var addressFamily: AddressFamily = .v4Only
        /// How long to wait for one answer from one nameserver (UDP, and TCP after a truncated answer).
        public var queryTimeout: TimeAmount = .seconds(2)
        /// Rounds over the nameserver list, as `attempts` in resolv.conf(5); at least 1.
        public var attempts = 2
        /// Answers are cached at least this long, whatever their TTL: Envoy's `dns_min_refresh_rate` (5 s).
        public var minimumTTL: TimeAmount = .seconds(5)
        /// Answers are cached at most this long.
        public var maximumTTL: TimeAmount = .hours(24)
        /// How long a failure (NXDOMAIN, SERVFAIL, timeout, no addresses) is cached: Envoy's
        /// `dns_failure_refresh_rate`, which defaults to the 5 s refresh rate.
        public var negativeTTL: TimeAmount = .seconds(5)
        /// The longest CNAME chain followed inside one answer.
        public var maximumCNAMEDepth = 8
        /// The most names cached at once; when full, the entry closest to expiry makes room.
        public var cacheCapacity = 10_000

        public init() {}
    }
}
