import NIOCore
import Testing

@testable import FrontProxy

@Suite struct EndpointAddressSocketTests {
    @Test(arguments: [
        ("127.0.10.1", 443, "127.0.10.1:443"), ("::1", 8443, "[::1]:8443"), ("2001:db8::5", 1, "[2001:db8::5]:1"),
    ])
    func socketAddressesConvertWithoutLosingBytes(ip: String, port: Int, expected: String) throws {
        let converted = try #require(EndpointAddress(try SocketAddress(ipAddress: ip, port: port)))
        #expect(converted.description == expected)
        #expect(try SocketAddress(converted) == SocketAddress(ipAddress: ip, port: port))
    }

    @Test func unixSocketsHaveNoEndpointAddress() throws {
        #expect(EndpointAddress(try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")) == nil)
        #expect(EndpointAddress(nil as SocketAddress?) == nil)
    }
}
