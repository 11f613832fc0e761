import DNSWire
import Testing

@Suite struct DNSMessageMalformedTests {
    private func decodeError(_ bytes: [UInt8]) -> DNSWireError? {
        do {
            _ = try DNSMessage(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [DNSWireFixtures.query, DNSWireFixtures.response])
    func everyTruncationIsATypedEndOfMessage(bytes: [UInt8]) {
        for length in 0..<bytes.count {
            let error = decodeError(Array(bytes[..<length]))
            #expect(error?.reason == .endOfMessage, "cut at \(length): \(String(describing: error))")
            #expect((error?.offset ?? .max) <= length, "cut at \(length): \(String(describing: error))")
        }
    }

    @Test func truncationInsideRecordDataNamesTheField() {
        let error = decodeError(Array(DNSWireFixtures.response.dropLast(2)))
        #expect(error == DNSWireError(.endOfMessage, field: "answer[1].rdata", offset: 63))
    }

    @Test func trailingBytesAreRefused() {
        let error = decodeError(DNSWireFixtures.query + [0])
        #expect(error == DNSWireError(.trailingBytes(count: 1), field: "message", offset: 33))
    }

    @Test func messagesLargerThan65535BytesAreRefused() {
        let error = decodeError([UInt8](repeating: 0, count: 65536))
        #expect(error?.reason == .messageTooLarge(size: 65536))
    }

    @Test(arguments: [(DNSRecordType.a, 5, 4), (.aaaa, 4, 16)])
    func addressRecordsMustHaveTheirExactLength(type: DNSRecordType, length: Int, expected: Int) {
        let bytes =
            DNSWireFixtures.header(an: 1) + [
                0x00, 0x00, UInt8(type.rawValue), 0x00, 0x01, 0, 0, 0, 60, 0, UInt8(length),
            ]
            + [UInt8](repeating: 1, count: length)
        let error = decodeError(bytes)
        #expect(
            error
                == DNSWireError(
                    .recordDataLength(declared: length, used: expected),
                    field: "answer[0].rdata",
                    offset: 23
                )
        )
    }

    @Test func nameInRecordDataMustFillItsLengthExactly() {
        // CNAME to "a." (3 bytes) declared as 4 bytes of RDATA.
        let bytes = DNSWireFixtures.header(an: 1) + [0x00, 0x00, 0x05, 0x00, 0x01, 0, 0, 0, 60, 0, 4, 1, 0x61, 0, 0]
        #expect(
            decodeError(bytes)
                == DNSWireError(.recordDataLength(declared: 4, used: 3), field: "answer[0].rdata", offset: 23)
        )
    }

    @Test func nameInRecordDataCannotRunPastItsLength() {
        // CNAME whose label claims to continue past the declared 2 bytes of RDATA.
        let bytes = DNSWireFixtures.header(an: 1) + [0x00, 0x00, 0x05, 0x00, 0x01, 0, 0, 0, 60, 0, 2, 1, 0x61, 0]
        let error = decodeError(bytes)
        #expect(error?.reason == .endOfMessage)
        #expect(error?.field == "answer[0].rdata")
    }

    @Test func addressTypesOutsideClassINStayRaw() throws {
        // Class CH (3): an A record there is not a 4-byte address.
        let bytes = DNSWireFixtures.header(an: 1) + [0x00, 0x00, 0x01, 0x00, 0x03, 0, 0, 0, 0, 0, 2, 0xAB, 0xCD]
        let record = try #require(try DNSMessage(decoding: bytes).answers.first)
        #expect(record.data == .unknown(type: .a, bytes: [0xAB, 0xCD]))
        #expect(record.class == DNSClass(rawValue: 3))
    }

    @Test func opcodeAndResponseCodeMustFitFourBits() {
        var message = DNSMessage(header: DNSHeader(id: 1, responseCode: DNSResponseCode(rawValue: 16)))
        #expect(throws: DNSWireError(.valueOutOfRange(16), field: "header rcode", offset: 3)) { try message.encoded() }
        message.header = DNSHeader(id: 1, opcode: DNSOpcode(rawValue: 16))
        #expect(throws: DNSWireError(.valueOutOfRange(16), field: "header opcode", offset: 2)) { try message.encoded() }
    }

    @Test func oversizedRecordDataIsRefusedWhenEncoding() throws {
        let record = DNSResourceRecord(
            name: .root,
            ttl: 0,
            data: .unknown(type: .txt, bytes: [UInt8](repeating: 0, count: 65536))
        )
        let message = DNSMessage(header: DNSHeader(id: 1), answers: [record])
        #expect(throws: DNSWireError(.valueOutOfRange(65536), field: "answer[0].rdlength", offset: 21)) {
            try message.encoded()
        }
    }

    @Test func errorDescriptionSaysWhatAndWhere() {
        let error = DNSWireError(.forwardPointer(target: 200), field: "answer[0].name", offset: 33)
        #expect(
            error.description == "DNS answer[0].name at offset 33: compression pointer to 200 does not point backwards"
        )
    }
}
