import DNSWire
import Testing

@Suite struct DNSRecordTypeTests {
    @Test func knownTypesHaveTheirWireValues() {
        #expect(DNSRecordType.a.rawValue == 1)
        #expect(DNSRecordType.cname.rawValue == 5)
        #expect(DNSRecordType.aaaa.rawValue == 28)
        #expect(DNSRecordType(rawValue: 28) == .aaaa)
    }

    @Test func unknownValuesRoundTripAndPrintLikeDig() {
        #expect(DNSRecordType(rawValue: 99).description == "TYPE99")
        #expect(DNSResponseCode.nameError.description == "NXDOMAIN")
        #expect(DNSResponseCode.serverFailure.description == "SERVFAIL")
        #expect(DNSResponseCode(rawValue: 11).description == "RCODE11")
    }
}
