/// The 5-byte TLS record header (RFC 8446 §5.1) as it trickles in, possibly one byte per feed.
struct RecordHeaderBytes {
    static let length = 5
    private var value: UInt64 = 0
    private(set) var count = 0

    var isComplete: Bool { count == Self.length }

    mutating func append(_ byte: UInt8) {
        value = value << 8 | UInt64(byte)
        count += 1
    }

    /// Byte `index` (0-based) of those appended so far.
    subscript(index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - index))) }

    var contentType: UInt8 { self[0] }
    var version: TLSProtocolVersion { TLSProtocolVersion(rawValue: UInt16(self[1]) << 8 | UInt16(self[2])) }
    var length: Int { Int(self[3]) << 8 | Int(self[4]) }
}
