/// `host:port` as addresses are written on command lines and in scenario files: `127.0.0.1:443`,
/// `[::1]:443`, and with a default port also a bare `127.0.0.1`, `[::1]` or `::1`. The one such parser in
/// the package (`serve --listen`/`--dns-server`/`--admin`, endpoint addresses, simulated addresses).
public struct HostPort: Hashable, Sendable, CustomStringConvertible {
    /// The host as written, without IPv6 brackets.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Why a text is not `host:port`.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String

        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        public var description: String { "\(text): \(reason)" }
    }

    /// Parses `text`; without `defaultPort` the port must be written.
    public init(parsing text: String, defaultPort: Int? = nil) throws(ParseError) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ParseError(text: text, reason: "missing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw ParseError(text: text, reason: "expected ':port' after ']'") }
                portText = rest.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":"), text.lastIndex(of: ":") == colon {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else if text.contains(":"), defaultPort == nil {
            throw ParseError(text: text, reason: "an IPv6 address needs brackets, as in [::1]:443")
        } else {
            // A bare host, or a bare IPv6 address when a default port stands for the missing one.
            host = Substring(text)
        }
        guard !host.isEmpty else { throw ParseError(text: text, reason: "missing host") }
        let port: Int
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
                let number = Int(portText), (0...65_535).contains(number)
            else { throw ParseError(text: text, reason: "port '\(portText)' is not a number from 0 to 65535") }
            port = number
        } else {
            guard let defaultPort else { throw ParseError(text: text, reason: "missing ':port'") }
            port = defaultPort
        }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
