import TLSWire
import TestWorld
import Testing

/// The cases other proxies' parser suites check (reference: peers-and-users.md §4), rebuilt as byte vectors and
/// each read whole, one byte at a time, split at every offset, and fragmented into records of many sizes.
@Suite struct SniproxyVectorTests {
    private let heartbeat = ClientHelloBuilder.Extension(type: 15, data: [1])

    @Test func tls10RecordWithSNIGivesTheName() {
        var builder = ClientHelloBuilder()
        builder.legacyVersion = 0x0301
        builder.extensions = [.serverName("localhost")]
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.serverName == "localhost")
        #expect(hello?.legacyVersion == .tls1_0)
    }

    @Test func tls12WithSNIAndHeartbeatGivesTheName() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("localhost"), heartbeat]
        #expect(readEveryFragmentation(builder).hello?.serverName == "localhost")
    }

    @Test func heartbeatBeforeSNIGivesTheName() {
        var builder = ClientHelloBuilder()
        builder.extensions = [heartbeat, .serverName("localhost")]
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.serverName == "localhost")
        #expect(hello?.extensionTypes == [TLSExtensionType(rawValue: 15), .serverName])
    }

    @Test func emptySessionTicketExtensionIsAccepted() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("localhost"), .empty(35)]
        #expect(readEveryFragmentation(builder).hello?.serverName == "localhost")
    }

    @Test func paddingBeforeSNIIsSkipped() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.padding(128), .serverName("localhost")]
        #expect(readEveryFragmentation(builder).hello?.serverName == "localhost")
    }

    @Test func ssl30HelloWithoutExtensionsIsUnsupported() {
        var builder = ClientHelloBuilder()
        builder.recordVersion = 0x0300
        builder.legacyVersion = 0x0300
        builder.extensions = nil
        #expect(readEveryFragmentation(builder) == .failed(.unsupportedVersion(.ssl3)))
    }

    @Test func sslv2CompatibleHelloIsReportedAsSuch() {
        // RFC 5246 Appendix E.2: 2-byte header with the high bit, msg_type 1, version 3.1, then lengths.
        let body: [UInt8] = [1, 3, 1, 0, 3, 0, 0, 0, 16, 0, 0, 0x2F] + [UInt8](repeating: 7, count: 16)
        let bytes = [0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        #expect(readEverySplit(bytes) == .failed(.sslv2CompatibleHello(offeredVersion: .tls1_0)))
    }

    @Test func corruptedNameByteIsMalformedAtItsStreamOffset() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("local\u{1}host")]
        let message = builder.message
        let badByte = message.count - "host".utf8.count - 1
        #expect(message[badByte] == 1)
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
        for size in fragmentSizes(for: message.count) {
            // Every record before the bad byte adds a 5-byte header.
            let expected = badByte + 5 * (badByte / size + 1)
            #expect(read(builder.records(fragmentSize: size)).error?.offset == expected, "records of \(size)")
        }
    }

    @Test func streamCutInsideTheExtensionsNeedsMoreBytes() {
        let bytes = ClientHelloBuilder.modern().bytes
        #expect(readEverySplit(Array(bytes.dropLast(20))) == .needMoreBytes)
    }

    @Test func helloWhoseLengthsEndInsideAnExtensionIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("localhost")]
        var message = builder.message
        message.removeLast(3)
        // Shorten the handshake length to match; the extensions length still claims 3 more bytes.
        message.replaceSubrange(1..<4, with: ClientHelloBuilder.u24(message.count - 4))
        let outcome = readEverySplit(ClientHelloBuilder.records(of: message, fragmentSize: 16_384))
        #expect(outcome.error?.isMalformed == true, "\(outcome)")
    }

    @Test func fourByteHeaderAloneNeedsMoreBytes() {
        #expect(readEverySplit([22, 3, 1, 0]) == .needMoreBytes)
    }

    @Test func extensionLengthLongerThanItsContainerIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("localhost")]
        var message = builder.message
        // The server_name extension length sits right after the 2-byte extensions length and 2-byte type.
        let extensionLengthOffset = message.count - (2 + 2 + 1 + 2 + 9)
        message[extensionLengthOffset + 1] += 1
        let bytes = ClientHelloBuilder.records(of: message, fragmentSize: 16_384)
        #expect(
            readEverySplit(bytes)
                == .failed(
                    .malformed(
                        reason: "extension data needs 15 bytes but its container has 14 left",
                        offset: 5 + extensionLengthOffset + 2
                    )
                )
        )
    }
}

