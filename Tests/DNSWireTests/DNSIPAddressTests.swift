import DNSWire
import Testing

@Suite struct DNSIPAddressTests {
    @Test func ipv4ParsesAndPrintsDottedQuads() throws {
        let address = try DNSIPv4Address("127.0.10.1")
        #expect(address.bytes == [127, 0, 10, 1])
        #expect(address.description == "127.0.10.1")
        #expect(address.isLoopback)
        #expect(try !DNSIPv4Address("10.0.0.1").isLoopback)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "a.b.c.d", " 1.2.3.4"])
    func invalidIPv4TextIsRefused(text: String) {
        #expect(throws: DNSWireError(.invalidAddress(text), field: "IPv4 address", offset: 0)) {
            try DNSIPv4Address(text)
        }
    }

    /// Expected texts are what glibc's `inet_ntop` prints, which is what `dig` shows for AAAA records.
    @Test(arguments: [
        ("::1", "::1"), ("::", "::"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("::7f00:1", "::127.0.0.1"), ("fe80::", "fe80::"), ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ])
    func ipv6PrintsLikeInetNtop(text: String, printed: String) throws {
        let address = try DNSIPv6Address(text)
        #expect(address.description == printed)
        #expect(try DNSIPv6Address(printed) == address)
    }

    @Test(arguments: [
        "", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::", "::1%lo", "+1::",
        "1:2:3:4:5:6:7::8",
    ])
    func invalidIPv6TextIsRefused(text: String) {
        #expect(throws: DNSWireError(.invalidAddress(text), field: "IPv6 address", offset: 0)) {
            try DNSIPv6Address(text)
        }
    }

    @Test func addressesFromBytesNeedTheRightCount() {
        #expect(DNSIPv4Address(bytes: [1, 2, 3]) == nil)
        #expect(DNSIPv6Address(bytes: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(DNSIPv6Address(bytes: [UInt8](repeating: 0, count: 15) + [1])?.isLoopback == true)
    }
}
