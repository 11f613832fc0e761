import DNSWire
import NIOCore
import TestWorld
import Testing

@Suite struct StubDNSServerSetupTests {
    @Test(arguments: ["0.0.0.0", "10.0.0.53", "::", "localhost", "2001:db8::1"])
    func refusesToListenOutsideLoopback(host: String) async {
        await #expect(throws: StubDNSServerError.nonLoopbackAddress(host)) {
            _ = try await StubDNSServer.start(host: host)
        }
    }

    @Test func listensOnAnyLoopbackAddressWithUDPAndTCPOnOnePort() async throws {
        let server = try await StubDNSServer.start(host: "127.0.0.53")
        #expect(server.localAddress.ipAddress == "127.0.0.53")
        #expect(server.port > 0)
        try await server.shutdown()
    }

    @Test func refusesRecordsOutsideLoopback() {
        #expect(throws: StubDNSServerError.nonLoopbackRecord("93.184.216.34")) { try StubDNSRecord.a("93.184.216.34") }
        #expect(throws: StubDNSServerError.nonLoopbackRecord("2001:db8::1")) { try StubDNSRecord.aaaa("2001:db8::1") }
        #expect(throws: DNSWireError.self) { try StubDNSRecord.a("not-an-address") }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(
            StubDNSServerError.nonLoopbackAddress("10.0.0.53").description
                == "stub DNS server: 10.0.0.53 is not a loopback address (only 127.0.0.0/8 and ::1 are allowed)"
        )
    }
}
