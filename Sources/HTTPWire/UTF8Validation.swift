/// Well-formed UTF-8 check (RFC 3629 §4), used for field values carrying
/// obs-text. Values are kept as bytes and turned into Strings on demand, so
/// only well-formed UTF-8 is let through: a String made from anything else
/// would silently replace bytes, and the proxy would forward a value the
/// client never sent.
enum UTF8Validation {
    @inline(__always)
    private static func isContinuation(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }

    static func isValid(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            let c = p[i]
            if c < 0x80 {
                i &+= 1
                continue
            }
            let need: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF  // range of the second byte
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0:
                need = 2
                lo = 0xA0  // no overlongs
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED:
                need = 2
                hi = 0x9F  // no surrogates
            case 0xF0:
                need = 3
                lo = 0x90  // no overlongs
            case 0xF1...0xF3: need = 3
            case 0xF4:
                need = 3
                hi = 0x8F  // ≤ U+10FFFF
            default: return false
            }
            guard e &- i > need else { return false }
            let c1 = p[i &+ 1]
            guard c1 >= lo, c1 <= hi else { return false }
            var k = 2
            while k <= need {
                guard isContinuation(p[i &+ k]) else { return false }
                k &+= 1
            }
            i &+= need &+ 1
        }
        return true
    }
}
