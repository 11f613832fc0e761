// Character-class arithmetic on flat [lo0, hi0, lo1, hi1, ...] arrays of inclusive rune
// ranges. This is Go's representation (regexp/syntax, BSD-3-Clause, The Go Authors), kept
// because Go's `maxRunes` limit counts array elements, and because folding and negation
// must produce the very same classes for (?i) to agree with Go. Runes are Int32 like Go's
// `rune`, so `lo - 1` at zero is simply -1 instead of a trap.

enum CharClass {
    static let maxRune: Int32 = 0x10FFFF
    /// Smallest and largest runes that take part in case folding (checked against the table below).
    static let minFold: Int32 = 0x0041
    static let maxFold: Int32 = 0x1E943

    /// Appends lo-hi, merging with the last or next-to-last range when they overlap or abut
    /// (two looks back keep interleaved A-Z/a-z appends from growing the array).
    static func appendRange(_ r: inout [Int32], _ lo: Int32, _ hi: Int32) {
        let n = r.count
        var i = 2
        while i <= 4 {
            if n >= i {
                let rlo = r[n - i]
                let rhi = r[n - i + 1]
                if lo <= rhi + 1 && rlo <= hi + 1 {
                    if lo < rlo { r[n - i] = lo }
                    if hi > rhi { r[n - i + 1] = hi }
                    return
                }
            }
            i += 2
        }
        r.append(lo)
        r.append(hi)
    }

    /// Appends lo-hi and every rune case-fold-equivalent to one in it.
    static func appendFoldedRange(_ r: inout [Int32], _ lo: Int32, _ hi: Int32) {
        var lo = lo
        var hi = hi
        if lo <= minFold && hi >= maxFold {
            appendRange(&r, lo, hi)  // full range: folding cannot add anything
            return
        }
        if hi < minFold || lo > maxFold {
            appendRange(&r, lo, hi)  // outside the folding runes
            return
        }
        if lo < minFold {
            appendRange(&r, lo, minFold - 1)
            lo = minFold
        }
        if hi > maxFold {
            appendRange(&r, maxFold + 1, hi)
            hi = maxFold
        }
        var c = lo
        while c <= hi {
            appendRange(&r, c, c)
            var f = CaseFolding.simpleFold(c)
            while f != c {
                appendRange(&r, f, f)
                f = CaseFolding.simpleFold(f)
            }
            c += 1
        }
    }

    /// Appends the (clean) class x.
    static func appendClass(_ r: inout [Int32], _ x: some Collection<Int32>) {
        var it = x.makeIterator()
        while let lo = it.next(), let hi = it.next() { appendRange(&r, lo, hi) }
    }

    static func appendFoldedClass(_ r: inout [Int32], _ x: some Collection<Int32>) {
        var it = x.makeIterator()
        while let lo = it.next(), let hi = it.next() { appendFoldedRange(&r, lo, hi) }
    }

    /// Appends the complement of the clean class x.
    static func appendNegatedClass(_ r: inout [Int32], _ x: some Collection<Int32>) {
        var nextLo: Int32 = 0
        var it = x.makeIterator()
        while let lo = it.next(), let hi = it.next() {
            if nextLo <= lo - 1 { appendRange(&r, nextLo, lo - 1) }
            nextLo = hi + 1
        }
        if nextLo <= maxRune { appendRange(&r, nextLo, maxRune) }
    }

