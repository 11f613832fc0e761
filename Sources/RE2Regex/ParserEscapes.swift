// Escapes, bracketed classes, `(?...)` groups and `{n,m}` counts, as in Go's parse.go
// (BSD-3-Clause, The Go Authors). Each error carries the same slice of the pattern that Go's
// `Error.Expr` does.

extension Parser {
    // MARK: Backslash at top level

    mutating func parseBackslash(_ t: Int) throws(RE2SyntaxError) -> Int {
        if flags.contains(.perlX), let c1 = at(t + 1) {
            switch c1 {
            case "A":
                try op(.beginText)
                return t + 2
            case "b":
                try op(.wordBoundary)
                return t + 2
            case "B":
                try op(.noWordBoundary)
                return t + 2
            case "C":
                // Any byte: RE2 has it, Go does not; Istio rejects it, so do we.
                throw error(.invalidEscape, t, t + 2)
            case "Q":
                // \Q...\E: everything up to the first \E (or the end) is literal.
                var end = s.count
                var next = s.count
                var j = t + 2
                while j + 1 < s.count {
                    if s[j] == "\\" && s[j + 1] == "E" {
                        end = j
                        next = j + 2
                        break
                    }
                    j += 1
                }
                var k = t + 2
                while k < end {
                    try literal(Parser.rune(s[k]))
                    k += 1
                }
                return next
            case "z":
                try op(.endText)
                return t + 2
            default:
                break
            }
        }

        if at(t + 1) == "p" || at(t + 1) == "P" {
            var r: [Int32] = []
            if let rest = try parseUnicodeClass(t, into: &r) {
                var re = Node(op: .charClass, flags: flags)
                re.runes = r
                try push(re)
                return rest
            }
        }
        var r: [Int32] = []
        if let rest = parsePerlClassEscape(t, into: &r) {
            var re = Node(op: .charClass, flags: flags)
            re.runes = r
            try push(re)
            return rest
        }
        let (c, rest) = try parseEscape(t)
        try literal(c)
        return rest
    }

    // MARK: Single-character escapes

    static func isOctal(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "7" }

    static func isAlnum(_ c: Unicode.Scalar) -> Bool {
        (c >= "0" && c <= "9") || (c >= "A" && c <= "Z") || (c >= "a" && c <= "z")
    }

    static func unhex(_ c: Unicode.Scalar?) -> Int32 {
        guard let c else { return -1 }
        let v = Int32(bitPattern: c.value)
        if c >= "0" && c <= "9" { return v - 0x30 }
        if c >= "a" && c <= "f" { return v - 0x61 + 10 }
        if c >= "A" && c <= "F" { return v - 0x41 + 10 }
        return -1
    }

    /// Parses the escape at `start` (a backslash) into one rune; returns it and the position after.
    func parseEscape(_ start: Int) throws(RE2SyntaxError) -> (Int32, Int) {
        var t = start + 1
        guard t < s.count else {
            throw RE2SyntaxError(code: .trailingBackslash, expression: "")
        }
        let c = s[t]
        t += 1
        switch c {
        case "0"..."7":
            // A single non-zero digit would be a backreference, which RE2 does not support.
            if c != "0" && !(t < s.count && Parser.isOctal(s[t])) { break }
            var r = Int32(c.value - 0x30)
            var i = 1
            while i < 3, t < s.count, Parser.isOctal(s[t]) {
                r = r * 8 + Int32(s[t].value - 0x30)
                t += 1
                i += 1
            }
            return (r, t)
        case "x":
            guard t < s.count else { break }
            let c2 = s[t]
            t += 1
            if c2 == "{" {
                // Any number of hex digits in braces, at least one, up to U+10FFFF.
                var nhex = 0
                var r: Int32 = 0
                while true {
                    guard t < s.count else { throw error(.invalidEscape, start, t) }
                    let d = s[t]
                    t += 1
                    if d == "}" { break }
                    let v = Parser.unhex(d)
                    if v < 0 { throw error(.invalidEscape, start, t) }
                    r = r * 16 + v
                    if r > CharClass.maxRune { throw error(.invalidEscape, start, t) }
                    nhex += 1
                }
                if nhex == 0 { break }
                return (r, t)
            }
            // Exactly two hex digits.
            let x = Parser.unhex(c2)
            let y = Parser.unhex(at(t))
            if t < s.count { t += 1 }
            if x < 0 || y < 0 { break }
            return (x * 16 + y, t)
        // C escapes. No \b: it means a word boundary, never backspace.
        case "a": return (7, t)
        case "f": return (12, t)
        case "n": return (10, t)
        case "r": return (13, t)
        case "t": return (9, t)
        case "v": return (11, t)
        default:
            // Escaped ASCII punctuation is itself (\_ included); escaped letters, digits and
            // non-ASCII are errors, so that new escapes can be added later without changing meaning.
            if c.value < 0x80 && !Parser.isAlnum(c) {
                return (Int32(c.value), t)
            }
        }
        throw error(.invalidEscape, start, t)
    }

