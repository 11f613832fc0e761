/// The `date` header of responses the gateway writes, as Envoy's (RFC 9110 IMF-fixdate), formatted once per
/// second per loop.
struct ResponseDate {
    // The pattern is fixed and valid; StartTimeFormat is the one strftime-style formatter.
    private static let format = try! StartTimeFormat(pattern: "%a, %d %b %Y %H:%M:%S GMT")
    private var second: Int64 = .min
    private var text = ""

    mutating func current(_ now: WallClockTime = .now()) -> String {
        let second = now.nanosecondsSinceEpoch / 1_000_000_000
        if second != self.second {
            self.second = second
            text = Self.format.format(WallClockTime(nanosecondsSinceEpoch: second * 1_000_000_000))
        }
        return text
    }
}

/// `x-request-id` values: random UUIDs (version 4), from a generator each loop keeps, seeded from the system.
/// A request costs no system call: the system generator reads getrandom(2) every 8 bytes.
struct RequestIDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    /// xoshiro256**: fast and well distributed; these identifiers need no cryptographic strength.
    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }

    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower-case hex.
    mutating func uuid() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        let digits = Array("0123456789abcdef".utf8)
        var position = 0
        for (word, count) in [(high, 16), (low, 16)] {
            for nibble in 0..<count {
                if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
                bytes[position] = digits[Int((word >> UInt64(60 - nibble * 4)) & 0xF)]
                position += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
