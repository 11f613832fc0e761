import DNSWire
import Testing

@Suite struct DNSMessageRoundTripTests {
    private static func everyRecordKind() throws -> DNSMessage {
        let zone = try DNSName("example.com")
        return DNSMessage(
            header: DNSHeader(
                id: 0xBEEF,
                isResponse: true,
                isAuthoritativeAnswer: true,
                recursionDesired: true,
                responseCode: .nameError
            ),
            questions: [DNSQuestion(name: try DNSName("Missing.Example.com"), type: .aaaa)],
            answers: [
                DNSResourceRecord(
                    name: try DNSName("a.example.com"),
                    ttl: 1,
                    data: .a(try DNSIPv4Address("127.0.0.1"))
                ),
                DNSResourceRecord(name: try DNSName("a.example.com"), ttl: 2, data: .aaaa(try DNSIPv6Address("::1"))),
                DNSResourceRecord(
                    name: try DNSName("b.example.com"),
                    ttl: 3,
                    data: .cname(try DNSName("a.example.com"))
                ),
            ],
            authorities: [
                DNSResourceRecord(
                    name: zone,
                    ttl: 5,
                    data: .soa(
                        DNSSOAData(
                            primaryNameServer: try DNSName("ns.example.com"),
                            responsibleMailbox: try DNSName("hostmaster.example.com"),
                            serial: 2024_01_01,
                            refresh: 3600,
                            retry: 600,
                            expire: 86400,
                            minimum: 5
                        )
                    )
                )
            ],
            additionals: [
                DNSResourceRecord(
                    name: .root,
                    class: DNSClass(rawValue: 1232),
                    ttl: 0,
                    data: .unknown(type: .opt, bytes: [])
                ),
                DNSResourceRecord(name: zone, ttl: 7, data: .unknown(type: .txt, bytes: [3, 0x61, 0x62, 0x63])),
            ]
        )
    }

    @Test(arguments: [true, false])
    func everyRecordKindRoundTrips(compressing: Bool) throws {
        let message = try Self.everyRecordKind()
        let bytes = try message.encoded(compressingNames: compressing)
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded == message)
        #expect(try decoded.encoded(compressingNames: compressing) == bytes)
    }

    @Test func decodingRealDigQueryKeepsItsEDNSRecord() throws {
        // What `dig @127.0.0.1 www.example.com A` sent (RD and AD set, EDNS OPT with a cookie option).
        let bytes: [UInt8] =
            [
                0x21, 0x79, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            ] + DNSWireFixtures.wwwExampleCom + [
                0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00,
                0x0A, 0x00, 0x08, 0x62, 0x22, 0x2D, 0x04, 0x2D, 0xDD, 0x8C, 0xC7,
            ]
        let message = try DNSMessage(decoding: bytes)
        #expect(message.header.recursionDesired && message.header.authenticData)
        #expect(message.questions.first?.type == .a)
        let opt = try #require(message.additionals.first)
        #expect(opt.type == .opt && opt.class.rawValue == 1232 && opt.name == .root)
        #expect(try message.encoded() == bytes)
    }

    @Test func tcpFramingPrefixesTheLength() throws {
        let framed = try DNSTCPFraming.frame(DNSWireFixtures.query)
        #expect(Array(framed[..<2]) == [0x00, 0x21])
        #expect(Array(framed[2...]) == DNSWireFixtures.query)
    }

    @Test func tcpFramingWaitsForAWholeMessage() throws {
        let framed = try DNSTCPFraming.frame(DNSWireFixtures.query) + [0x00]
        for length in 0..<framed.count - 1 {
            #expect(Array(framed[..<length]).withUnsafeBytes { DNSTCPFraming.firstMessage(in: $0) } == nil)
        }
        let first = framed.withUnsafeBytes { DNSTCPFraming.firstMessage(in: $0) }
        #expect(first?.message == DNSWireFixtures.query)
        #expect(first?.consumed == framed.count - 1)
    }

    @Test func tcpFramingRefusesOversizedMessages() {
        #expect(throws: DNSWireError(.messageTooLarge(size: 65536), field: "TCP frame", offset: 0)) {
            try DNSTCPFraming.frame([UInt8](repeating: 0, count: 65536))
        }
    }
}
