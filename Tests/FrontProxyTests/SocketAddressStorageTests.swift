import NIOCore
import Testing

@testable import FrontProxy

@Suite struct SocketAddressStorageTests {
    @Test(arguments: [
        ("127.0.10.1", 443, "127.0.10.1:443"), ("::1", 8443, "[::1]:8443"), ("2001:db8::5", 1, "[2001:db8::5]:1"),
    ])
    func endpointsBecomeKernelAddressesWithoutLosingBytes(ip: String, port: Int, expected: String) throws {
        let endpoint = try #require(EndpointAddress("\(ip.contains(":") ? "[\(ip)]" : ip):\(port)"))
        let storage = SocketAddressStorage(endpoint)
        #expect(storage.endpoint?.description == expected)
        #expect(storage.socketAddress == (try SocketAddress(ipAddress: ip, port: port)))
        // The same bytes as NIO's own conversion: what `connect` and `bind` are given.
        let fromNIO = SocketAddressStorage(try SocketAddress(ipAddress: ip, port: port))
        #expect(fromNIO.endpoint == endpoint)
        #expect(fromNIO.family == storage.family)
    }

    @Test func onlyTheUnspecifiedAddressIsAWildcard() throws {
        #expect(SocketAddressStorage(try #require(EndpointAddress("0.0.0.0:443"))).isWildcard)
        #expect(SocketAddressStorage(try #require(EndpointAddress("[::]:443"))).isWildcard)
        #expect(!SocketAddressStorage(try #require(EndpointAddress("127.0.0.1:443"))).isWildcard)
    }

    @Test func unixSocketsHaveNoEndpoint() throws {
        #expect(SocketAddressStorage(try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")).endpoint == nil)
    }
}
