import DNSWire
import NIOCore

/// Why a name could not be resolved: the name, the nameserver that gave the last word, and the reason.
public struct ResolverError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// NXDOMAIN: the name does not exist.
        case nameError
        /// SERVFAIL from every nameserver asked.
        case serverFailure
        /// Another error RCODE (REFUSED, NOTIMP, FORMERR...).
        case responseCode(DNSResponseCode)
        /// The name exists but has no address of the family asked for.
        case noAddresses
        /// A CNAME chain in the answer is longer than the configured depth, or does not end in addresses.
        case cnameChainTooLong(depth: Int)
        /// No valid answer arrived in time.
        case timeout
        /// The nameserver could not be reached (ICMP port unreachable, TCP refused or reset).
        case connectionFailed(String)
        /// A TCP answer that could not be decoded.
        case malformedResponse(String)
        /// The host is neither an IP address nor a valid DNS name.
        case invalidHost(String)
        /// The resolver has no nameserver to ask.
        case noNameservers
        /// The resolver was shut down.
        case shutdown
    }

    /// The host as asked for.
    public var name: String
    /// The nameserver that answered or failed last; nil when none was asked.
    public var nameserver: SocketAddress?
    public var reason: Reason

    public init(name: String, nameserver: SocketAddress?, reason: Reason) {
        self.name = name
        self.nameserver = nameserver
        self.reason = reason
    }

    public var description: String {
        let server = nameserver.map { " from \($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? ""
        return "cannot resolve \(name)\(server): \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .nameError: "NXDOMAIN (no such name)"
        case .serverFailure: "SERVFAIL"
        case .responseCode(let code): "\(code)"
        case .noAddresses: "no address records"
        case .cnameChainTooLong(let depth): "CNAME chain longer than \(depth) or without addresses"
        case .timeout: "timed out"
        case .connectionFailed(let detail): "nameserver unreachable (\(detail))"
        case .malformedResponse(let detail): "malformed answer (\(detail))"
        case .invalidHost(let detail): "not a valid host name (\(detail))"
        case .noNameservers: "no nameserver configured"
        case .shutdown: "resolver shut down"
        }
    }
}
