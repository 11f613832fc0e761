/// Builds the wire form of a message, compressing names against suffixes already written when asked to.
struct DNSMessageWriter {
    private(set) var bytes: [UInt8] = []
    /// Where each name suffix was first written, keyed by its exact label bytes (case included) so a
    /// decoded message re-encodes to the same names. Nil when compression is off.
    private var suffixOffsets: [ArraySlice<[UInt8]>: Int]?

    /// Pointers carry 14 bits of offset.
    private static let maximumPointerTarget = 0x3FFF

    init(compressingNames: Bool) {
        suffixOffsets = compressingNames ? [:] : nil
        bytes.reserveCapacity(512)
    }

    mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func writeUInt32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func writeBytes(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    mutating func writeName(_ name: DNSName) {
        let labels = name.labels[...]
        for start in labels.indices {
            let suffix = labels[start...]
            if let target = suffixOffsets?[suffix] {
                writeUInt16(0xC000 | UInt16(target))
                return
            }
            if bytes.count <= Self.maximumPointerTarget { suffixOffsets?[suffix] = bytes.count }
            writeUInt8(UInt8(labels[start].count))
            writeBytes(labels[start])
        }
        writeUInt8(0)
    }

    mutating func writeQuestion(_ question: DNSQuestion) {
        writeName(question.name)
        writeUInt16(question.type.rawValue)
        writeUInt16(question.class.rawValue)
    }

    mutating func writeRecord(_ record: DNSResourceRecord, _ field: @autoclosure () -> String) throws(DNSWireError) {
        writeName(record.name)
        writeUInt16(record.type.rawValue)
        writeUInt16(record.class.rawValue)
        writeUInt32(record.ttl)
        let lengthOffset = bytes.count
        writeUInt16(0)
        switch record.data {
        case .a(let address): writeBytes(address.bytes)
        case .aaaa(let address): writeBytes(address.bytes)
        case .cname(let name): writeName(name)
        case .soa(let soa):
            writeName(soa.primaryNameServer)
            writeName(soa.responsibleMailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writeUInt32(value) }
        case .unknown(_, let data): writeBytes(data)
        }
        let length = bytes.count - lengthOffset - 2
        guard let length16 = UInt16(exactly: length) else {
            throw DNSWireError(.valueOutOfRange(length), field: field() + ".rdlength", offset: lengthOffset)
        }
        bytes[lengthOffset] = UInt8(length16 >> 8)
        bytes[lengthOffset + 1] = UInt8(length16 & 0xFF)
    }
}
