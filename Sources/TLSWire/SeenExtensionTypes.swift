/// Detects a repeated extension type in bounded time without allocating for real ClientHellos.
///
/// Types below 64 (nearly all registered ones) live in one word. Other types (GREASE, ECH, renegotiation_info)
/// are few in real hellos and are found by scanning them; a hostile 16 KiB hello can carry 4096 empty
/// extensions, where scanning would be quadratic, so past `scanLimit` such types this switches to a 65536-bit
/// set (one 8 KiB allocation).
struct SeenExtensionTypes {
    static let scanLimit = 16
    private var low: UInt64 = 0
    private var high: [UInt16] = []
    private var bits: [UInt64] = []

    /// Records `type`; returns false if it was recorded before.
    mutating func insert(_ type: TLSExtensionType) -> Bool {
        let raw = type.rawValue
        if raw < 64 {
            let mask = UInt64(1) << raw
            defer { low |= mask }
            return low & mask == 0
        }
        if bits.isEmpty {
            if high.contains(raw) { return false }
            guard high.count == Self.scanLimit else {
                high.append(raw)
                return true
            }
            bits = [UInt64](repeating: 0, count: 65536 / 64)
            for seen in high { bits[Int(seen >> 6)] |= UInt64(1) << (seen & 63) }
        }
        let word = Int(raw >> 6)
        let mask = UInt64(1) << (raw & 63)
        guard bits[word] & mask == 0 else { return false }
        bits[word] |= mask
        return true
    }
}
