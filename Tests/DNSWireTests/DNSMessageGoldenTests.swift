import DNSWire
import Testing

@Suite struct DNSMessageGoldenTests {
    @Test func queryDecodesFieldByField() throws {
        let message = try DNSMessage(decoding: DNSWireFixtures.query)
        #expect(message.header == DNSHeader(id: 0x1234, recursionDesired: true))
        #expect(message.questions == [DNSQuestion(name: try DNSName("www.example.com"), type: .a)])
        #expect(message.answers.isEmpty && message.authorities.isEmpty && message.additionals.isEmpty)
    }

    @Test func queryEncodesToTheRFCLayout() throws {
        let query = DNSMessage.query(id: 0x1234, name: try DNSName("www.example.com"), type: .a)
        #expect(try query.encoded() == DNSWireFixtures.query)
    }

    @Test func compressedResponseDecodes() throws {
        let message = try DNSMessage(decoding: DNSWireFixtures.response)
        #expect(message.header.id == 0x1234)
        #expect(message.header.isResponse && message.header.isAuthoritativeAnswer)
        #expect(message.header.recursionDesired && message.header.recursionAvailable)
        #expect(!message.header.isTruncated && message.header.responseCode == .noError)
        let web = try DNSName("web.example.com")
        #expect(
            message.answers == [
                DNSResourceRecord(name: try DNSName("www.example.com"), ttl: 3600, data: .cname(web)),
                DNSResourceRecord(name: web, ttl: 60, data: .a(try DNSIPv4Address("127.0.10.1"))),
            ]
        )
    }

    @Test func encoderCompressesExactlyLikeTheHandBuiltResponse() throws {
        let message = try DNSMessage(decoding: DNSWireFixtures.response)
        #expect(try message.encoded() == DNSWireFixtures.response)
    }

    @Test func uncompressedEncodingIsLongerAndDecodesToTheSameMessage() throws {
        let message = try DNSMessage(decoding: DNSWireFixtures.response)
        let plain = try message.encoded(compressingNames: false)
        // header 12 + question 17+4 + CNAME 17+10+17 + A 17+10+4
        #expect(plain.count == 108)
        #expect(try DNSMessage(decoding: plain) == message)
    }

    /// Each header field alone and the flags word RFC 1035 §4.1.1 gives it.
    static let flagBits: [(DNSHeader, UInt16)] = [
        (DNSHeader(id: 0, isResponse: true), 0x8000),
        (DNSHeader(id: 0, opcode: DNSOpcode(rawValue: 2)), 0x1000),
        (DNSHeader(id: 0, isAuthoritativeAnswer: true), 0x0400),
        (DNSHeader(id: 0, isTruncated: true), 0x0200),
        (DNSHeader(id: 0, recursionDesired: true), 0x0100),
        (DNSHeader(id: 0, recursionAvailable: true), 0x0080),
        (DNSHeader(id: 0, authenticData: true), 0x0020),
        (DNSHeader(id: 0, checkingDisabled: true), 0x0010),
        (DNSHeader(id: 0, responseCode: .nameError), 0x0003),
    ]

    @Test(arguments: flagBits)
    func eachHeaderFlagHasItsRFCBit(header: DNSHeader, flags: UInt16) throws {
        let bytes = DNSWireFixtures.header(id: 0, flags: flags)
        #expect(try DNSMessage(header: header).encoded() == bytes)
        #expect(try DNSMessage(decoding: bytes).header == header)
    }

    @Test func truncationFlagSurvivesARoundTrip() throws {
        var message = try DNSMessage(decoding: DNSWireFixtures.response)
        message.header.isTruncated = true
        message.answers = []
        let bytes = try message.encoded()
        #expect(bytes[2] & 0x02 != 0)
        #expect(try DNSMessage(decoding: bytes).header.isTruncated)
    }

    @Test func reservedZBitIsIgnored() throws {
        let bytes = DNSWireFixtures.header(flags: 0x8040)
        #expect(try DNSMessage(decoding: bytes).header == DNSHeader(id: 1, isResponse: true))
    }
}
