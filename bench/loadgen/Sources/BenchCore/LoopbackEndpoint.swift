/// A TCP endpoint on this machine's loopback interface: the only kind of address the bench ever connects to
/// or listens on.
public struct LoopbackEndpoint: Equatable, Sendable, CustomStringConvertible {
    /// The numeric host, without brackets (`127.0.0.1`, `::1`).
    public let host: String
    public let port: Int

    /// Reads `127.x.y.z:PORT` or `[::1]:PORT`; a port of 0 is allowed only when `allowPortZero` (listeners).
    public init(parsing text: String, allowPortZero: Bool = false) throws(BenchError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .malformedAddress(text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .malformedAddress(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .malformedAddress(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), port >= (allowPortZero ? 0 : 1), port <= 65535 else {
            throw .malformedAddress(text)
        }
        guard Self.isLoopback(host) else { throw .notLoopback(text) }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// True for a dotted-quad IPv4 address in 127.0.0.0/8 and for the IPv6 loopback address.
    static func isLoopback(_ host: Substring) -> Bool {
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        for octet in octets {
            guard octet.count <= 3, octet.allSatisfy(\.isASCII), UInt8(octet) != nil else { return false }
        }
        return octets[0] == "127"
    }
}
