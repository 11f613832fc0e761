/// Detects a repeated extension type in bounded time.
///
/// Real ClientHellos carry about twenty extensions, where scanning the list is cheapest and allocates nothing.
/// A hostile 16 KiB hello can carry 4096 empty extensions, where scanning would be quadratic, so past
/// `scanLimit` entries this switches to a 65536-bit set (one 8 KiB allocation).
struct SeenExtensionTypes {
    static let scanLimit = 32
    private var bits: [UInt64] = []

    /// Records `type`; returns false if it was already among `earlier` (the types seen so far, in order).
    mutating func insert(_ type: TLSExtensionType, after earlier: [TLSExtensionType]) -> Bool {
        if earlier.count < Self.scanLimit {
            return !earlier.contains(type)
        }
        if bits.isEmpty {
            bits = [UInt64](repeating: 0, count: 65536 / 64)
            for seen in earlier { set(seen) }
        }
        let word = Int(type.rawValue >> 6)
        let mask = UInt64(1) << (type.rawValue & 63)
        guard bits[word] & mask == 0 else { return false }
        bits[word] |= mask
        return true
    }

    private mutating func set(_ type: TLSExtensionType) {
        bits[Int(type.rawValue >> 6)] |= UInt64(1) << (type.rawValue & 63)
    }
}
