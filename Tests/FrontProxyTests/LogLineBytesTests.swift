import Testing

@testable import FrontProxy

/// The byte-level writers access-log lines are rendered with.
@Suite struct LogLineBytesTests {
    @Test(arguments: [0, 7, 9, 10, 99, 100, 65535, 1_234_567_890_123, Int64.max, -5] as [Int64])
    func decimalsMatchStringDescribing(value: Int64) {
        var bytes: [UInt8] = []
        bytes.append(decimal: value)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test func paddingFillsWithZerosButNeverTruncates() {
        var bytes: [UInt8] = []
        bytes.append(decimal: 7, minimumWidth: 3)
        bytes.append(UInt8(ascii: " "))
        bytes.append(decimal: 2026, minimumWidth: 2)
        #expect(String(decoding: bytes, as: UTF8.self) == "007 2026")
    }

    @Test(arguments: ["0.0.0.0:0", "255.255.255.255:65535", "127.0.10.1:443", "[::1]:8443", "[2001:db8::5]:1"])
    func addressesPrintAsTheyParse(text: String) throws {
        let address = try #require(EndpointAddress(text))
        #expect(address.description == text)
        var bytes: [UInt8] = []
        address.appendDescription(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
