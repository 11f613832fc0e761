import TLSWire
import TestWorld
import Testing

/// How the reader treats the record layer and its limits.
@Suite struct RecordLayerTests {
    @Test func helloInRecordsOfEverySizeGivesTheSameAnswer() {
        let builder = ClientHelloBuilder.modern(serverName: "records.example")
        let single = read(builder.bytes)
        #expect(single.hello?.recordCount == 1)
        for size in 1...builder.message.count {
            let bytes = builder.records(fragmentSize: size)
            let outcome = read(bytes)
            #expect(outcome.ignoringRecords == single.ignoringRecords, "records of \(size)")
            #expect(outcome.hello?.bytesExamined == bytes.count)
            #expect(outcome.hello?.recordCount == (builder.message.count + size - 1) / size)
        }
    }

    @Test func bytesAfterTheHelloAreNotExamined() {
        let hello = ClientHelloBuilder.modern().bytes
        let earlyData = ClientHelloBuilder.record([1, 2, 3], type: 23)
        var reader = ClientHelloReader()
        let outcome = reader.feed(hello + earlyData)
        #expect(outcome.hello?.bytesExamined == hello.count)
        #expect(reader.bytesExamined == hello.count)
        #expect(reader.feed([0xFF, 0xFF]) == outcome)
    }

    @Test func helloEndingBeforeItsRecordCompletesWithoutTheRest() {
        let message = ClientHelloBuilder.modern().message
        let bytes = ClientHelloBuilder.record(message + [9, 9, 9])
        #expect(readEverySplit(Array(bytes.dropLast(3))).hello?.bytesExamined == bytes.count - 3)
    }

    @Test(arguments: [20, 21, 23] as [UInt8])
    func nonHandshakeFirstRecordIsNotTLS(type: UInt8) {
        let bytes = ClientHelloBuilder.record([1, 0], type: type, version: 0x0303)
        #expect(readEverySplit(bytes) == .failed(.notTLS(.contentType(type))))
    }

    @Test func alertRecordInsideTheHelloIsMalformed() {
        let message = ClientHelloBuilder.modern().message
        let bytes =
            ClientHelloBuilder.record(Array(message[..<50])) + ClientHelloBuilder.record([2, 40], type: 21)
            + ClientHelloBuilder.record(Array(message[50...]))
        #expect(
            readEverySplit(bytes)
                == .failed(
                    .malformed(reason: "record of content type 21 inside the ClientHello (RFC 8446 §5.1)", offset: 55)
                )
        )
    }

    @Test func recordVersionWithWrongMajorIsNotTLS() {
        #expect(
            readEverySplit([22, 2, 0, 0, 5]) == .failed(.notTLS(.recordVersion(TLSProtocolVersion(rawValue: 0x0200))))
        )
    }

    @Test func zeroLengthRecordIsMalformed() {
        let bytes = ClientHelloBuilder.record([]) + ClientHelloBuilder.modern().bytes
        #expect(
            readEverySplit(bytes)
                == .failed(.malformed(reason: "zero-length handshake record (RFC 8446 §5.1)", offset: 3))
        )
    }

    @Test func recordOf16384BytesIsReadAndLongerIsMalformed() {
        var builder = ClientHelloBuilder.modern(serverName: "big.example")
        let base = builder.message.count
        builder.extensions?.append(.padding(16_384 - base - 4))
        #expect(builder.message.count == 16_384)
        let hello = read(builder.bytes, maximumLength: 16_389).hello
        #expect(hello?.serverName == "big.example")
        #expect(hello?.bytesExamined == 16_389)
        // The default 16 KiB limit counts the record header too.
        #expect(read(builder.bytes) == .failed(.tooLarge(limit: 16_384)))

        let oversized = ClientHelloBuilder.record(builder.message + [0])
        #expect(
            read(oversized, maximumLength: 65_536)
                == .failed(.malformed(reason: "record length 16385 exceeds the TLS maximum of 16384", offset: 3))
        )
    }

    @Test func helloOver16KiBAcrossRecordsIsReadWhenTheLimitAllows() {
        var builder = ClientHelloBuilder.modern(serverName: "huge.example")
        builder.extensions?.append(.padding(20_000))
        #expect(readEverySplit(builder.bytes, maximumLength: 32_768).hello?.serverName == "huge.example")
        #expect(read(builder.bytes) == .failed(.tooLarge(limit: 16_384)))
    }

    @Test func manyTinyRecordsHitTheLimitBeforeItIsPassed() {
        // Five header bytes per payload byte: a 3 KB hello in 1-byte records needs about 18 KB of stream.
        var builder = ClientHelloBuilder.modern()
        builder.extensions?.append(.padding(2_800))
        let bytes = builder.records(fragmentSize: 1)
        var reader = ClientHelloReader()
        #expect(reader.feed(bytes) == .failed(.tooLarge(limit: 16_384)))
        #expect(reader.bytesExamined <= 16_384)
    }

    @Test(arguments: [2, 11, 0] as [UInt8])
    func otherHandshakeTypeIsReported(type: UInt8) {
        var builder = ClientHelloBuilder.modern()
        builder.handshakeType = type
        #expect(readEveryFragmentation(builder) == .failed(.unexpectedHandshakeType(type)))
    }

    @Test func answerIsRepeatedForLaterFeeds() {
        var reader = ClientHelloReader()
        #expect(reader.feed(Array("GET".utf8)) == .failed(.notTLS(.contentType(0x47))))
        #expect(reader.feed(ClientHelloBuilder.modern().bytes) == .failed(.notTLS(.contentType(0x47))))
        #expect(reader.bytesExamined == 1)
    }

    /// Fuzzer find: a hello failing its limit in one feed counted 5 bytes examined, fed bytewise 9.
    @Test func failureCountsTheSameBytesWhetherFedWholeOrBytewise() {
        var builder = ClientHelloBuilder.modern()
        _ = readEverySplit(builder.bytes, maximumLength: 88)
        var reader = ClientHelloReader(maximumLength: 88)
        #expect(reader.feed(builder.bytes) == .failed(.tooLarge(limit: 88)))
        #expect(reader.bytesExamined == 9)
        builder.handshakeType = 2
        reader = ClientHelloReader()
        #expect(reader.feed(builder.bytes) == .failed(.unexpectedHandshakeType(2)))
        #expect(reader.bytesExamined == 6)
        _ = readEverySplit(builder.bytes)
    }

    @Test func emptyFeedNeedsMoreBytes() {
        var reader = ClientHelloReader()
        #expect(reader.feed([]) == .needMoreBytes)
        #expect(reader.bytesExamined == 0)
    }

    @Test func errorsDescribeThemselves() {
        #expect(
            ClientHelloError.notTLS(.contentType(0x47)).description
                == "not TLS: first byte 0x47 ('G') is not a TLS handshake record (0x16)"
        )
        #expect(
            ClientHelloError.notTLS(.contentType(21)).description
                == "not TLS: first byte 0x15 (TLS alert record) is not a TLS handshake record (0x16)"
        )
        #expect(
            ClientHelloError.malformed(reason: "empty host_name", offset: 120).description
                == "malformed ClientHello at stream offset 120: empty host_name"
        )
    }
}
