import TLSWire
import Testing

@Suite struct TLSProtocolVersionTests {
    @Test func versionsOrderAndPrintLikeOpenSSL() {
        #expect(TLSProtocolVersion.tls1_2 < .tls1_3)
        #expect(TLSProtocolVersion.tls1_3.description == "TLSv1.3")
        #expect(TLSProtocolVersion(rawValue: 0x7f1c).description == "0x7f1c")
    }

    @Test func versionSplitsIntoMajorAndMinor() {
        #expect(TLSProtocolVersion(major: 3, minor: 4) == .tls1_3)
        #expect(TLSProtocolVersion.tls1_0.major == 3)
        #expect(TLSProtocolVersion.tls1_0.minor == 1)
    }

    @Test(arguments: [0x0A0A, 0x1A1A, 0xFAFA] as [UInt16])
    func greaseValuesAreRecognised(raw: UInt16) {
        #expect(TLSProtocolVersion(rawValue: raw).isGREASE)
    }

    @Test(arguments: [0x0303, 0x0A1A, 0x0A0B] as [UInt16])
    func ordinaryValuesAreNotGREASE(raw: UInt16) {
        #expect(!TLSProtocolVersion(rawValue: raw).isGREASE)
    }
}
