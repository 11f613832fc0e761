import InternetAddress
import NIOCore

/// A loopback `IP:port` as a scenario writes it (`127.0.10.1:443`, `[::1]:8443`). Only loopback addresses
/// exist: building one from anything else fails, so a scenario can never send traffic off the machine.
public struct SimulatedAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP literal, as written (IPv6 without brackets).
    public let ip: String
    public let port: Int

    /// Parses `IP:port` or `[IPv6]:port`; the IP must be loopback.
    public init(parsing text: String) throws(AddressError) {
        let hostPort: HostPort
        do { hostPort = try HostPort(parsing: text) } catch { throw .malformed(text, reason: error.reason) }
        guard (1...65535).contains(hostPort.port) else {
            throw .malformed(text, reason: "port '\(hostPort.port)' is not a number from 1 to 65535")
        }
        try self.init(ip: hostPort.host, port: hostPort.port)
    }

    /// An address from its parts; the IP must be a loopback literal.
    public init(ip: String, port: Int) throws(AddressError) {
        let shown = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        guard (0...65535).contains(port) else { throw .malformed(shown, reason: "port \(port) is out of range") }
        guard LoopbackCheck.isIPLiteral(ip) else { throw .malformed(shown, reason: "'\(ip)' is not an IP address") }
        guard LoopbackCheck.isLoopback(ip) else { throw .notLoopback(shown) }
        self.ip = ip
        self.port = port
    }

    /// `127.0.10.1:443` or `[::1]:443`.
    public var description: String { ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)" }

    /// The socket address with this IP and port.
    public var socketAddress: SocketAddress {
        get throws(AddressError) {
            do { return try SocketAddress(ipAddress: ip, port: port) } catch {
                throw .malformed(description, reason: "'\(ip)' is not an IP address")
            }
        }
    }
}

/// Which addresses count as loopback: 127.0.0.0/8 and ::1.
enum LoopbackCheck {
    /// Whether `ip` is an IPv4 or IPv6 literal.
    static func isIPLiteral(_ ip: String) -> Bool {
        IPLiteral.isValid(ip)
    }

    /// Whether the literal `ip` is loopback.
    static func isLoopback(_ ip: String) -> Bool {
        IPLiteral.parse(ip).map(IPLiteral.isLoopback) ?? false
    }

    /// Whether a socket address is loopback.
    static func isLoopback(_ address: SocketAddress) -> Bool {
        // NIO renders the address with inet_ntop, so ::1 always reads "::1".
        switch address {
        case .v4: address.ipAddress?.hasPrefix("127.") == true
        case .v6: address.ipAddress == "::1"
        case .unixDomainSocket: false
        }
    }

    /// Throws unless `address` is a loopback IP socket address.
    static func require(_ address: SocketAddress) throws(AddressError) {
        guard isLoopback(address) else { throw .notLoopback(address.displayString) }
    }
}

extension SocketAddress {
    /// `127.0.0.1:443` or `[::1]:443`, without NIO's `[IPv4]` prefix.
    var displayString: String {
        guard let ip = ipAddress else { return description }
        let port = self.port ?? 0
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
