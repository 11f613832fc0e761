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

    /// Whether a request to `other` may go over a connection opened for this URL.
    public func sharesConnection(with other: CurlURL) -> Bool {
        scheme == other.scheme && host.lowercased() == other.host.lowercased() && port == other.port
    }

    /// The URL a redirect's `Location` names, resolved against this one as curl does (RFC 3986 section 5):
    /// an absolute URL, a scheme-relative `//host/path`, an absolute path, or a path relative to this one's
    /// directory (a query alone replaces this one's query).
    public func resolving(location: String) throws(CurlCommandError) -> CurlURL {
        if location.contains("://") { return try CurlURL(parsing: location) }
        if location.hasPrefix("//") { return try CurlURL(parsing: scheme + ":" + location) }
        var resolved = self
        if location.hasPrefix("/") {
            resolved.path = location
        } else if location.hasPrefix("?") {
            resolved.path = String(path.prefix { $0 != "?" }) + location
        } else {
            let directory = path.prefix { $0 != "?" }.reversed().drop { $0 != "/" }.reversed()
            resolved.path = Self.removingDotSegments(String(directory) + location)
        }
        if let fragment = resolved.path.firstIndex(of: "#") { resolved.path = String(resolved.path[..<fragment]) }
        return resolved
    }

    /// `a/b/../c` → `a/c`, `a/./b` → `a/b`, on the path (the query is left as it is).
    private static func removingDotSegments(_ target: String) -> String {
        let queryStart = target.firstIndex(of: "?") ?? target.endIndex
        var segments: [Substring] = []
        let parts = target[..<queryStart].split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let last = index == parts.count - 1
            switch part {
            case ".":
                if last { segments.append("") }
            case "..":
                if segments.count > 1 { segments.removeLast() }
                if last { segments.append("") }
            default: segments.append(part)
            }
        }
        let joined = segments.joined(separator: "/")
        return (joined.hasPrefix("/") ? joined : "/" + joined) + target[queryStart...]
    }
}
