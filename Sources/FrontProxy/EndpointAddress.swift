/// An IP address and port as the access log and telemetry print them (`172.217.31.132:443`,
/// `[::1]:443`), keeping the raw address bytes that Mixer-style telemetry base64-encodes.
public struct EndpointAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address bytes, big-endian, kept inline (an array would cost allocations on every connection):
    /// IPv4 in the low 32 bits of `low`.
    private var high: UInt64
    private var low: UInt64
    public private(set) var isIPv6: Bool
    public var port: Int

    public init?(addressBytes: some Collection<UInt8>, port: Int) {
        guard addressBytes.count == 4 || addressBytes.count == 16, (0...65535).contains(port) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in addressBytes.enumerated() {
            if addressBytes.count == 16 && index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.high = high
        self.low = low
        isIPv6 = addressBytes.count == 16
        self.port = port
    }

    /// The raw address: 4 bytes for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        let count = isIPv6 ? 16 : 4
        return (0..<count).map { index in
            let value = isIPv6 && index < 8 ? high : low
            let shift = 8 * (isIPv6 ? 7 - index % 8 : 3 - index)
            return UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// Parses `IPv4:port` or `[IPv6]:port`.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), let bytes = IPAddressText.parse(host) else { return nil }
        self.init(addressBytes: bytes, port: port)
    }

    /// The address without the port (`172.217.31.132`, `::1`).
    public var host: String { IPAddressText.format(addressBytes) }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Text forms of IP addresses (RFC 4291 §2.2, RFC 5952 for output).
enum IPAddressText {
    static func parse(_ text: Substring) -> [UInt8]? {
        text.contains(":") ? parseIPv6(text) : parseIPv4(text)
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let byte = UInt8(part) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if index == fields.count - 1, field.contains(".") {
                    guard let v4 = parseIPv4(field) else { return nil }
                    bytes += v4
                } else {
                    guard (1...4).contains(field.count), let value = UInt16(field, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    static func format(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
        var best = (start: -1, length: 0)
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < groups.count, groups[index] == 0 { index += 1 }
            if index - start > best.length, index - start >= 2 { best = (start, index - start) }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