    /// Sorts by lo (ties: larger hi first), then merges overlapping and abutting ranges.
    static func clean(_ r: inout [Int32]) {
        let n = r.count / 2
        if n < 2 { return }
        var pairs: [(Int32, Int32)] = []
        pairs.reserveCapacity(n)
        for i in 0..<n { pairs.append((r[2 * i], r[2 * i + 1])) }
        var sorted = true
        for i in 1..<n
        where pairs[i - 1].0 > pairs[i].0 || (pairs[i - 1].0 == pairs[i].0 && pairs[i - 1].1 < pairs[i].1) {
            sorted = false
            break
        }
        if !sorted { pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) } }
        var out: [Int32] = []
        out.reserveCapacity(r.count)
        out.append(pairs[0].0)
        out.append(pairs[0].1)
        for i in 1..<n {
            let (lo, hi) = pairs[i]
            if lo <= out[out.count - 1] + 1 {
                if hi > out[out.count - 1] { out[out.count - 1] = hi }
                continue
            }
            out.append(lo)
            out.append(hi)
        }
        r = out
    }

    /// The complement of a clean class.
    static func negate(_ r: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(r.count + 2)
        var nextLo: Int32 = 0
        var i = 0
        while i + 1 < r.count {
            let lo = r[i]
            let hi = r[i + 1]
            if nextLo <= lo - 1 {
                out.append(nextLo)
                out.append(lo - 1)
            }
            nextLo = hi + 1
            i += 2
        }
        if nextLo <= maxRune {
            out.append(nextLo)
            out.append(maxRune)
        }
        return out
    }

    /// Whether c is in the class (linear; only used while parsing).
    static func contains(_ r: [Int32], _ c: Int32) -> Bool {
        var i = 0
        while i + 1 < r.count {
            if r[i] <= c && c <= r[i + 1] { return true }
            i += 2
        }
        return false
    }

    // MARK: Perl and POSIX groups (Go's perl_groups.go)

    struct Group {
        let negated: Bool
        let ranges: [Int32]
    }

    static let digit: [Int32] = [0x30, 0x39]
    static let space: [Int32] = [0x9, 0xA, 0xC, 0xD, 0x20, 0x20]  // Go's \s: no \v
    static let word: [Int32] = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]

    /// `\d \D \s \S \w \W`, keyed by the letter after the backslash.
    static func perlGroup(_ c: Int32) -> Group? {
        switch c {
        case 0x64: return Group(negated: false, ranges: digit)  // d
        case 0x44: return Group(negated: true, ranges: digit)  // D
        case 0x73: return Group(negated: false, ranges: space)  // s
        case 0x53: return Group(negated: true, ranges: space)  // S
        case 0x77: return Group(negated: false, ranges: word)  // w
        case 0x57: return Group(negated: true, ranges: word)  // W
        default: return nil
        }
    }

    /// `[:alpha:]` and friends, keyed by the full bracketed name (`[:^alpha:]` negates).
    static func posixGroup(_ name: String) -> Group? {
        var n = Substring(name.dropFirst(2).dropLast(2))  // strip "[:" and ":]"
        var negated = false
        if n.first == "^" {
            negated = true
            n = n.dropFirst()
        }
        let r: [Int32]
        switch n {
        case "alnum": r = [0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A]
        case "alpha": r = [0x41, 0x5A, 0x61, 0x7A]
        case "ascii": r = [0x0, 0x7F]
        case "blank": r = [0x9, 0x9, 0x20, 0x20]
        case "cntrl": r = [0x0, 0x1F, 0x7F, 0x7F]
        case "digit": r = [0x30, 0x39]
        case "graph": r = [0x21, 0x7E]
        case "lower": r = [0x61, 0x7A]
        case "print": r = [0x20, 0x7E]
        case "punct": r = [0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E]
        case "space": r = [0x9, 0xD, 0x20, 0x20]
        case "upper": r = [0x41, 0x5A]
        case "word": r = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]
        case "xdigit": r = [0x30, 0x39, 0x41, 0x46, 0x61, 0x66]
        default: return nil
        }
        return Group(negated: negated, ranges: r)
    }
}

/// Go's `unicode.SimpleFold`: each rune's case orbit as a cycle, from the generated table.
enum CaseFolding {
    static func simpleFold(_ r: Int32) -> Int32 {
        if r < CharClass.minFold || r > CharClass.maxFold { return r }
        // ASCII letters other than k and s (whose orbits include U+212A KELVIN SIGN and
        // U+017F LONG S) fold to their other case; answer those without the table.
        if r < 0x80 {
            if r >= 0x41 && r <= 0x5A && r != 0x4B && r != 0x53 { return r + 0x20 }
            if r >= 0x61 && r <= 0x7A && r != 0x6B && r != 0x73 { return r - 0x20 }
        }
        let keys = UnicodeTables.foldKeys
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let m = (lo + hi) >> 1
            if keys[m] < r { lo = m + 1 } else { hi = m }
        }
        if lo < keys.count && keys[lo] == r { return UnicodeTables.foldNext[lo] }
        return r
    }

    /// The smallest rune fold-equivalent to r (how Go stores a case-insensitive literal).
    static func minFoldRune(_ r: Int32) -> Int32 {
        if r < CharClass.minFold || r > CharClass.maxFold { return r }
        var m = r
        var f = simpleFold(r)
        while f != r {
            m = Swift.min(m, f)
            f = simpleFold(f)
        }
        return m
    }

    /// All runes fold-equivalent to r, r included, as a clean class.
    static func orbitClass(_ r: Int32) -> [Int32] {
        var out: [Int32] = []
        CharClass.appendFoldedRange(&out, r, r)
        CharClass.clean(&out)
        return out
    }
}
