/// `google.protobuf.Duration` as Istio's decoder reads it from YAML: a string parsed by Go's
/// `time.ParseDuration` (`"10s"`, `"0.5s"`, `"100ms"`, `"1h30m"`; units ns, us, µs, ms, s, m, h), not only
/// protobuf's `"1.5s"` form, since Istio's types decode durations with golang/protobuf's jsonpb.
public enum GoDuration {
    /// Why a text is not a duration, in Go's words.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    private static let units: [(name: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let invalid = ParseError(description: "time: invalid duration \(quoted(text))")
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest.removeFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { throw invalid }
        var total: Double = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCIIDigit }
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest.removeFirst()
                fraction = rest.prefix { $0.isASCIIDigit }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { throw invalid }
            let unitName = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            rest = rest.dropFirst(unitName.count)
            guard !unitName.isEmpty else {
                throw ParseError(description: "time: missing unit in duration \(quoted(text))")
            }
            guard let unit = units.first(where: { $0.name == unitName }) else {
                throw ParseError(
                    description: "time: unknown unit \(quoted(String(unitName))) in duration \(quoted(text))"
                )
            }
            let value = Double("\(whole.isEmpty ? "0" : whole).\(fraction.isEmpty ? "0" : fraction)") ?? 0
            total += value * unit.nanoseconds
            guard total <= Double(Int64.max) else { throw invalid }
        }
        let duration = Duration.nanoseconds(Int64(total.rounded()))
        return negative ? .zero - duration : duration
    }

    /// The decoder's message for a text that is not a duration.
    static func malformedMessage(_ error: ParseError) -> String {
        "bad Duration: \(error)"
    }

    /// Go's `Duration.String()` form: `10s`, `1.5s`, `100ms`, `1h30m0s`, as explain prints a duration.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard nanoseconds != 0 else { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        func decimal(_ value: UInt64, _ scale: UInt64) -> String {
            var text = String(value / scale)
            var fraction = String(value % scale)
            guard value % scale != 0 else { return text }
            let digits = String(scale).count - 1
            fraction = String(repeating: "0", count: digits - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
            return text
        }
        if magnitude < 1_000 { return sign + "\(magnitude)ns" }
        if magnitude < 1_000_000 { return sign + decimal(magnitude, 1_000) + "µs" }
        if magnitude < 1_000_000_000 { return sign + decimal(magnitude, 1_000_000) + "ms" }
        let hours = magnitude / 3_600_000_000_000
        let minutes = magnitude / 60_000_000_000 % 60
        let secondsPart = decimal(magnitude % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return sign + "\(hours)h\(minutes)m" + secondsPart }
        if minutes > 0 { return sign + "\(minutes)m" + secondsPart }
        return sign + secondsPart
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Base64 as protobuf's JSON mapping reads `bytes`: the standard or URL-safe alphabet, padding optional.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var bits: UInt32 = 0
        var bitCount = 0
        var bytes: [UInt8] = []
        var trimmed = Substring(text)
        while trimmed.last == "=" { trimmed.removeLast() }
        guard text.count - trimmed.count <= 2 else { return nil }
        for scalar in trimmed.unicodeScalars {
            let value: UInt32
            switch scalar {
            case "A"..."Z": value = scalar.value - 65
            case "a"..."z": value = scalar.value - 97 + 26
            case "0"..."9": value = scalar.value - 48 + 52
            case "+", "-": value = 62
            case "/", "_": value = 63
            default: return nil
            }
            bits = bits << 6 | value
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount)))
            }
        }
        // A single leftover character (6 bits) cannot end a base64 text.
        return bitCount >= 6 ? nil : bytes
    }
}
