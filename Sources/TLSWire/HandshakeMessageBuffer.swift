/// Collects one handshake message whose bytes arrive in pieces, possibly across several records.
///
/// The 4-byte header is held inline; the message is copied into storage reserved once its length is known
/// (the reader has already checked that length against its limit). It remembers where each record's piece
/// started in the stream, so a parse failure can name a stream offset.
struct HandshakeMessageBuffer {
    private struct Segment {
        var messageOffset: Int
        var streamOffset: Int
    }

    private var header: UInt32 = 0
    private var headerCount = 0
    private var storage: [UInt8] = []
    private var segments: [Segment] = []
    private var lastRecord = 0
    /// Message bytes received so far, header included.
    private(set) var received = 0

    var isEmpty: Bool { received == 0 }
    var hasHeader: Bool { headerCount == 4 }
    var type: UInt8 { UInt8(truncatingIfNeeded: header >> (8 * (headerCount - 1))) }
    /// Header plus body length; only meaningful once `hasHeader`.
    var totalLength: Int { 4 + Int(header & 0x00FF_FFFF) }
    /// Bytes still needed: exact once the header is in, a lower bound before.
    var missing: Int { hasHeader ? totalLength - received : 4 - headerCount }
    var isComplete: Bool { hasHeader && received == totalLength }

    /// Appends one header byte; `record` numbers the record it came in.
    mutating func appendHeaderByte(_ byte: UInt8, streamOffset: Int, record: Int) {
        noteSegment(streamOffset: streamOffset, record: record)
        header = header << 8 | UInt32(byte)
        headerCount += 1
        received += 1
        if hasHeader {
            storage.reserveCapacity(totalLength)
            for shift in stride(from: 24, through: 0, by: -8) {
                storage.append(UInt8(truncatingIfNeeded: header >> UInt32(shift)))
            }
        }
    }

    /// Appends body bytes; the caller passes no more than `missing`.
    mutating func appendBody(_ bytes: UnsafeRawBufferPointer, streamOffset: Int, record: Int) {
        noteSegment(streamOffset: streamOffset, record: record)
        // Bytes trickling in one at a time are common (slow clients, tiny records); the generic bulk append
        // costs several times a plain append for them.
        if bytes.count < 16 {
            for byte in bytes { storage.append(byte) }
        } else {
            storage.append(contentsOf: bytes)
        }
        received += bytes.count
    }

    func withMessage<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        storage.withUnsafeBytes(body)
    }

    /// The stream offset of message byte `messageOffset` (or of the end of the message).
    func streamOffset(ofMessageOffset messageOffset: Int) -> Int {
        guard let segment = segments.last(where: { $0.messageOffset <= messageOffset }) else { return 0 }
        return segment.streamOffset + messageOffset - segment.messageOffset
    }

    private mutating func noteSegment(streamOffset: Int, record: Int) {
        guard record != lastRecord else { return }
        lastRecord = record
        segments.append(Segment(messageOffset: received, streamOffset: streamOffset))
    }
}
