/// A failure found while parsing a complete handshake message; offsets are within the message.
enum MessageParseFailure: Error {
    case malformed(reason: String, messageOffset: Int)
    case unsupportedVersion(TLSProtocolVersion)
}

/// A bounds-checked cursor over a window of a complete handshake message.
///
/// Every read checks the window first and throws with the name of the field that did not fit, so no length
/// taken from the wire can move the cursor outside its container.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.position = start
        self.end = bytes.count
    }

    private init(_ bytes: UnsafeRawBufferPointer, position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    var remaining: Int { end - position }
    var isEmpty: Bool { position == end }

    mutating func readUInt8(_ field: StaticString) throws(MessageParseFailure) -> UInt8 {
        try require(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readUInt16(_ field: StaticString) throws(MessageParseFailure) -> UInt16 {
        try require(2, field)
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func skip(_ count: Int, _ field: StaticString) throws(MessageParseFailure) {
        try require(count, field)
        position += count
    }

    /// Splits off the next `count` bytes as their own reader (a length-prefixed container).
    mutating func readSlice(_ count: Int, _ field: StaticString) throws(MessageParseFailure) -> ByteReader {
        try require(count, field)
        defer { position += count }
        return ByteReader(bytes, position: position, end: position + count)
    }

    /// The bytes of this window; only valid while the underlying buffer is.
    var unreadBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[position..<end]) }

    func failure(_ reason: String, at offset: Int? = nil) -> MessageParseFailure {
        .malformed(reason: reason, messageOffset: offset ?? position)
    }

    private func require(_ count: Int, _ field: StaticString) throws(MessageParseFailure) {
        guard count <= remaining else {
            throw failure("\(field) needs \(count) bytes but its container has \(remaining) left")
        }
    }
}
