// Byte classification for the HTTP/1 grammar.
//
// Character classes are encoded as 128-bit bitmaps held in two UInt64
// constants, so a class test is a compare, a shift and a mask with no memory
// table (a global array would cost a lazy-initialisation check on every access
// in the hot loops). `ByteClassTests` checks every bitmap against a plain
// definition of the set.

@usableFromInline let CR: UInt8 = 0x0D
@usableFromInline let LF: UInt8 = 0x0A
@usableFromInline let SP: UInt8 = 0x20
@usableFromInline let HTAB: UInt8 = 0x09
@usableFromInline let COLON: UInt8 = 0x3A

enum ByteClass {
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    //         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA      (RFC 9110 §5.6.2)
    static let tokenLow: UInt64 = 0x03ff_6cfa_0000_0000
    static let tokenHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    // reg-name characters except pct-encoded (RFC 3986 §3.2.2):
    // unreserved ALPHA DIGIT "-" "." "_" "~" and sub-delims "!$&'()*+,;=".
    static let regNameLow: UInt64 = 0x2bff_7fd2_0000_0000
    static let regNameHigh: UInt64 = 0x47ff_fffe_87ff_fffe

    @inline(__always)
    static func inSet(_ c: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        if c < 64 { return (low >> UInt64(c)) & 1 != 0 }
        if c < 128 { return (high >> UInt64(c &- 64)) & 1 != 0 }
        return false
    }

    // The same sets as 256-byte tables in StaticString literals: constant
    // data with no lazy initialisation, one load per byte in the hot loops.
    // `ByteClassTests` checks them against the bitmaps above.
    static let tokenTable: StaticString =
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\u{1}\u{1}\0\u{1}\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\0\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\0\u{1}\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
    static let regNameTable: StaticString =
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\u{1}\0\0\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\0\u{1}\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\0\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\u{1}\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"

    @inline(__always) static func isToken(_ c: UInt8) -> Bool { tokenTable.utf8Start[Int(c)] != 0 }
    @inline(__always) static func isRegName(_ c: UInt8) -> Bool { regNameTable.utf8Start[Int(c)] != 0 }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> Int? {
        if c &- 0x30 < 10 { return Int(c &- 0x30) }
        let l = c | 0x20
        if l &- 0x61 < 6 { return Int(l &- 0x61) + 10 }
        return nil
    }

    /// field-vchar / SP / HTAB, including obs-text (RFC 9110 §5.5). Everything
    /// else (other CTLs and DEL) is rejected, as balsa's invalid-char check does.
    @inline(__always)
    static func isFieldValueByte(_ c: UInt8) -> Bool {
        (c >= 0x20 && c != 0x7F) || c == HTAB
    }

    /// Request-target bytes accepted at character level: VCHAR except "#".
    /// Envoy's balsa `isUrlValid` accepts any VCHAR; we additionally refuse the
    /// fragment delimiter, which RFC 9112 §3.2 leaves out of every form.
    @inline(__always)
    static func isTargetByte(_ c: UInt8) -> Bool {
        c &- 0x21 < 0x5E && c != 0x23
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 {
        c &- 0x41 < 26 ? c | 0x20 : c
    }
}

// MARK: - SWAR helpers (8 bytes at a time)

enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero iff some byte of `x` is zero. The lowest set bit marks the
    /// first zero byte exactly (borrows only disturb bytes above it).
    @inline(__always)
    static func zeroMask(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & highs
    }

    /// Non-zero iff some byte of `x` is below `n` (n <= 128). Lowest set bit
    /// marks the first such byte.
    @inline(__always)
    static func lessMask(_ x: UInt64, _ n: UInt8) -> UInt64 {
        (x &- ones &* UInt64(n)) & ~x & highs
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        return UInt64(littleEndian: w)
    }

    /// Index of the first CR or LF in `[from, end)`, or `end`.
    @inline(__always)
    static func firstLineBreak(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i &+ 8 <= end {
            let w = load(p, i)
            let m = zeroMask(w ^ (ones &* 0x0D)) | zeroMask(w ^ (ones &* 0x0A))
            if m != 0 { return i &+ (m.trailingZeroBitCount >> 3) }
            i &+= 8
        }
        while i < end {
            let c = p[i]
            if c == CR || c == LF { return i }
            i &+= 1
        }
        return end
    }
}