@Suite struct EnvoyVectorTests {
    @Test func sniAndALPNAreRegistered() {
        let hello = readEveryFragmentation(.modern(serverName: "example.com")).hello
        #expect(hello?.serverName == "example.com")
        #expect(hello?.alpn == ["h2", "http/1.1"])
        #expect(hello?.supportedVersions == [.tls1_3, .tls1_2])
    }

    @Test func helloFedOneBytePerReadCompletesOnItsLastByte() {
        let bytes = ClientHelloBuilder.modern().bytes
        var reader = ClientHelloReader()
        for (index, byte) in bytes.enumerated() {
            let outcome = reader.feed([byte])
            if index < bytes.count - 1 {
                #expect(outcome == .needMoreBytes, "byte \(index)")
            } else {
                #expect(outcome.hello?.bytesExamined == bytes.count)
            }
        }
    }

    @Test func helloWithoutExtensionsHasNoName() {
        var builder = ClientHelloBuilder()
        builder.extensions = nil
        let hello = readEveryFragmentation(builder).hello
        #expect(hello != nil)
        #expect(hello?.serverName == nil)
        #expect(hello?.extensionTypes == [])
    }

    @Test func emptyExtensionListHasNoName() {
        let hello = readEveryFragmentation(ClientHelloBuilder()).hello
        #expect(hello != nil)
        #expect(hello?.serverName == nil)
    }

    @Test func seventeenKilobyteHelloIsTooLargeAsSoonAsItsLengthIsKnown() {
        var builder = ClientHelloBuilder.modern()
        builder.extensions?.append(.padding(17_000))
        let bytes = builder.bytes
        #expect(readEverySplit(bytes) == .failed(.tooLarge(limit: 16_384)))
        var reader = ClientHelloReader()
        #expect(reader.feed(bytes[..<9]) == .failed(.tooLarge(limit: 16_384)))
        #expect(reader.bytesExamined == 9)
    }

    @Test func hundredZeroBytesAreNotTLS() {
        let outcome = readEverySplit([UInt8](repeating: 0, count: 100))
        #expect(outcome == .failed(.notTLS(.contentType(0))))
    }

    @Test func plaintextLargerThanTheLimitFailsOnItsFirstByte() {
        var reader = ClientHelloReader()
        let outcome = reader.feed([UInt8](repeating: UInt8(ascii: "A"), count: 20_000))
        #expect(outcome == .failed(.notTLS(.contentType(UInt8(ascii: "A")))))
        #expect(reader.bytesExamined == 1)
    }

    @Test func ssl3LegacyVersionIsUnsupported() {
        var builder = ClientHelloBuilder.modern()
        builder.legacyVersion = 0x0300
        #expect(readEveryFragmentation(builder) == .failed(.unsupportedVersion(.ssl3)))
    }

    /// Envoy rejects 0x0305 behind a runtime guard; RFC 8446 §4.2.1 asks servers to tolerate higher versions,
    /// and the upstream server, not the proxy, negotiates, so we read it.
    @Test func futureLegacyVersionIsTolerated() {
        var builder = ClientHelloBuilder.modern()
        builder.legacyVersion = 0x0305
        #expect(readEveryFragmentation(builder).hello?.legacyVersion == TLSProtocolVersion(rawValue: 0x0305))
    }

    @Test(arguments: [0x0301, 0x0302, 0x0303] as [UInt16])
    func everyTLSVersionGivesTheName(version: UInt16) {
        var builder = ClientHelloBuilder.modern()
        builder.legacyVersion = version
        builder.extensions = [.serverName("example.com")]
        #expect(readEveryFragmentation(builder).hello?.legacyVersion == TLSProtocolVersion(rawValue: version))
    }

    @Test func longLabelNameIsRead() {
        let name = String(repeating: "a", count: 240) + ".example.com"
        #expect(readEveryFragmentation(.modern(serverName: name)).hello?.serverName == name)
    }

