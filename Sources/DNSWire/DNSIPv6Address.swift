import InternetAddress

/// The 16-byte address an AAAA record carries.
public struct DNSIPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in network order.
    public let bytes: [UInt8]

    /// An address from its 16 bytes in network order; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// An address from RFC 4291 text: hexadecimal groups, at most one `::`, optionally a dotted IPv4 tail
    /// (`::ffff:127.0.0.1`). Zone suffixes (`%eth0`) are not addresses and are refused.
    public init(_ text: String) throws(DNSWireError) {
        guard let bytes = IPLiteral.parseIPv6(text) else {
            throw DNSWireError(.invalidAddress(text), field: "IPv6 address", offset: 0)
        }
        self.bytes = bytes
    }

    /// Whether the address is `::1`.
    public var isLoopback: Bool { IPLiteral.isLoopback(bytes) }

    /// The text `inet_ntop` (and so `dig`) prints.
    public var description: String { IPLiteral.format(bytes) }
}
