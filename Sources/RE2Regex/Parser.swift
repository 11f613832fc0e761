// The parser: a port of the algorithm of Go's regexp/syntax/parse.go (BSD-3-Clause, The Go
// Authors), which is what Istio validates VirtualService regexes with. It keeps Go's operator
// stack, incremental literal concatenation and alternation factoring so that the same
// pattern fails at the same point with the same `Error.Expr`. Only Perl mode (`syntax.Perl`,
// what `regexp.Compile` uses) is needed, but the flag checks stay so the code reads like Go's.

struct Parser {
    /// Go's maxHeight: parse trees deeper than this are rejected ("expression nests too deeply").
    static let maxHeight = 1000
    /// Go's maxSize: 128 MB of 40-byte instructions ("expression too large").
    static let maxSize: Int64 = (128 << 20) / 40
    /// Go's maxRunes: 128 MB of 4-byte runes in all the classes of one pattern.
    static let maxRunes = (128 << 20) / 4
    /// Largest count in x{n,m}, and largest product of nested counts.
    static let maxRepeat = 1000

    /// The pattern as scalars: Go's byte positions always fall on rune boundaries, so scalar
    /// indices give the same error substrings.
    let s: [Unicode.Scalar]
    let whole: String
    var flags: Flags
    var stack: [Node] = []
    var numCap = 0
    var numRunes = 0

    init(_ pattern: String, flags: Flags = .perl) {
        s = Array(pattern.unicodeScalars)
        whole = pattern
        self.flags = flags
    }

    static func parse(_ pattern: String) throws(RE2SyntaxError) -> Node {
        var p = Parser(pattern)
        return try p.parse()
    }

    // MARK: Helpers

