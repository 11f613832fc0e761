/// A DNS message (RFC 1035 §4.1): header, question and the three record sections.
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    /// The most bytes a DNS message can have (TCP's 2-byte length prefix; UDP is smaller still).
    public static let maximumSize = 65535
    /// The classic UDP payload limit without EDNS (RFC 1035 §4.2.1).
    public static let classicUDPSize = 512

    public init(
        header: DNSHeader,
        questions: [DNSQuestion] = [],
        answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [],
        additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A standard query for one name and type, as a stub resolver sends it (RD set).
    public static func query(id: UInt16, name: DNSName, type: DNSRecordType) -> DNSMessage {
        DNSMessage(header: DNSHeader(id: id, recursionDesired: true), questions: [DNSQuestion(name: name, type: type)])
    }

    // MARK: - Decoding

    /// Decodes one complete message; trailing bytes are an error.
    public init(decoding bytes: [UInt8]) throws(DNSWireError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DNSWireError) in try DNSMessage(decoding: buffer) }
        }
        self = try result.get()
    }

    /// Decodes one complete message; trailing bytes are an error.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(DNSWireError) {
        guard bytes.count <= Self.maximumSize else {
            throw DNSWireError(.messageTooLarge(size: bytes.count), field: "message", offset: 0)
        }
        var reader = DNSMessageReader(bytes)
        let id = try reader.readUInt16("header id")
        let flags = try reader.readUInt16("header flags")
        let questionCount = Int(try reader.readUInt16("header qdcount"))
        let answerCount = Int(try reader.readUInt16("header ancount"))
        let authorityCount = Int(try reader.readUInt16("header nscount"))
        let additionalCount = Int(try reader.readUInt16("header arcount"))
        header = DNSHeader(id: id, flags: flags)

        // A question takes at least 5 bytes and a record 11, so counts never reserve more than the input.
        questions = []
        questions.reserveCapacity(min(questionCount, reader.remaining / 5))
        for index in 0..<questionCount {
            questions.append(try reader.readQuestion("question[\(index)]"))
        }
        answers = try Self.readRecords(answerCount, "answer", &reader)
        authorities = try Self.readRecords(authorityCount, "authority", &reader)
        additionals = try Self.readRecords(additionalCount, "additional", &reader)
        guard reader.remaining == 0 else {
            throw DNSWireError(.trailingBytes(count: reader.remaining), field: "message", offset: reader.offset)
        }
    }

    private static func readRecords(
        _ count: Int,
        _ section: String,
        _ reader: inout DNSMessageReader
    ) throws(DNSWireError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        records.reserveCapacity(min(count, reader.remaining / 11))
        for index in 0..<count {
            records.append(try reader.readRecord("\(section)[\(index)]"))
        }
        return records
    }

    // MARK: - Encoding

    /// The wire form. Names are compressed against earlier ones unless `compressingNames` is false.
    /// Throws when a section has more than 65535 entries or the result exceeds 65535 bytes.
    public func encoded(compressingNames: Bool = true) throws(DNSWireError) -> [UInt8] {
        var writer = DNSMessageWriter(compressingNames: compressingNames)
        writer.writeUInt16(header.id)
        writer.writeUInt16(try header.flags())
        let sections: [(String, Int)] = [
            ("qdcount", questions.count), ("ancount", answers.count), ("nscount", authorities.count),
            ("arcount", additionals.count),
        ]
        for (index, (name, count)) in sections.enumerated() {
            guard let count16 = UInt16(exactly: count) else {
                throw DNSWireError(.valueOutOfRange(count), field: "header \(name)", offset: 4 + 2 * index)
            }
            writer.writeUInt16(count16)
        }
        for question in questions { writer.writeQuestion(question) }
        for (index, record) in answers.enumerated() { try writer.writeRecord(record, "answer[\(index)]") }
        for (index, record) in authorities.enumerated() { try writer.writeRecord(record, "authority[\(index)]") }
        for (index, record) in additionals.enumerated() { try writer.writeRecord(record, "additional[\(index)]") }
        guard writer.bytes.count <= Self.maximumSize else {
            throw DNSWireError(.messageTooLarge(size: writer.bytes.count), field: "message", offset: 0)
        }
        return writer.bytes
    }
}
