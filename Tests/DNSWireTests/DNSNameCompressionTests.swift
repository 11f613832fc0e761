import DNSWire
import Testing

@Suite struct DNSNameCompressionTests {
    /// A response whose single answer is an unknown-type record whose owner name is `nameBytes`, placed
    /// after a question for `www.example.com` (so offsets 12...28 hold that name).
    private func response(ownerName nameBytes: [UInt8]) -> [UInt8] {
        DNSWireFixtures.header(qd: 1, an: 1) + DNSWireFixtures.wwwExampleCom + [0x00, 0x01, 0x00, 0x01] + nameBytes
            + [0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
    }

    private func decodeError(_ bytes: [UInt8]) -> DNSWireError? {
        do {
            _ = try DNSMessage(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func pointerIntoTheMiddleOfAnEarlierNameReadsItsSuffix() throws {
        let message = try DNSMessage(decoding: response(ownerName: [1, UInt8(ascii: "x"), 0xC0, 16]))
        #expect(message.answers.first?.name == (try DNSName("x.example.com")))
    }

    @Test func pointerToItselfIsALoop() {
        // The owner name starts at offset 33; a pointer there to 33 points at itself.
        let error = decodeError(response(ownerName: [0xC0, 33]))
        #expect(error == DNSWireError(.pointerLoop(target: 33), field: "answer[0].name", offset: 33))
    }

    @Test func pointerBackIntoItsOwnLabelsIsALoop() {
        // "a" at 33, then a pointer at 35 back to 33: a.a.a... forever without the backward rule.
        let error = decodeError(response(ownerName: [1, UInt8(ascii: "a"), 0xC0, 33]))
        #expect(error?.reason == .pointerLoop(target: 33))
        #expect(error?.offset == 35)
    }

    @Test func twoPointersAtEachOtherAreRefused() {
        // 33 points to 35 (forward), 35 points back to 33.
        let error = decodeError(response(ownerName: [0xC0, 35, 0xC0, 33]))
        #expect(error?.reason == .forwardPointer(target: 35))
    }

    @Test func forwardPointerIsRefused() {
        let error = decodeError(response(ownerName: [0xC0, 200]))
        #expect(error == DNSWireError(.forwardPointer(target: 200), field: "answer[0].name", offset: 33))
    }

    @Test func longChainsOfPointersAreBounded() throws {
        // An unknown record's raw data holds `a` then 130 pointers, each to the one before; the next
        // record's owner name enters at the last pointer and would need 131 hops.
        let dataStart = 12 + 10 + 1
        var data: [UInt8] = [1, UInt8(ascii: "a"), 0]
        var previous = dataStart
        for _ in 0..<130 {
            let here = dataStart + data.count
            data += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)]
            previous = here
        }
        let firstRecord: [UInt8] =
            [0x00, 0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
        let bytes =
            DNSWireFixtures.header(an: 2) + firstRecord + data
            + [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0x00, 0x63, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
        let error = decodeError(bytes)
        #expect(error?.reason == .tooManyPointers(limit: 128))
        #expect(error?.field == "answer[1].name")
    }

    @Test func nameLongerThan255BytesIsRefused() {
        // Four 63-byte labels take 4 * 64 + 1 = 257 bytes.
        let label = [63] + [UInt8](repeating: UInt8(ascii: "x"), count: 63)
        let error = decodeError(response(ownerName: label + label + label + label + [0]))
        #expect(error?.reason == .nameTooLong(length: 257))
    }

    @Test func nameGrowingPast255BytesThroughPointersIsRefused() {
        // Three 63-byte labels in the first record's owner name (193 bytes); the next adds another through a
        // pointer to it.
        let label = [63] + [UInt8](repeating: UInt8(ascii: "y"), count: 63)
        let first = label + label + label + [0] + [0x00, 0x63, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
        let second = label + [0xC0, 12] + [0x00, 0x63, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
        let error = decodeError(DNSWireFixtures.header(an: 2) + first + second)
        #expect(error?.reason == .nameTooLong(length: 257))
    }

    @Test(arguments: [UInt8(0x40), 0x80])
    func reservedLabelTypesAreRefused(prefix: UInt8) {
        let error = decodeError(response(ownerName: [prefix | 1, 0]))
        #expect(error == DNSWireError(.reservedLabelType(prefix | 1), field: "answer[0].name", offset: 33))
    }

    @Test func encoderReusesSuffixesAcrossRecordData() throws {
        let base = try DNSName("svc.example.com")
        let message = DNSMessage(
            header: DNSHeader(id: 9, isResponse: true),
            questions: [DNSQuestion(name: base, type: .cname)],
            answers: [DNSResourceRecord(name: base, ttl: 5, data: .cname(try DNSName("backend.svc.example.com")))]
        )
        let bytes = try message.encoded()
        // question name (17) + type/class, owner as a pointer (2), "backend" label (8) + pointer (2)
        #expect(bytes.count == 12 + 17 + 4 + 2 + 10 + 8 + 2)
        #expect(try DNSMessage(decoding: bytes) == message)
    }

    @Test func compressionKeepsTheCaseOfEachName() throws {
        let message = DNSMessage(
            header: DNSHeader(id: 9),
            questions: [
                DNSQuestion(name: try DNSName("Example.COM"), type: .a),
                DNSQuestion(name: try DNSName("example.com"), type: .a),
            ]
        )
        let decoded = try DNSMessage(decoding: try message.encoded())
        #expect(decoded.questions.map(\.name.description) == ["Example.COM.", "example.com."])
    }
}
