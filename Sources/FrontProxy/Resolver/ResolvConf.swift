import NIOCore

/// The nameservers of a `resolv.conf(5)` file.
public struct ResolvConf: Hashable, Sendable {
    /// The `nameserver` addresses in file order, on port 53.
    public var nameservers: [SocketAddress]
    /// `nameserver` lines that were skipped, with why, so a caller can say what was ignored.
    public var skipped: [SkippedLine]

    /// A `nameserver` line that could not be used.
    public struct SkippedLine: Hashable, Sendable {
        /// 1-based line number.
        public var line: Int
        public var text: String
        public var reason: String
    }

    /// The standard DNS port.
    public static let port = 53

    /// Parses the text of a resolv.conf: `nameserver ADDRESS` lines (IPv4 or IPv6); comments start with `#`
    /// or `;`; other keywords are ignored, as glibc ignores what it does not need.
    public static func parse(_ text: String) -> ResolvConf {
        var result = ResolvConf(nameservers: [], skipped: [])
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix { $0 != "#" && $0 != ";" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.first == "nameserver" else { continue }
            let skip = { (reason: String) in
                result.skipped.append(SkippedLine(line: index + 1, text: String(rawLine), reason: reason))
            }
            guard fields.count == 2 else {
                skip("expected one address after \"nameserver\"")
                continue
            }
            do {
                result.nameservers.append(try SocketAddress(ipAddress: String(fields[1]), port: port))
            } catch {
                skip("\"\(fields[1])\" is not an IP address")
            }
        }
        return result
    }

    /// Reads and parses a resolv.conf file (`/etc/resolv.conf` by default).
    public static func load(path: String = "/etc/resolv.conf") throws -> ResolvConf {
        parse(try ResolvConfFile.contents(of: path))
    }
}
