/// A cursor over one complete DNS message.
///
/// Every read checks its bounds and throws a `DNSWireError` naming the field and offset; nothing is read
/// past `limit`, which narrows to a record's RDATA while that data is decoded (the same idea as NIO's
/// `getSlice` narrowing in `SNIHandler`). Names may point anywhere earlier in the whole message.
struct DNSMessageReader {
    private let message: UnsafeRawBufferPointer
    private(set) var offset = 0
    /// Reads stop here: the end of the message, or the end of the RDATA being decoded.
    private var limit: Int

    /// Enough for any name a real encoder writes: each hop but the first must land on at least one label,
    /// and a name has at most 127 labels.
    static let maximumPointerHops = 128

    init(_ message: UnsafeRawBufferPointer) {
        self.message = message
        self.limit = message.count
    }

    var remaining: Int { limit - offset }

    mutating func readUInt8(_ field: @autoclosure () -> String) throws(DNSWireError) -> UInt8 {
        guard offset < limit else { throw DNSWireError(.endOfMessage, field: field(), offset: offset) }
        defer { offset += 1 }
        return message[offset]
    }

    mutating func readUInt16(_ field: @autoclosure () -> String) throws(DNSWireError) -> UInt16 {
        guard limit - offset >= 2 else { throw DNSWireError(.endOfMessage, field: field(), offset: offset) }
        defer { offset += 2 }
        return UInt16(message[offset]) << 8 | UInt16(message[offset + 1])
    }

    mutating func readUInt32(_ field: @autoclosure () -> String) throws(DNSWireError) -> UInt32 {
        guard limit - offset >= 4 else { throw DNSWireError(.endOfMessage, field: field(), offset: offset) }
        defer { offset += 4 }
        return (offset..<offset + 4).reduce(0) { $0 << 8 | UInt32(message[$1]) }
    }

    mutating func readBytes(_ count: Int, _ field: @autoclosure () -> String) throws(DNSWireError) -> [UInt8] {
        guard limit - offset >= count else { throw DNSWireError(.endOfMessage, field: field(), offset: offset) }
        defer { offset += count }
        return Array(message[offset..<offset + count])
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4).
    ///
    /// A pointer must target a spot before the start of the stretch of labels that holds it, so every hop
    /// goes strictly backwards: loops and forward references are refused, and work stays bounded.
    mutating func readName(_ field: @autoclosure () -> String) throws(DNSWireError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var stretchStart = offset
        var stretchLimit = limit
        var resumeAt: Int?
        var hops = 0
        while true {
            guard position < stretchLimit else { throw DNSWireError(.endOfMessage, field: field(), offset: position) }
            let lengthByte = message[position]
            switch lengthByte & 0xC0 {
            case 0x00 where lengthByte == 0:
                offset = resumeAt ?? position + 1
                return DNSName(validatedLabels: labels)
            case 0x00:
                let length = Int(lengthByte)
                guard stretchLimit - position > length else {
                    throw DNSWireError(.endOfMessage, field: field(), offset: position)
                }
                wireLength += 1 + length
                guard wireLength <= DNSName.maximumWireLength else {
                    throw DNSWireError(.nameTooLong(length: wireLength), field: field(), offset: position)
                }
                labels.append(Array(message[position + 1...position + length]))
                position += 1 + length
            case 0xC0:
                guard stretchLimit - position >= 2 else {
                    throw DNSWireError(.endOfMessage, field: field(), offset: position)
                }
                let target = Int(lengthByte & 0x3F) << 8 | Int(message[position + 1])
                guard target < stretchStart else {
                    let reason: DNSWireError.Reason =
                        target > position ? .forwardPointer(target: target) : .pointerLoop(target: target)
                    throw DNSWireError(reason, field: field(), offset: position)
                }
                hops += 1
                guard hops <= Self.maximumPointerHops else {
                    throw DNSWireError(
                        .tooManyPointers(limit: Self.maximumPointerHops),
                        field: field(),
                        offset: position
                    )
                }
                if resumeAt == nil { resumeAt = position + 2 }
                stretchStart = target
                stretchLimit = message.count
                position = target
            default:
                throw DNSWireError(.reservedLabelType(lengthByte), field: field(), offset: position)
            }
        }
    }

    mutating func readQuestion(_ field: @autoclosure () -> String) throws(DNSWireError) -> DNSQuestion {
        let name = try readName(field() + ".name")
        let type = DNSRecordType(rawValue: try readUInt16(field() + ".type"))
        let `class` = DNSClass(rawValue: try readUInt16(field() + ".class"))
        return DNSQuestion(name: name, type: type, class: `class`)
    }

    mutating func readRecord(_ field: @autoclosure () -> String) throws(DNSWireError) -> DNSResourceRecord {
        let name = try readName(field() + ".name")
        let type = DNSRecordType(rawValue: try readUInt16(field() + ".type"))
        let `class` = DNSClass(rawValue: try readUInt16(field() + ".class"))
        let ttl = try readUInt32(field() + ".ttl")
        let length = Int(try readUInt16(field() + ".rdlength"))
        let start = offset
        guard limit - start >= length else {
            throw DNSWireError(.endOfMessage, field: field() + ".rdata", offset: start)
        }
        let outerLimit = limit
        limit = start + length
        defer { limit = outerLimit }
        let data = try readRecordData(type: type, class: `class`, length: length, field() + ".rdata")
        guard offset == limit else {
            throw DNSWireError(
                .recordDataLength(declared: length, used: offset - start),
                field: field() + ".rdata",
                offset: start
            )
        }
        return DNSResourceRecord(name: name, class: `class`, ttl: ttl, data: data)
    }

    private mutating func readRecordData(
        type: DNSRecordType,
        class: DNSClass,
        length: Int,
        _ field: @autoclosure () -> String
    ) throws(DNSWireError) -> DNSRecordData {
        switch type {
        case .a where `class` == .in:
            let start = offset
            guard let address = DNSIPv4Address(bytes: try readBytes(length, field())) else {
                throw DNSWireError(.recordDataLength(declared: length, used: 4), field: field(), offset: start)
            }
            return .a(address)
        case .aaaa where `class` == .in:
            let start = offset
            guard let address = DNSIPv6Address(bytes: try readBytes(length, field())) else {
                throw DNSWireError(.recordDataLength(declared: length, used: 16), field: field(), offset: start)
            }
            return .aaaa(address)
        case .cname:
            return .cname(try readName(field()))
        case .soa:
            return .soa(
                DNSSOAData(
                    primaryNameServer: try readName(field() + ".mname"),
                    responsibleMailbox: try readName(field() + ".rname"),
                    serial: try readUInt32(field() + ".serial"),
                    refresh: try readUInt32(field() + ".refresh"),
                    retry: try readUInt32(field() + ".retry"),
                    expire: try readUInt32(field() + ".expire"),
                    minimum: try readUInt32(field() + ".minimum")
                )
            )
        default:
            return .unknown(type: type, bytes: try readBytes(length, field()))
        }
    }
}
