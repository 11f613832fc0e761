/// IP address literals: the one parser of "is this an IPv4 or IPv6 address" in the package (configuration
/// validation, the resolver, the data plane's addresses, the harness's loopback check), and the text form
/// `inet_ntop` prints.
///
/// IPv4 is dotted-quad with four decimal parts of at most 255 and no leading zeros (as glibc's `inet_pton`
/// and Go's `net.ParseIP`, which Istio validates with). IPv6 is RFC 4291 text: hexadecimal groups, at most
/// one `::`, optionally a dotted IPv4 tail (`::ffff:127.0.0.1`); zone suffixes (`%eth0`) are not addresses.
public enum IPLiteral {
    /// The address bytes in network order (4 for IPv4, 16 for IPv6), or nil when `text` is not a literal.
    public static func parse(_ text: some StringProtocol) -> [UInt8]? {
        text.contains(":") ? parseIPv6(text) : parseIPv4(text)
    }

    public static func isValid(_ text: some StringProtocol) -> Bool { parse(text) != nil }

    /// Dotted-quad IPv4, or nil.
    public static func parseIPv4(_ text: some StringProtocol) -> [UInt8]? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        for part in parts {
            guard let value = decimalByte(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// RFC 4291 IPv6 text, or nil.
    public static func parseIPv6(_ text: some StringProtocol) -> [UInt8]? {
        guard let groups = parseGroups(String(text)) else { return nil }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// The text `inet_ntop` (and so `dig`) prints for 4 or 16 address bytes; `?` for any other count.
    public static func format(_ bytes: [UInt8]) -> String {
        switch bytes.count {
        case 4: bytes.map(String.init).joined(separator: ".")
        case 16: formatIPv6(bytes)
        default: "?"
        }
    }

    /// Whether the address is in 127.0.0.0/8 or is `::1`.
    public static func isLoopback(_ bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4: bytes[0] == 127
        case 16: bytes == Array(repeating: 0, count: 15) + [1]
        default: false
        }
    }

    private static func decimalByte(_ digits: some Collection<UInt8>) -> UInt8? {
        guard (1...3).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return UInt8(exactly: value)
    }

    /// Lower-case hex, the longest run of two or more zero groups as `::`, and a dotted IPv4 tail for
    /// IPv4-mapped and IPv4-compatible addresses.
    private static func formatIPv6(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        let zeroRun = longestZeroRun(groups)
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
                guard let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                groups.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
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
