/// The 16-byte address an AAAA record carries.
public struct DNSIPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in network order.
    public let bytes: [UInt8]

    /// An address from its 16 bytes in network order; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// An address from RFC 4291 text: hexadecimal groups, at most one `::`, optionally a dotted IPv4 tail
    /// (`::ffff:127.0.0.1`). Zone suffixes (`%eth0`) are not addresses and are refused.
    public init(_ text: String) throws(DNSWireError) {
        guard let groups = Self.parseGroups(text) else {
            throw DNSWireError(.invalidAddress(text), field: "IPv6 address", offset: 0)
        }
        bytes = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Whether the address is `::1`.
    public var isLoopback: Bool { bytes == Array(repeating: 0, count: 15) + [1] }

    /// The text `inet_ntop` (and so `dig`) prints: lower-case hex, the longest run of two or more zero groups
    /// as `::`, and a dotted IPv4 tail for IPv4-mapped and IPv4-compatible addresses.
    public var description: String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        let zeroRun = Self.longestZeroRun(groups)
        if let zeroRun, zeroRun.start == 0, zeroRun.count == 6 || (zeroRun.count == 5 && groups[5] == 0xFFFF) {
            let prefix = zeroRun.count == 6 ? "::" : "::ffff:"
            return prefix + bytes[12...].map(String.init).joined(separator: ".")
        }
        var text = ""
        var index = 0
        while index < 8 {
            if let zeroRun, index == zeroRun.start {
                text += index == 0 ? "::" : ":"
                index += zeroRun.count
                continue
            }
            text += String(groups[index], radix: 16)
            if index < 7 { text += ":" }
            index += 1
        }
        return text
    }

    private static func longestZeroRun(_ groups: [UInt16]) -> (start: Int, count: Int)? {
        var best: (start: Int, count: Int)?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < groups.count, groups[index] == 0 { index += 1 }
            if index - start >= 2, index - start > (best?.count ?? 0) { best = (start, index - start) }
        }
        return best
    }

    private static func parseGroups(_ text: String) -> [UInt16]? {
        let halves = splitAtDoubleColons(text)
        guard halves.count <= 2 else { return nil }
        guard let head = parseGroupList(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = parseGroupList(halves[1], allowIPv4Tail: true), head.count + tail.count <= 7 else {
            return nil
        }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// Colon-separated hex groups; the last may be a dotted IPv4 address, which counts as two groups.
    private static func parseGroupList(_ text: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if allowIPv4Tail, index == parts.count - 1, part.contains(".") {
                guard let v4 = try? DNSIPv4Address(String(part)) else { return nil }
                groups.append(UInt16(v4.bytes[0]) << 8 | UInt16(v4.bytes[1]))
                groups.append(UInt16(v4.bytes[2]) << 8 | UInt16(v4.bytes[3]))
                continue
            }
            guard (1...4).contains(part.utf8.count), part.allSatisfy(\.isHexDigit),
                let group = UInt16(part, radix: 16)
            else { return nil }
            groups.append(group)
        }
        return groups
    }

    /// The text before and after each `::` (a valid address has at most one).
    private static func splitAtDoubleColons(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == ":", next < text.endIndex, text[next] == ":" {
                parts.append(text[start..<index])
                start = text.index(after: next)
                index = start
                continue
            }
            index = next
        }
        parts.append(text[start..<text.endIndex])
        return parts
    }
}
