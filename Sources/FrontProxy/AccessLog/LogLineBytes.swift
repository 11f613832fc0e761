/// Appending the pieces of a log line to a byte buffer: what access-log rendering writes into, so a line
/// becomes bytes in the sink's own buffer without a `String` per field.
extension [UInt8] {
    mutating func append(_ text: String) {
        append(contentsOf: text.utf8)
    }

    /// `value` in decimal.
    mutating func append(decimal value: Int64) {
        append(decimal: value, minimumWidth: 1)
    }

    /// `value` in decimal, zero-padded to `minimumWidth` digits.
    mutating func append(decimal value: Int64, minimumWidth: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            // Int64.min has no positive counterpart; no time or count comes near it.
            append(decimal: value == .min ? Int64.max : -value, minimumWidth: minimumWidth)
            return
        }
        var digits = 1
        var limit: Int64 = 10
        while digits < 19 && value >= limit {
            digits += 1
            limit &*= 10
        }
        let width = Swift.max(digits, minimumWidth)
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        var index = start + width - 1
        while rest > 0 {
            self[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
