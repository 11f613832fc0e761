import TLSWire
import TestWorld
import Testing

/// The extra vectors the peer survey suggests, and the rules this reader adds (RFC 6066, 7301, 8446).
@Suite struct ServerNameRuleTests {
    @Test func nameIsLowerCasedAndItsTrailingDotKept() {
        #expect(readEveryFragmentation(.modern(serverName: "WWW.Example.COM.")).hello?.serverName == "www.example.com.")
    }

    @Test func nameOf255BytesIsReadAnd256IsMalformed() {
        let longest = (0..<4).map { _ in String(repeating: "x", count: 62) }.joined(separator: ".") + ".abc"
        #expect(longest.utf8.count == 255)
        #expect(readEveryFragmentation(.modern(serverName: longest)).hello?.serverName == longest)
        let outcome = read(ClientHelloBuilder.modern(serverName: longest + "d").bytes)
        #expect(outcome.error?.isMalformed == true)
        #expect("\(outcome)".contains("256 bytes exceeds 255"))
    }

    @Test(arguments: ["192.0.2.1", "[::1]", "xn--bcher-kva.example", "under_score.example", "*.example.com"])
    func nameIsCarriedWithoutDNSSyntaxJudgement(name: String) {
        // RFC 6066 forbids IP literals; the upstream server, not the proxy, rejects them. Routes will not match.
        #expect(readEveryFragmentation(.modern(serverName: name)).hello?.serverName == name)
    }

    @Test(arguments: ["", "a\u{0}b", "a b", "tab\texample", "caf\u{E9}.example", "del\u{7F}"])
    func unprintableOrEmptyNameIsMalformed(name: String) {
        #expect(readEveryFragmentation(.modern(serverName: name)).error?.isMalformed == true)
    }

    @Test func duplicateServerNameExtensionIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverName("a.example"), .alpn(["h2"]), .serverName("b.example")]
        let outcome = readEveryFragmentation(builder)
        #expect(outcome.error?.isMalformed == true)
        #expect("\(outcome)".contains("duplicate server_name"))
    }

    @Test func secondHostNameInTheListIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverNameEntries([(0, "a.example"), (0, "b.example")])]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func firstHostNameAfterAnotherTypeIsTheName() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.serverNameEntries([(7, "\u{1}\u{2}"), (0, "b.example")])]
        #expect(readEveryFragmentation(builder).hello?.serverName == "b.example")
    }

    @Test func emptyServerNameExtensionIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.empty(0)]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func encryptedClientHelloReportsTheOuterName() {
        var builder = ClientHelloBuilder.modern(serverName: "public.example")
        builder.extensions?.append(
            ClientHelloBuilder.Extension(type: 0xFE0D, data: [0] + [UInt8](repeating: 9, count: 200))
        )
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.hasEncryptedClientHello == true)
        #expect(hello?.serverName == "public.example")
    }
}

@Suite struct ExtensionRuleTests {
    @Test func zeroLengthALPNNameIsMalformed() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.alpnRaw([Array("h2".utf8), []])]
        // alpnRaw puts a zero length byte; vector8 of [] is [0].
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func sixtyFiveALPNNamesAreMalformedAndSixtyFourRead() {
        var builder = ClientHelloBuilder()
        builder.extensions = [.alpn((0..<64).map { "p\($0)" })]
        #expect(readEveryFragmentation(builder).hello?.alpn.count == 64)
        builder.extensions = [.alpn((0..<65).map { "p\($0)" })]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func sessionIDOf33BytesIsMalformed() {
        var builder = ClientHelloBuilder.modern()
        builder.sessionID = [UInt8](repeating: 1, count: 33)
        #expect(
            readEveryFragmentation(builder)
                == .failed(.malformed(reason: "legacy_session_id length 33 exceeds 32", offset: 5 + 4 + 2 + 32))
        )
    }

    @Test func oddCipherSuitesLengthIsMalformed() {
        var message = ClientHelloBuilder().message
        let lengthOffset = 4 + 2 + 32 + 1 + 32
        message[lengthOffset + 1] -= 1
        #expect(read(ClientHelloBuilder.records(of: message, fragmentSize: 16_384)).error?.isMalformed == true)
    }

    @Test func emptyCompressionMethodsAreMalformed() {
        var builder = ClientHelloBuilder.modern()
        builder.compressionMethods = []
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func duplicateUnknownExtensionIsMalformed() {
        var builder = ClientHelloBuilder.modern()
        builder.extensions? += [.empty(0x1234), .empty(0x1234)]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func duplicateAmongHundredsOfExtensionsIsFound() {
        var builder = ClientHelloBuilder()
        builder.extensions = (0..<1_000).map { .empty(UInt16(1_000 + $0)) } + [.empty(1_500)]
        #expect("\(read(builder.bytes))".contains("duplicate 0x5dc extension"))
        builder.extensions?.removeLast()
        #expect(read(builder.bytes).hello?.extensionTypes.count == 1_000)
    }

    @Test func preSharedKeyBeforeAnotherExtensionIsMalformed() {
        var builder = ClientHelloBuilder.modern()
        builder.extensions?.insert(.empty(41), at: 1)
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
        builder = .modern()
        builder.extensions?.append(.empty(41))
        #expect(readEveryFragmentation(builder).hello != nil)
    }

    @Test(arguments: [[], [3], [3, 4, 3]] as [[UInt8]])
    func supportedVersionsOfBadLengthIsMalformed(data: [UInt8]) {
        var builder = ClientHelloBuilder()
        builder.extensions = [ClientHelloBuilder.Extension(type: 43, data: ClientHelloBuilder.vector8(data))]
        #expect(readEveryFragmentation(builder).error?.isMalformed == true)
    }

    @Test func bytesAfterTheExtensionsAreMalformed() {
        var builder = ClientHelloBuilder.modern()
        builder.extensions = [.serverName("example.com")]
        var message = builder.message + [0]
        message.replaceSubrange(1..<4, with: ClientHelloBuilder.u24(message.count - 4))
        #expect(read(ClientHelloBuilder.records(of: message, fragmentSize: 16_384)).error?.isMalformed == true)
    }

    @Test func postQuantumSizedHelloIsReadFromAnyFragmentation() {
        var builder = ClientHelloBuilder.modern(serverName: "pq.example.com")
        builder.cipherSuites = (0..<16).map { UInt16(0x1301 + $0) }
        builder.extensions = [
            .empty(0x2A2A), .serverName("pq.example.com"), .alpn(["h2", "http/1.1"]),
            .supportedVersions([0x5A5A, 0x0304, 0x0303]),
            .keyShare([(0x4A4A, 1), (0x11EC, 1_216), (0x001D, 32)]),
            ClientHelloBuilder.Extension(type: 0xFE0D, data: [0] + [UInt8](repeating: 1, count: 250)),
            .padding(300),
        ]
        #expect(builder.message.count > 1_900)
        let hello = readEveryFragmentation(builder).hello
        #expect(hello?.serverName == "pq.example.com")
        #expect(hello?.extensionTypes.contains(.keyShare) == true)
    }
}
