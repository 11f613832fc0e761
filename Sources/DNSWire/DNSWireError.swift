/// Why a DNS message, name or address could not be decoded or encoded, and where.
///
/// `field` names what was being read or written (`header`, `question[0].name`, `answer[2].rdata`), and
/// `offset` is the byte offset in the message (or the character offset in a name or address text) where
/// the problem was found.
public struct DNSWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Hashable, Sendable {
        /// The message ends before `field` is complete.
        case endOfMessage
        /// A label is longer than 63 bytes.
        case labelTooLong(length: Int)
        /// A name is longer than 255 bytes in wire form.
        case nameTooLong(length: Int)
        /// A label starts with the reserved `01` or `10` prefix bits (RFC 6891 §5 retired them).
        case reservedLabelType(UInt8)
        /// A compression pointer targets its own name or something after it; only backward pointers are
        /// accepted, which also rules out loops.
        case forwardPointer(target: Int)
        /// A compression pointer targets a spot already visited while reading this name.
        case pointerLoop(target: Int)
        /// A name follows more compression pointers than the codec allows.
        case tooManyPointers(limit: Int)
        /// A record's data does not have the length its type requires, or does not fill its RDLENGTH.
        case recordDataLength(declared: Int, used: Int)
        /// Bytes are left over after the last record the header announced.
        case trailingBytes(count: Int)
        /// The message is larger than 65535 bytes, the most DNS can carry.
        case messageTooLarge(size: Int)
        /// A value does not fit the wire field that carries it (a count, an RDLENGTH, a 4-bit code).
        case valueOutOfRange(Int)
        /// A name's text has an empty label (`a..b`, a leading dot) or is empty.
        case emptyLabel
        /// A backslash escape in a name's text is incomplete or names a value above 255.
        case invalidEscape
        /// Text that should be an IP address is not one.
        case invalidAddress(String)
    }

    public var reason: Reason
    /// What was being read or written when the problem was found.
    public var field: String
    /// Where the problem was found (bytes into the message, or characters into the text).
    public var offset: Int

    public init(_ reason: Reason, field: String, offset: Int) {
        self.reason = reason
        self.field = field
        self.offset = offset
    }

    public var description: String {
        "DNS \(field) at offset \(offset): \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .endOfMessage: "message ends too early"
        case .labelTooLong(let length): "label of \(length) bytes is longer than 63"
        case .nameTooLong(let length): "name of \(length) bytes is longer than 255"
        case .reservedLabelType(let byte): "reserved label type 0x\(String(byte, radix: 16))"
        case .forwardPointer(let target): "compression pointer to \(target) does not point backwards"
        case .pointerLoop(let target): "compression pointer to \(target) loops"
        case .tooManyPointers(let limit): "more than \(limit) compression pointers"
        case .recordDataLength(let declared, let used): "record data length \(declared), but the data takes \(used)"
        case .trailingBytes(let count): "\(count) bytes after the last record"
        case .messageTooLarge(let size): "message of \(size) bytes is larger than 65535"
        case .valueOutOfRange(let value): "value \(value) does not fit its field"
        case .emptyLabel: "empty label"
        case .invalidEscape: "invalid backslash escape"
        case .invalidAddress(let text): "\"\(text)\" is not an IP address"
        }
    }
}
