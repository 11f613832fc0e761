/// Rune access to UTF-8 text by byte offset. The text always comes from a Swift string, so
/// it is valid UTF-8 and decoding needs no error paths.
struct UTF8Text {
    let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always)
    var count: Int { bytes.count }

    /// The rune starting at byte `i` and its length in bytes; (-1, 0) at the end of the text.
    @inline(__always)
    func rune(at i: Int) -> (Int32, Int) {
        if i >= bytes.count { return (-1, 0) }
        let b0 = bytes[i]
        if b0 < 0x80 { return (Int32(b0), 1) }
        return decodeMultiByte(at: i, b0)
    }

    @inline(never)
    func decodeMultiByte(at i: Int, _ b0: UInt8) -> (Int32, Int) {
        let n = bytes.count
        if b0 < 0xE0 {
            guard i + 1 < n else { return (Int32(b0), 1) }
            return ((Int32(b0 & 0x1F) << 6) | Int32(bytes[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < n else { return (Int32(b0), 1) }
            return ((Int32(b0 & 0x0F) << 12) | (Int32(bytes[i + 1] & 0x3F) << 6) | Int32(bytes[i + 2] & 0x3F), 3)
        }
        guard i + 3 < n else { return (Int32(b0), 1) }
        let r =
            (Int32(b0 & 0x07) << 18) | (Int32(bytes[i + 1] & 0x3F) << 12) | (Int32(bytes[i + 2] & 0x3F) << 6)
            | Int32(bytes[i + 3] & 0x3F)
        return (r, 4)
    }

    /// The rune that ends just before byte `i`; -1 at the start of the text.
    func rune(before i: Int) -> Int32 {
        if i <= 0 { return -1 }
        var j = i - 1
        while j > 0 && bytes[j] & 0xC0 == 0x80 && i - j < 4 { j -= 1 }
        return rune(at: j).0
    }

    /// Length in bytes of the rune starting at `i` (1 past the end, as RE2 advances).
    @inline(__always)
    func width(at i: Int) -> Int {
        if i >= bytes.count { return 1 }
        let b0 = bytes[i]
        if b0 < 0x80 { return 1 }
        if b0 < 0xE0 { return 2 }
        if b0 < 0xF0 { return 3 }
        return 4
    }

    /// First index >= from where `needle` occurs, or nil.
    func firstIndex(of needle: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = bytes.count
        let m = needle.count
        if m == 0 { return from <= n ? from : nil }
        if m > n { return nil }
        let first = needle[0]
        var i = from
        let last = n - m
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < m && bytes[i + k] == needle[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return nil
    }
}
