import Testing

@testable import HTTPWire

@Suite("HTTPFields")
struct HTTPFieldsTests {
    private func parsedFields(_ lines: String) -> HTTPFields {
        parseRequest("GET / HTTP/1.1\r\nHost: a\r\n\(lines)\r\n").head?.headers ?? []
    }

    @Test("parsed and built fields compare and hash by content")
    func equalityAcrossStorage() {
        let parsed = parsedFields("X-A: 1\r\n")
        let built: HTTPFields = [HTTPField(name: "Host", value: "a"), HTTPField(name: "X-A", value: "1")]
        #expect(parsed == built)
        #expect(parsed.hashValue == built.hashValue)
        #expect(
            parsed != [HTTPField(name: "host", value: "a"), HTTPField(name: "X-A", value: "1")],
            "name case counts"
        )
    }

    @Test("edits: subscript set, insert, remove, removeAll(named:), replaceOrAppend")
    func edits() {
        var fields = parsedFields("Connection: keep-alive\r\nX-A: 1\r\nx-a: 2\r\n")
        fields[0] = HTTPField(name: "Host", value: "b")
        fields.insert(HTTPField(name: "Via", value: "1.1 frontproxy"), at: 1)
        #expect(fields.remove(at: 2) == HTTPField(name: "Connection", value: "keep-alive"))
        fields.replaceOrAppend(name: "X-A", value: "3")
        fields.replaceOrAppend(name: "X-Request-Id", value: "r1")
        fields.removeAll(named: "via")
        #expect(
            Array(fields) == [
                HTTPField(name: "Host", value: "b"),
                HTTPField(name: "X-A", value: "3"),
                HTTPField(name: "X-Request-Id", value: "r1"),
            ]
        )
        #expect(fields.values(named: "x-a") == ["3"])
        #expect(fields.firstValue(named: "x-request-id") == "r1")
        #expect(fields.firstIndex(named: "missing") == nil)
    }

    @Test("repeated edits do not grow the storage without bound")
    func compaction() {
        var fields: HTTPFields = [HTTPField(name: "X", value: "0")]
        for i in 0..<1000 { fields[0] = HTTPField(name: "X", value: "\(i)") }
        #expect(fields.owned.count <= 9)
        #expect(fields[0].value == "999")
    }

    @Test("Collection algorithms work on fields")
    func collection() {
        let fields = parsedFields("Accept: */*\r\nCookie: a=1\r\n")
        #expect(fields.map(\.name) == ["Host", "Accept", "Cookie"])
        #expect(fields.contains { $0.hasName("cookie") })
        #expect(fields.reversed().first?.name == "Cookie")
    }
}

@Suite("Targets and UTF-8")
struct TargetTests {
    @Test("target accessors make Strings on demand")
    func accessors() throws {
        let t = try HTTPRequestTarget("https://user.example:8443?x=1", method: "GET")
        #expect(t.form == .absolute)
        #expect(t.scheme == "https")
        #expect(t.authority == "user.example:8443")
        #expect(t.pathAndQuery == "/?x=1")
        let c = try HTTPRequestTarget("a.example:443", method: "CONNECT")
        #expect(c.authority == "a.example:443")
        #expect(c.pathAndQuery == "")
        #expect(throws: HTTPParseError.invalidTarget) { try HTTPRequestTarget("a.example:443", method: "GET") == c }
    }

    @Test(
        "UTF-8 validation follows RFC 3629",
        arguments: [
            ([0x61], true), ([0xC3, 0xA9], true), ([0xE2, 0x82, 0xAC], true), ([0xF0, 0x9F, 0x98, 0x80], true),
            ([0xC0, 0x80], false), ([0xE0, 0x80, 0x80], false), ([0xED, 0xA0, 0x80], false),
            ([0xF4, 0x90, 0x80, 0x80], false), ([0xF5, 0x80, 0x80, 0x80], false), ([0x80], false),
            ([0xE2, 0x82], false), ([0xC3], false), ([0xC3, 0x41], false),
        ] as [([UInt8], Bool)]
    )
    func utf8(_ bytes: [UInt8], _ valid: Bool) {
        let ok = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { UTF8Validation.isValid($0, 0, buf.count) } ?? true
        }
        #expect(ok == valid)
    }
}
