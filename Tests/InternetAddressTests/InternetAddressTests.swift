import InternetAddress
import Testing

@Suite struct IPLiteralTests {
    @Test(
        arguments: [
            ("127.0.0.1", [127, 0, 0, 1]),
            ("0.0.0.0", [0, 0, 0, 0]),
            ("255.255.255.255", [255, 255, 255, 255]),
        ] as [(String, [UInt8])]
    )
    func dottedQuadsParse(text: String, bytes: [UInt8]) {
        #expect(IPLiteral.parse(text) == bytes)
        #expect(IPLiteral.format(bytes) == text)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ", "::1%lo"])
    func nonLiteralsAreRefused(text: String) {
        #expect(IPLiteral.parse(text) == nil, "\(text)")
    }

    @Test(arguments: [
        ("::1", "::1"), ("0:0:0:0:0:0:0:1", "::1"), ("2001:DB8::1", "2001:db8::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
    ])
    func ipv6ParsesAndPrintsAsInetNtop(text: String, printed: String) throws {
        let bytes = try #require(IPLiteral.parse(text))
        #expect(bytes.count == 16)
        #expect(IPLiteral.format(bytes) == printed)
    }

    @Test func loopbackIsTheWhole127SlashEightAndColonColonOne() {
        #expect(IPLiteral.isLoopback([127, 9, 9, 9]))
        #expect(!IPLiteral.isLoopback([10, 0, 0, 1]))
        #expect(IPLiteral.isLoopback(IPLiteral.parse("::1")!))
        #expect(!IPLiteral.isLoopback(IPLiteral.parse("::2")!))
    }
}

@Suite struct HostPortTests {
    @Test func ipv4AndBracketedIPv6WithPorts() throws {
        #expect(try HostPort(parsing: "127.0.0.1:443") == HostPort(host: "127.0.0.1", port: 443))
        #expect(try HostPort(parsing: "[::1]:8443") == HostPort(host: "::1", port: 8443))
        #expect(try HostPort(parsing: "[::1]:8443").description == "[::1]:8443")
    }

    @Test func aDefaultPortFillsInABareHost() throws {
        #expect(try HostPort(parsing: "127.0.0.53", defaultPort: 53) == HostPort(host: "127.0.0.53", port: 53))
        #expect(try HostPort(parsing: "::1", defaultPort: 53) == HostPort(host: "::1", port: 53))
        #expect(try HostPort(parsing: "[::1]", defaultPort: 53) == HostPort(host: "::1", port: 53))
    }

    @Test(arguments: [
        ("127.0.0.1", "missing ':port'"),
        ("::1:443", "an IPv6 address needs brackets, as in [::1]:443"),
        ("[::1:443", "missing ']'"),
        ("[::1]443", "expected ':port' after ']'"),
        ("127.0.0.1:http", "port 'http' is not a number from 0 to 65535"),
        ("127.0.0.1:65536", "port '65536' is not a number from 0 to 65535"),
        (":443", "missing host"),
    ])
    func malformedTextSaysWhatIsWrong(text: String, reason: String) {
        #expect(throws: HostPort.ParseError(text: text, reason: reason)) { try HostPort(parsing: text) }
    }
}