    // MARK: Bracketed classes

    mutating func parseClass(_ start: Int) throws(RE2SyntaxError) -> Int {
        var t = start + 1  // skip [
        var cls: [Int32] = []
        var negated = false
        if t < s.count && s[t] == "^" {
            negated = true
            t += 1
            // Without ClassNL, [^a] must not match \n: add it now so negation removes it.
            if !flags.contains(.classNL) {
                cls.append(10)
                cls.append(10)
            }
        }
        var first = true  // ] and - are ordinary as the first character
        while t >= s.count || s[t] != "]" || first {
            // POSIX only allows - first or last; Perl mode allows it anywhere.
            if t < s.count && s[t] == "-" && !flags.contains(.perlX) && !first
                && (t + 1 >= s.count || s[t + 1] != "]")
            {
                throw error(.invalidCharRange, t, Swift.min(t + 2, s.count))
            }
            first = false

            if s.count - t > 2 && s[t] == "[" && s[t + 1] == ":" {
                if let nt = try parseNamedClass(t, into: &cls) {
                    t = nt
                    continue
                }
            }
            if let nt = try parseUnicodeClass(t, into: &cls) {
                t = nt
                continue
            }
            if let nt = parsePerlClassEscape(t, into: &cls) {
                t = nt
                continue
            }

            // A single character or a range.
            let rangeStart = t
            let (lo, nt) = try parseClassChar(t, classStart: start)
            t = nt
            var hi = lo
            if s.count - t >= 2 && s[t] == "-" && s[t + 1] != "]" {  // [a-] is a or -
                t += 1
                (hi, t) = try parseClassChar(t, classStart: start)
                if hi < lo {
                    throw error(.invalidCharRange, rangeStart, t)
                }
            }
            if flags.contains(.foldCase) {
                CharClass.appendFoldedRange(&cls, lo, hi)
            } else {
                CharClass.appendRange(&cls, lo, hi)
            }
        }
        t += 1  // skip ]
        CharClass.clean(&cls)
        if negated { cls = CharClass.negate(cls) }
        var re = Node(op: .charClass, flags: flags)
        re.runes = cls
        try push(re)
        return t
    }

    func parseClassChar(_ t: Int, classStart: Int) throws(RE2SyntaxError) -> (Int32, Int) {
        guard t < s.count else {
            throw error(.missingBracket, classStart, s.count)
        }
        if s[t] == "\\" { return try parseEscape(t) }
        return (Parser.rune(s[t]), t + 1)
    }

