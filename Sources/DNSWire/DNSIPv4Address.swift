import InternetAddress

/// The 4-byte address an A record carries.
public struct DNSIPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in network order (`127.0.0.1` is `[127, 0, 0, 1]`).
    public let bytes: [UInt8]

    /// An address from its 4 bytes in network order; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 else { return nil }
        self.bytes = bytes
    }

    /// An address from dotted-quad text (`127.0.10.1`): four decimal parts of at most 255, no leading zeros.
    public init(_ text: String) throws(DNSWireError) {
        guard let bytes = IPLiteral.parseIPv4(text) else {
            throw DNSWireError(.invalidAddress(text), field: "IPv4 address", offset: 0)
        }
        self.bytes = bytes
    }

    /// Whether the address is in 127.0.0.0/8.
    public var isLoopback: Bool { IPLiteral.isLoopback(bytes) }

    public var description: String { IPLiteral.format(bytes) }
}
