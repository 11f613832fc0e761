// Stack reductions of the parser: repetition, concatenation, alternation and groups, as in
// Go's parse.go (BSD-3-Clause, The Go Authors).

extension Parser {
    /// Applies a repetition operator to the top of the stack. `before` is where the operator
    /// starts and `after` just past it; returns the position after an optional lazy `?`.
    mutating func repeatOp(
        _ o: Op,
        min: Int,
        max: Int,
        before: Int,
        after: Int,
        lastRepeat: Int?
    ) throws(RE2SyntaxError) -> Int {
        var after = after
        var f = flags
        if flags.contains(.perlX) {
            if at(after) == "?" {
                after += 1
                f.formSymmetricDifference(.nonGreedy)
            }
            // Perl does not allow stacking repetitions: a** is an error, and a++ would be a
            // possessive quantifier, which RE2 does not support either.
            if let lr = lastRepeat {
                throw error(.invalidRepeatOp, lr, after)
            }
        }
        guard let top = stack.last, top.op < .leftParen else {
            throw error(.missingRepeatArgument, before, after)
        }
        var re = Node(op: o, flags: f)
        re.min = min
        re.max = max
        re.sub = [top]
        re.refresh()
        stack[stack.count - 1] = re
        try checkLimits(re)
        if o == .repeat && (min >= 2 || max >= 2) && !Parser.repeatIsValid(re, Parser.maxRepeat) {
            throw error(.invalidRepeatSize, before, after)
        }
        return after
    }

    /// Whether nested counted repetitions stay within n copies of the innermost expression
    /// (so (x{2}){1000} is rejected like x{2000}).
    static func repeatIsValid(_ re: Node, _ n: Int) -> Bool {
        var n = n
        if re.op == .repeat {
            var m = re.max
            if m == 0 { return true }
            if m < 0 { m = re.min }
            if m > n { return false }
            if m > 0 { n /= m }
        }
        for s in re.sub where !repeatIsValid(s, n) { return false }
        return true
    }

    /// Replaces the entries above the topmost `|` or `(` with their concatenation.
    mutating func concat() throws(RE2SyntaxError) {
        _ = maybeConcat(-1, [])
        var i = stack.count
        while i > 0 && stack[i - 1].op < .leftParen { i -= 1 }
        let subs = Array(stack[i...])
        stack.removeSubrange(i...)
        if subs.isEmpty {
            try push(Node(op: .emptyMatch))
            return
        }
        try push(try collapse(subs, .concat))
    }

    /// Replaces the entries above the topmost `(` with their alternation.
    mutating func alternate() throws(RE2SyntaxError) {
        var i = stack.count
        while i > 0 && stack[i - 1].op < .leftParen { i -= 1 }
        var subs = Array(stack[i...])
        stack.removeSubrange(i...)
        // The others were cleaned as they were swapped below the vertical bar.
        if !subs.isEmpty { Parser.cleanAlt(&subs[subs.count - 1]) }
        if subs.isEmpty {
            try push(Node(op: .noMatch))
            return
        }
        try push(try collapse(subs, .alternate))
    }

    /// Normalizes a class before it joins an alternation (a full class becomes `.`).
    static func cleanAlt(_ re: inout Node) {
        guard re.op == .charClass else { return }
        CharClass.clean(&re.runes)
        if re.runes == [0, CharClass.maxRune] {
            re.runes = []
            re.op = .anyChar
        } else if re.runes == [0, 9, 11, CharClass.maxRune] {
            re.runes = []
            re.op = .anyCharNotNL
        }
        re.refresh()
    }

    /// Builds op(subs), hoisting children that are themselves op nodes, and factors alternations.
    mutating func collapse(_ subs: [Node], _ o: Op) throws(RE2SyntaxError) -> Node {
        if subs.count == 1 { return subs[0] }
        var re = Node(op: o)
        for sub in subs {
            if sub.op == o {
                re.sub.append(contentsOf: sub.sub)
            } else {
                re.sub.append(sub)
            }
        }
        if o == .alternate {
            re.sub = try factor(re.sub)
            if re.sub.count == 1 { return re.sub[0] }
        }
        re.refresh()
        return re
    }