    /// `[:alpha:]` inside brackets; nil when there is no closing `:]` at all.
    func parseNamedClass(_ t: Int, into r: inout [Int32]) throws(RE2SyntaxError) -> Int? {
        guard s.count - t >= 2, s[t] == "[", s[t + 1] == ":" else { return nil }
        var j = t + 2
        var close: Int? = nil
        while j + 1 < s.count {
            if s[j] == ":" && s[j + 1] == "]" {
                close = j
                break
            }
            j += 1
        }
        guard let c = close else { return nil }
        let name = text(t, c + 2)
        guard let g = CharClass.posixGroup(name) else {
            throw error(.invalidCharRange, t, c + 2)
        }
        appendGroup(&r, g)
        return c + 2
    }

    func appendGroup(_ r: inout [Int32], _ g: CharClass.Group) {
        if !flags.contains(.foldCase) {
            if g.negated {
                CharClass.appendNegatedClass(&r, g.ranges)
            } else {
                CharClass.appendClass(&r, g.ranges)
            }
        } else {
            var tmp: [Int32] = []
            CharClass.appendFoldedClass(&tmp, g.ranges)
            CharClass.clean(&tmp)
            if g.negated {
                CharClass.appendNegatedClass(&r, tmp)
            } else {
                CharClass.appendClass(&r, tmp)
            }
        }
    }

