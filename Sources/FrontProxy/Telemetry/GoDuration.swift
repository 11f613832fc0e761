/// Formats a duration the way Go's `time.Duration.String()` does (`0s`, `1.5µs`, `523.4ms`, `1.644s`,
/// `1m2.5s`, `1h0m0s`): Mixer printed `connectionDuration` with it, so the telemetry lines match.
enum GoDuration {
    static func format(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            // Below one second Go picks the largest unit that keeps the integer part non-zero.
            switch magnitude {
            case ..<1_000: text = "\(magnitude)ns"
            case ..<1_000_000: text = fraction(magnitude, unit: 1_000) + "µs"
            default: text = fraction(magnitude, unit: 1_000_000) + "ms"
            }
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = fraction(magnitude % 60_000_000_000, unit: 1_000_000_000) + "s"
            text = hours > 0 ? "\(hours)h\(minutes)m\(seconds)" : minutes > 0 ? "\(minutes)m\(seconds)" : seconds
        }
        return negative ? "-" + text : text
    }

    /// `value / unit` with the remainder as decimal digits, trailing zeros removed.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var remainder = value % unit
        guard remainder > 0 else { return "\(whole)" }
        var digits = ""
        var place = unit / 10
        while remainder > 0, place > 0 {
            digits.append(Character(String(remainder / place)))
            remainder %= place
            place /= 10
        }
        return "\(whole).\(digits)"
    }
}