    /// The pattern text s[a..<b].
    func text(_ a: Int, _ b: Int) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[a..<b])
        return String(out)
    }

    func error(_ code: RE2SyntaxError.Code, _ a: Int, _ b: Int) -> RE2SyntaxError {
        RE2SyntaxError(code: code, expression: text(a, b))
    }

    func at(_ i: Int) -> Unicode.Scalar? { i < s.count ? s[i] : nil }

    static func rune(_ c: Unicode.Scalar) -> Int32 { Int32(bitPattern: c.value) }

    // MARK: Limits

    /// Go's checkLimits, on a node just built: rune budget, program size, then height.
    func checkLimits(_ re: Node) throws(RE2SyntaxError) {
        if numRunes > Parser.maxRunes || re.size > Parser.maxSize {
            throw RE2SyntaxError(code: .large, expression: whole)
        }
        if re.height > Parser.maxHeight {
            throw RE2SyntaxError(code: .nestingDepth, expression: whole)
        }
    }

    // MARK: Stack

    /// Pushes re, first turning a one-rune class into a literal (or a case-folded literal for
    /// classes like [Aa]) that may join the literal string below it.
    mutating func push(_ node: Node) throws(RE2SyntaxError) {
        var re = node
        numRunes += re.runes.count
        if re.op == .charClass && re.runes.count == 2 && re.runes[0] == re.runes[1] {
            if maybeConcat(re.runes[0], flags.subtracting(.foldCase)) { return }
            re.op = .literal
            re.runes = [re.runes[0]]
            re.flags = flags.subtracting(.foldCase)
        } else if re.op == .charClass
            && ((re.runes.count == 4 && re.runes[0] == re.runes[1] && re.runes[2] == re.runes[3]
                && CaseFolding.simpleFold(re.runes[0]) == re.runes[2]
                && CaseFolding.simpleFold(re.runes[2]) == re.runes[0])
                || (re.runes.count == 2 && re.runes[0] + 1 == re.runes[1]
                    && CaseFolding.simpleFold(re.runes[0]) == re.runes[1]
                    && CaseFolding.simpleFold(re.runes[1]) == re.runes[0]))
        {
            if maybeConcat(re.runes[0], flags.union(.foldCase)) { return }
            re.op = .literal
            re.runes = [re.runes[0]]
            re.flags = flags.union(.foldCase)
        } else {
            _ = maybeConcat(-1, [])
        }
        re.refresh()
        stack.append(re)
        try checkLimits(re)
    }

    /// Joins the top two stack entries when both are literals of the same case sensitivity.
    /// Done lazily, before each push, so that the top literal stays a single rune for a
    /// following `*` (otherwise ab* would become (ab)*). With r >= 0, the freed top entry is
    /// reused for r; returns whether r was pushed that way.
    mutating func maybeConcat(_ r: Int32, _ f: Flags) -> Bool {
        let n = stack.count
        if n < 2 { return false }
        guard stack[n - 1].op == .literal, stack[n - 2].op == .literal,
            stack[n - 1].flags.contains(.foldCase) == stack[n - 2].flags.contains(.foldCase)
        else { return false }
        stack[n - 2].runes.append(contentsOf: stack[n - 1].runes)
        stack[n - 2].refresh()
        if r >= 0 {
            stack[n - 1].runes = [r]
            stack[n - 1].flags = f
            stack[n - 1].refresh()
            return true
        }
        stack.removeLast()
        return false
    }

    /// Pushes a literal rune (case-folded literals are stored as the smallest rune of their orbit).
    mutating func literal(_ c: Int32) throws(RE2SyntaxError) {
        var re = Node(op: .literal, flags: flags)
        re.runes = [flags.contains(.foldCase) ? CaseFolding.minFoldRune(c) : c]
        try push(re)
    }

    mutating func op(_ o: Op, extraFlags: Flags = []) throws(RE2SyntaxError) {
        try push(Node(op: o, flags: flags.union(extraFlags)))
    }

    // MARK: Main loop

    mutating func parse() throws(RE2SyntaxError) -> Node {
        var t = 0
        // Start of the previous token when it was a repetition operator (Go's lastRepeat).
        var lastRepeat: Int? = nil
        while t < s.count {
            var thisRepeat: Int? = nil
            switch s[t] {
            case "(":
                if flags.contains(.perlX) && at(t + 1) == "?" {
                    t = try parsePerlFlags(t)
                    break
                }
                numCap += 1
                var re = Node(op: .leftParen, flags: flags)
                re.cap = numCap
                try push(re)
                t += 1
            case "|":
                try parseVerticalBar()
                t += 1
            case ")":
                try parseRightParen()
                t += 1
            case "^":
                try op(flags.contains(.oneLine) ? .beginText : .beginLine)
                t += 1
            case "$":
                if flags.contains(.oneLine) {
                    try op(.endText, extraFlags: .wasDollar)
                } else {
                    try op(.endLine)
                }
                t += 1
            case ".":
                try op(flags.contains(.dotNL) ? .anyChar : .anyCharNotNL)
                t += 1
            case "[":
                t = try parseClass(t)
            case "*", "+", "?":
                let before = t
                let o: Op = s[t] == "*" ? .star : s[t] == "+" ? .plus : .quest
                t = try repeatOp(o, min: 0, max: 0, before: before, after: t + 1, lastRepeat: lastRepeat)
                thisRepeat = before
            case "{":
                let before = t
                if let (lo, hi, after) = parseRepeat(t) {
                    if lo < 0 || lo > Parser.maxRepeat || hi > Parser.maxRepeat || (hi >= 0 && lo > hi) {
                        throw error(.invalidRepeatSize, before, after)
                    }
                    t = try repeatOp(.repeat, min: lo, max: hi, before: before, after: after, lastRepeat: lastRepeat)
                    thisRepeat = before
                } else {
                    try literal(Parser.rune("{"))  // not a valid repeat: a literal brace
                    t += 1
                }
            case "\\":
                t = try parseBackslash(t)
            default:
                try literal(Parser.rune(s[t]))
                t += 1
            }
            lastRepeat = thisRepeat
        }

        try concat()
        if swapVerticalBar() {
            stack.removeLast()  // pop the vertical bar
        }
        try alternate()
        if stack.count != 1 {
            throw RE2SyntaxError(code: .missingParen, expression: whole)
        }
        return stack[0]
    }
}
