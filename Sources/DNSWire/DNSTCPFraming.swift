/// DNS over TCP prefixes each message with its length as a 2-byte big-endian number (RFC 1035 §4.2.2).
public enum DNSTCPFraming {
    /// `message` with its length prefix.
    public static func frame(_ message: [UInt8]) throws(DNSWireError) -> [UInt8] {
        guard let length = UInt16(exactly: message.count) else {
            throw DNSWireError(.messageTooLarge(size: message.count), field: "TCP frame", offset: 0)
        }
        return [UInt8(length >> 8), UInt8(length & 0xFF)] + message
    }

    /// The first complete message at the start of `bytes` and how many bytes it took, prefix included; nil
    /// while more bytes are needed.
    public static func firstMessage(in bytes: UnsafeRawBufferPointer) -> (message: [UInt8], consumed: Int)? {
        guard bytes.count >= 2 else { return nil }
        let length = Int(bytes[0]) << 8 | Int(bytes[1])
        guard bytes.count >= 2 + length else { return nil }
        return (Array(bytes[2..<2 + length]), 2 + length)
    }
}