    mutating func parseVerticalBar() throws(RE2SyntaxError) {
        try concat()
        // The concatenation just parsed is on top; if it sits above a `|`, swap it below
        // (everything below a `|` becomes the alternation). Otherwise push a new `|`.
        if !swapVerticalBar() {
            try op(.verticalBar)
        }
    }

    /// If the top is an expression above a `|`, swaps the two (merging adjacent single
    /// characters and classes into one class on the way) and returns true.
    mutating func swapVerticalBar() -> Bool {
        let n = stack.count
        if n >= 3 && stack[n - 2].op == .verticalBar && Parser.isCharClass(stack[n - 1])
            && Parser.isCharClass(stack[n - 3])
        {
            var re1 = stack[n - 1]
            var re3 = stack[n - 3]
            if re1.op > re3.op { swap(&re1, &re3) }  // re3 is the more complex of the two
            Parser.mergeCharClass(&re3, re1)
            re3.refresh()
            stack[n - 3] = re3
            stack.removeLast()
            return true
        }
        if n >= 2 && stack[n - 2].op == .verticalBar {
            if n >= 3 { Parser.cleanAlt(&stack[n - 3]) }  // now out of reach: clean it
            stack.swapAt(n - 2, n - 1)
            return true
        }
        return false
    }

    mutating func parseRightParen() throws(RE2SyntaxError) {
        try concat()
        if swapVerticalBar() { stack.removeLast() }
        try alternate()
        let n = stack.count
        if n < 2 { throw RE2SyntaxError(code: .unexpectedParen, expression: whole) }
        let re1 = stack.removeLast()
        var re2 = stack.removeLast()
        if re2.op != .leftParen { throw RE2SyntaxError(code: .unexpectedParen, expression: whole) }
        flags = re2.flags  // flags set inside the group end with it
        if re2.cap == 0 {
            try push(re1)  // just for grouping
        } else {
            re2.op = .capture
            re2.sub = [re1]
            try push(re2)
        }
    }

    /// Can re be written as a character class: one rune, a class, `.`, or `(?s:.)`.
    static func isCharClass(_ re: Node) -> Bool {
        (re.op == .literal && re.runes.count == 1) || re.op == .charClass || re.op == .anyCharNotNL
            || re.op == .anyChar
    }

    static func matchRune(_ re: Node, _ r: Int32) -> Bool {
        switch re.op {
        case .literal: return re.runes.count == 1 && re.runes[0] == r
        case .charClass: return CharClass.contains(re.runes, r)
        case .anyCharNotNL: return r != 10
        case .anyChar: return true
        default: return false
        }
    }

    /// dst = dst|src; the caller ensures dst.op >= src.op.
    static func mergeCharClass(_ dst: inout Node, _ src: Node) {
        switch dst.op {
        case .anyChar:
            break
        case .anyCharNotNL:
            if matchRune(src, 10) { dst.op = .anyChar }
        case .charClass:
            if src.op == .literal {
                appendLiteral(&dst.runes, src.runes[0], src.flags)
            } else {
                CharClass.appendClass(&dst.runes, src.runes)
            }
        case .literal:
            if src.runes[0] == dst.runes[0] && src.flags == dst.flags { break }
            dst.op = .charClass
            let d0 = dst.runes[0]
            dst.runes = []
            appendLiteral(&dst.runes, d0, dst.flags)
            appendLiteral(&dst.runes, src.runes[0], src.flags)
        default:
            break
        }
    }

    static func appendLiteral(_ r: inout [Int32], _ x: Int32, _ f: Flags) {
        if f.contains(.foldCase) {
            CharClass.appendFoldedRange(&r, x, x)
        } else {
            CharClass.appendRange(&r, x, x)
        }
    }
}
