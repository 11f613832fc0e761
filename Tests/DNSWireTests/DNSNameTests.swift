import DNSWire
import Testing

@Suite struct DNSNameTests {
    @Test(arguments: [("www.example.com", "www.example.com."), ("www.example.com.", "www.example.com."), (".", ".")])
    func textParsesWithOrWithoutTheFinalDot(text: String, printed: String) throws {
        #expect(try DNSName(text).description == printed)
    }

    @Test func escapesRoundTripLikeDigPrintsThem() throws {
        let name = try DNSName(labels: [Array("a.b".utf8), [0x00, 0x5C, 0x20], Array("com".utf8)])
        #expect(name.description == "a\\.b.\\000\\\\\\032.com.")
        #expect(try DNSName(name.description).labels == name.labels)
    }

    @Test func comparisonIgnoresASCIICaseButKeepsTheBytes() throws {
        let upper = try DNSName("WWW.Example.COM")
        let lower = try DNSName("www.example.com")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
        #expect(upper.description == "WWW.Example.COM.")
        #expect(upper.lowercased().description == "www.example.com.")
        #expect(try DNSName("www.example.org") != lower)
    }

    @Test(arguments: ["", "a..b", ".a", "..", "a.b.."])
    func emptyLabelsAreRefused(text: String) {
        #expect(throws: DNSWireError.self) { try DNSName(text) }
        #expect((try? DNSName(text)) == nil)
    }

    @Test(arguments: ["a\\", "a\\25", "a\\256", "a\\2x5"])
    func brokenEscapesAreRefused(text: String) {
        #expect(throws: DNSWireError(.invalidEscape, field: "name text", offset: 1)) { try DNSName(text) }
    }

    @Test func labelsAreAtMost63Bytes() throws {
        _ = try DNSName(String(repeating: "a", count: 63) + ".com")
        #expect(throws: DNSWireError(.labelTooLong(length: 64), field: "name text", offset: 64)) {
            try DNSName(String(repeating: "a", count: 64) + ".com")
        }
    }

    @Test func namesAreAtMost255BytesOnTheWire() throws {
        let label = String(repeating: "a", count: 62)
        // 4 labels of 62: 4 * 63 + 1 = 253 bytes; one more "b" label takes 255.
        let longest = try DNSName([label, label, label, label, "b"].joined(separator: "."))
        #expect(longest.wireLength == 255)
        #expect(throws: DNSWireError(.nameTooLong(length: 257), field: "name", offset: 0)) {
            try DNSName([label, label, label, label, "bcd"].joined(separator: "."))
        }
    }
}