    /// `\d \s \w` and their negations.
    func parsePerlClassEscape(_ t: Int, into r: inout [Int32]) -> Int? {
        guard flags.contains(.perlX), t + 1 < s.count, s[t] == "\\",
            let g = CharClass.perlGroup(Parser.rune(s[t + 1]))
        else { return nil }
        appendGroup(&r, g)
        return t + 2
    }

    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}`. Names are Go's exact spellings: general
    /// categories, scripts and `Any`.
    func parseUnicodeClass(_ t: Int, into r: inout [Int32]) throws(RE2SyntaxError) -> Int? {
        guard flags.contains(.unicodeGroups), t + 1 < s.count, s[t] == "\\", s[t + 1] == "p" || s[t + 1] == "P"
        else { return nil }
        // Committed: from here on it parses or fails.
        var positive = s[t + 1] == "p"
        var u = t + 2
        let seqEnd: Int
        var name: Substring
        if u >= s.count {
            seqEnd = u
            name = ""
        } else if s[u] != "{" {
            u += 1  // single-letter name
            seqEnd = u
            name = Substring(text(t + 2, u))
        } else {
            // The name runs to the first } anywhere after.
            guard let end = s[t...].firstIndex(of: "}") else {
                throw error(.invalidCharRange, t, s.count)
            }
            seqEnd = end + 1
            u = end + 1
            name = Substring(text(t + 3, end))
        }
        if name.first == "^" {
            positive.toggle()
            name = name.dropFirst()
        }
        guard let table = Parser.unicodeTable(String(name)) else {
            throw error(.invalidCharRange, t, seqEnd)
        }
        if !flags.contains(.foldCase) || table.fold == nil {
            if positive {
                CharClass.appendClass(&r, table.base)
            } else {
                CharClass.appendNegatedClass(&r, table.base)
            }
        } else if let fold = table.fold {
            if positive {
                CharClass.appendClass(&r, fold)
            } else {
                CharClass.appendNegatedClass(&r, fold)
            }
        }
        return u
    }

    /// The ranges of a category or script, and their case-folded closure when Go has one.
    static func unicodeTable(_ name: String) -> (base: ArraySlice<Int32>, fold: ArraySlice<Int32>?)? {
        if name == "Any" {
            let any: [Int32] = [0, CharClass.maxRune]
            return (any[...], any[...])
        }
        guard let e = UnicodeTables.index[name] else { return nil }
        let data = UnicodeTables.data
        let base = data[Int(e.start)..<Int(e.start + e.count)]
        let fold = e.foldStart < 0 ? nil : data[Int(e.foldStart)..<Int(e.foldStart + e.foldCount)]
        return (base, fold)
    }

    // MARK: (?flags) and named groups

    mutating func parsePerlFlags(_ start: Int) throws(RE2SyntaxError) -> Int {
        let n = s.count - start
        // Named captures: (?P<name>re), the Python form, and (?<name>re), which Go accepts
        // since 1.22 and RE2 since 2023. Note that a lookbehind (?<=re) lands here too, and Go
        // reports it as an invalid named capture.
        let startsWithP = n > 4 && s[start + 2] == "P" && s[start + 3] == "<"
        let startsWithName = n > 3 && s[start + 2] == "<"
        if startsWithP || startsWithName {
            let nameStart = startsWithP ? start + 4 : start + 3
            guard let end = s[start...].firstIndex(of: ">") else {
                throw error(.invalidNamedCapture, start, s.count)
            }
            let name = text(nameStart, end)
            if !Parser.isValidCaptureName(name) {
                throw error(.invalidNamedCapture, start, end + 1)
            }
            numCap += 1
            var re = Node(op: .leftParen, flags: flags)
            re.cap = numCap
            re.name = name
            try push(re)
            return end + 1
        }

        // Flags, possibly opening a non-capturing group: (?i) (?i-s) (?i:re) (?:re).
        var t = start + 2
        var f = flags
        var negative = false
        var sawFlag = false
        loop: while t < s.count {
            let c = s[t]
            t += 1
            switch c {
            case "i":
                f.insert(.foldCase)
                sawFlag = true
            case "m":
                f.remove(.oneLine)
                sawFlag = true
            case "s":
                f.insert(.dotNL)
                sawFlag = true
            case "U":
                f.insert(.nonGreedy)
                sawFlag = true
            case "-":
                if negative { break loop }
                negative = true
                // Invert, so the insertions above become removals; inverted back at the end.
                f = Flags(rawValue: ~f.rawValue)
                sawFlag = false
            case ":", ")":
                if negative {
                    if !sawFlag { break loop }
                    f = Flags(rawValue: ~f.rawValue)
                }
                if c == ":" {
                    try push(Node(op: .leftParen, flags: flags))  // remembers the outer flags
                }
                flags = f
                return t
            default:
                break loop
            }
        }
        throw error(.invalidPerlOp, start, t)
    }

    /// Go's rule: [A-Za-z0-9_]+.
    static func isValidCaptureName(_ name: String) -> Bool {
        if name.isEmpty { return false }
        for c in name.unicodeScalars where c != "_" && !isAlnum(c) { return false }
        return true
    }

    // MARK: {n,m}

    /// Parses {n}, {n,} (max -1) or {n,m}; nil when the text is not of that form (then the
    /// brace is a literal). A count that is too large comes back as min -1.
    func parseRepeat(_ t: Int) -> (Int, Int, Int)? {
        guard t < s.count, s[t] == "{" else { return nil }
        guard var (lo, u) = parseInt(t + 1) else { return nil }
        guard u < s.count else { return nil }
        var hi: Int
        if s[u] != "," {
            hi = lo
        } else {
            u += 1
            guard u < s.count else { return nil }
            if s[u] == "}" {
                hi = -1
            } else {
                guard let (h, u2) = parseInt(u) else { return nil }
                hi = h
                u = u2
                if hi < 0 { lo = -1 }  // too big a number
            }
        }
        guard u < s.count, s[u] == "}" else { return nil }
        return (lo, hi, u + 1)
    }

    /// A decimal number without leading zeros; -1 when it has more than 8 digits' worth.
    func parseInt(_ t: Int) -> (Int, Int)? {
        guard t < s.count, s[t] >= "0", s[t] <= "9" else { return nil }
        if s[t] == "0" && t + 1 < s.count && s[t + 1] >= "0" && s[t + 1] <= "9" { return nil }
        var u = t
        while u < s.count && s[u] >= "0" && s[u] <= "9" { u += 1 }
        var n = 0
        for i in t..<u {
            if n >= 100_000_000 {
                n = -1
                break
            }
            n = n * 10 + Int(s[i].value - 0x30)
        }
        return (n, u)
    }
}
