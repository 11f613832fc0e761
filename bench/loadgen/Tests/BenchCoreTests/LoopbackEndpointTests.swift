import BenchCore
import Testing

@Suite struct LoopbackEndpointTests {
    @Test func acceptsIPv4LoopbackRangeAndIPv6Loopback() throws {
        #expect(try LoopbackEndpoint(parsing: "127.0.0.1:443") == LoopbackEndpoint(parsing: "127.0.0.1:443"))
        #expect(try LoopbackEndpoint(parsing: "127.45.2.9:8443").host == "127.45.2.9")
        let six = try LoopbackEndpoint(parsing: "[::1]:9000")
        #expect(six.host == "::1" && six.port == 9000 && six.description == "[::1]:9000")
    }

    @Test func refusesEveryOtherAddress() {
        for address in ["10.0.0.1:443", "192.168.1.1:80", "8.8.8.8:53", "[::2]:1", "localhost:80", "128.0.0.1:1"] {
            #expect(throws: BenchError.self) { try LoopbackEndpoint(parsing: address) }
        }
        #expect(throws: BenchError.notLoopback("10.0.0.1:443")) { try LoopbackEndpoint(parsing: "10.0.0.1:443") }
    }

    @Test func refusesMalformedAddressesAndPorts() {
        for address in ["127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:0", "127.0.0.256:1", "127.0.0:1"] {
            #expect(throws: BenchError.self) { try LoopbackEndpoint(parsing: address) }
        }
        #expect(throws: Never.self) { try LoopbackEndpoint(parsing: "127.0.0.1:0", allowPortZero: true) }
    }
}
