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
        // Digits are produced last to first into a small stack buffer, then appended in one copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            while 20 - start < minimumWidth && start > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0")
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }
}
