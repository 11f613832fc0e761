import CLinuxSockets
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A socket address as the kernel takes and returns it (`sockaddr_storage` and its length), kept inline.
struct SocketAddressStorage {
    private var storage = sockaddr_storage()
    private var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    init() {}

    /// The `sockaddr_in` or `sockaddr_in6` of an IP endpoint, written by offset (the layouts are the
    /// kernel's ABI: family, port in network order, then the address; IPv6 has four bytes of flow
    /// information before it).
    init(_ endpoint: EndpointAddress) {
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.storeBytes(of: sa_family_t(endpoint.isIPv6 ? AF_INET6 : AF_INET), toByteOffset: 0, as: sa_family_t.self)
            raw.storeBytes(of: UInt16(truncatingIfNeeded: endpoint.port).bigEndian, toByteOffset: 2, as: UInt16.self)
            endpoint.copyAddressBytes(into: UnsafeMutableRawBufferPointer(rebasing: raw[(endpoint.isIPv6 ? 8 : 4)...]))
        }
        length = socklen_t(endpoint.isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    init(_ address: SocketAddress) {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        address.withSockAddr { pointer, size in
            withUnsafeMutableBytes(of: &storage) {
                $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: size))
            }
            length = socklen_t(size)
        }
        self.storage = storage
        self.length = length
    }

    var family: Int32 { Int32(storage.ss_family) }

    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }

    /// Lets a call such as `accept4` or `getsockname` write the address; returns what `body` returns.
    mutating func fill(_ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Bool) -> Bool {
        length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutableBytes(of: &storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
    }

    /// The IP endpoint, read straight from the address bytes; nil for other families.
    var endpoint: EndpointAddress? {
        withUnsafeBytes(of: storage) { raw -> EndpointAddress? in
            let port = Int(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            switch Int32(storage.ss_family) {
            case AF_INET: return EndpointAddress(addressBytes: raw[4..<8], port: port)
            case AF_INET6: return EndpointAddress(addressBytes: raw[8..<24], port: port)
            default: return nil
            }
        }
    }

    /// The same address as NIO's type, for the public API.
    var socketAddress: SocketAddress? {
        guard let endpoint else { return nil }
        return try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port)
    }

    /// Whether this is the wildcard address (`0.0.0.0` or `::`), whose accepted sockets' local address
    /// must be asked of the kernel.
    var isWildcard: Bool {
        guard let endpoint else { return false }
        return endpoint.addressBytes.allSatisfy { $0 == 0 }
    }
}