    @Test func greaseValuesAreCarriedOrSkipped() {
        var builder = ClientHelloBuilder()
        builder.cipherSuites = [0x3A3A, 0x1301]
        builder.extensions = [
            .empty(0x0A0A), .serverName("example.com"), .supportedVersions([0x7A7A, 0x0304, 0x0303]),
            .alpn(["h2"]), ClientHelloBuilder.Extension(type: 0xFAFA, data: [0]),
        ]
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.serverName == "example.com")
        #expect(hello?.supportedVersions == [.tls1_3, .tls1_2])
        #expect(hello?.cipherSuiteCount == 2)
        #expect(hello?.extensionTypes.first?.isGREASE == true)
        #expect(hello?.extensionTypes.last?.isGREASE == true)
    }

    @Test func emptyALPNListIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("example.com"), ClientHelloBuilder.Extension(type: 16, data: [0, 0])]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test(arguments: ["h", "a b\u{1}c", "\u{0A}\u{0A}", "x-\u{FF}"])
    func unusualALPNNamesAreCarried(name: String) {
        var builder = ClientHelloBuilder()
        builder.extensions = [.alpn([name, "h2"])]
        #expect(readEveryFragmentation(builder).hello?.alpn == [name, "h2"])
    }

    @Test func hundredCipherSuitesAreCounted() {
        var builder = ClientHelloBuilder.modern()
        builder.cipherSuites = (0..<100).map { UInt16(0xC000 + $0) }
        #expect(readEveryFragmentation(builder).hello?.cipherSuiteCount == 100)
    }
}

@Suite struct NginxVectorTests {
    @Test func sniSplitAcrossTwoRecordsIsReassembled() {
        let builder = ClientHelloBuilder.modern(serverName: "split.example.com")
        let message = builder.message
        let nameEnd = message.count - message.reversed().firstIndex(of: UInt8(ascii: "t"))!
        let nameMiddle = nameEnd - 8
        let bytes =
            ClientHelloBuilder.record(Array(message[..<nameMiddle]))
            + ClientHelloBuilder.record(Array(message[nameMiddle...]))
        let hello = readEverySplit(bytes).hello
        #expect(hello?.serverName == "split.example.com")
        #expect(hello?.recordCount == 2)
    }

    @Test func handshakeLengthShorterThanItsFieldsIsMalformed() {
        var message = ClientHelloBuilder.modern().message
        message.replaceSubrange(1..<4, with: ClientHelloBuilder.u24(20))
        let bytes = ClientHelloBuilder.records(of: message, fragmentSize: 16_384)
        #expect(
            readEverySplit(bytes)
                == .failed(.malformed(reason: "random needs 32 bytes but its container has 18 left", offset: 11))
        )
    }

    @Test func ssl30RecordVersionWithTLSHelloIsRead() {
        var builder = ClientHelloBuilder.modern()
        builder.recordVersion = 0x0300
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.recordVersion == .ssl3)
        #expect(hello?.serverName == "www.example.com")
    }

    @Test func helloBeyondTheConfiguredBufferIsTooLarge() {
        let bytes = ClientHelloBuilder.modern().bytes
        #expect(readEverySplit(bytes, maximumLength: bytes.count - 1) == .failed(.tooLarge(limit: bytes.count - 1)))
        #expect(readEverySplit(bytes, maximumLength: bytes.count).hello != nil)
    }

    @Test func httpRequestIsNotAHandshake() {
        #expect(readEverySplit(Array("GET / HTTP/1.1\r\n\r\n".utf8)) == .failed(.notTLS(.contentType(0x47))))
    }

    @Test func nonHostNameTypeGivesNoName() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverNameEntries([(1, "example.com")])]
        let hello = readEveryFragmentation(builder).hello
        #expect(hello != nil)
        #expect(hello?.serverName == nil)
    }

    @Test(arguments: [(0x0301, nil), (0x0302, nil), (0x0303, nil), (0x0303, 0x0304)] as [(UInt16, UInt16?)])
    func offeredVersionIsDetected(legacy: UInt16, supported: UInt16?) {
        var builder = ClientHelloBuilder()
        builder.legacyVersion = legacy
        builder.extensions = supported.map { [.supportedVersions([$0, 0x0303])] } ?? []
        let expected = TLSProtocolVersion(rawValue: supported ?? legacy)
        #expect(readEveryFragmentation(builder).hello?.highestOfferedVersion == expected)
    }
}
