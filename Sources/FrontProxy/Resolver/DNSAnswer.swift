import NIOCore

/// The addresses a name resolved to.
public struct DNSAnswer: Hashable, Sendable {
    /// In the order of the answer (A records before AAAA records when both are asked for), port 0.
    public var addresses: [SocketAddress]
    /// How long the answer stays cached: the smallest TTL of the records used, clamped to the configured
    /// bounds.
    public var ttl: TimeAmount

    public init(addresses: [SocketAddress], ttl: TimeAmount) {
        self.addresses = addresses
        self.ttl = ttl
    }
}
