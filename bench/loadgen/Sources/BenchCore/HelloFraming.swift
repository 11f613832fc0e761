/// Where the client's first flight (the ClientHello) ends in the bytes an upstream has received: TLS
/// handshake records are read until one complete handshake message of type ClientHello is covered, so a
/// ClientHello split over several records or TCP segments is waited for, never answered early.
public enum HelloFraming: Equatable, Sendable {
    /// More bytes are needed.
    case needMore
    /// The ClientHello occupies the first `length` bytes.
    case complete(length: Int)
    /// The bytes are not a TLS ClientHello; the reason says what was seen.
    case invalid(String)

    /// The largest first flight accepted: a ClientHello is at most 16 KiB of handshake plus record headers.
    public static let maximumLength = 20 * 1024

    /// Frames the received bytes `bytes` (starting at the first byte the client sent).
    public static func frame(_ bytes: UnsafeRawBufferPointer) -> HelloFraming {
        var offset = 0
        var handshakeBytes = 0
        var handshakeLength: Int?
        while true {
            guard offset + 5 <= bytes.count else { return tooLongOr(.needMore, offset) }
            guard bytes[offset] == 22 else { return .invalid("record content type \(bytes[offset]), not handshake") }
            let recordLength = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            guard recordLength > 0 else { return .invalid("empty handshake record") }
            let body = offset + 5
            guard body + recordLength <= bytes.count else { return tooLongOr(.needMore, body + recordLength) }
            if handshakeLength == nil {
                guard recordLength >= 4 else { return .invalid("handshake record shorter than a message header") }
                guard bytes[body] == 1 else { return .invalid("handshake type \(bytes[body]), not ClientHello") }
                handshakeLength = 4 + (Int(bytes[body + 1]) << 16 | Int(bytes[body + 2]) << 8 | Int(bytes[body + 3]))
            }
            handshakeBytes += recordLength
            offset = body + recordLength
            if let handshakeLength, handshakeBytes >= handshakeLength { return .complete(length: offset) }
        }
    }

    private static func tooLongOr(_ framing: HelloFraming, _ neededLength: Int) -> HelloFraming {
        neededLength > maximumLength ? .invalid("first flight longer than \(maximumLength) bytes") : framing
    }
}
