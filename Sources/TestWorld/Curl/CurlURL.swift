/// The URL of a curl command: `http` or `https`, a host (name, IPv4, or `[IPv6]`), a port and a path.
public struct CurlURL: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    /// The host as written, without brackets for IPv6.
    public var host: String
    public var port: Int
    /// The request target: path and query, `/` at least.
    public var path: String

    public var isTLS: Bool { scheme == "https" }

    /// Whether the host is an IP literal (curl sends no SNI for those).
    public var hostIsIPLiteral: Bool { LoopbackCheck.isIPLiteral(host) }

    /// Parses a URL as curl would; without a scheme, `http` is assumed.
    public init(parsing text: String) throws(CurlCommandError) {
        var rest = Substring(text)
        if let separator = rest.firstRange(of: "://") {
            scheme = rest[..<separator.lowerBound].lowercased()
            rest = rest[separator.upperBound...]
        } else {
            scheme = "http"
        }
        guard scheme == "http" || scheme == "https" else {
            throw .badURL(text, reason: "scheme \(scheme) is not supported (http and https are)")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = rest[authorityEnd...]
        if let fragment = target.firstIndex(of: "#") { target = target[..<fragment] }
        path = target.isEmpty ? "/" : (target.hasPrefix("/") ? String(target) : "/" + target)
        guard !authority.contains("@") else { throw .badURL(text, reason: "user names in URLs are not supported") }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .badURL(text, reason: "missing ']'") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badURL(text, reason: "junk after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw .badURL(text, reason: "no host") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw .badURL(text, reason: "port '\(portText)' is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            port = scheme == "https" ? 443 : 80
        }
    }

    /// The `Host` header value: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let defaultPort = isTLS ? 443 : 80
        return port == defaultPort ? shownHost : "\(shownHost):\(port)"
    }

    public var description: String { "\(scheme)://\(hostHeader)\(path)" }
}
