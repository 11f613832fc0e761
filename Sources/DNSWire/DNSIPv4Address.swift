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
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw DNSWireError(.invalidAddress(text), field: "IPv4 address", offset: 0) }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = Self.decimalByte(part) else {
                throw DNSWireError(.invalidAddress(text), field: "IPv4 address", offset: 0)
            }
            bytes.append(value)
        }
        self.bytes = bytes
    }

    /// Whether the address is in 127.0.0.0/8.
    public var isLoopback: Bool { bytes[0] == 127 }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    private static func decimalByte(_ digits: Substring.UTF8View.SubSequence) -> UInt8? {
        guard (1...3).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return UInt8(exactly: value)
    }
}
