// Alternation factoring, as Go's parser does it (parse.go, BSD-3-Clause, The Go Authors):
//
//     ABC|ABD|AEF|BCX|BCY  ->  A(B(C|D)|EF)|BC(X|Y)  ->  A(B[CD]|EF)|BC[XY]
//
// It is not only an optimization: it changes the tree that the size and height limits are
// measured on, and which classes end up merged, so it is kept step for step.

extension Parser {
    mutating func factor(_ input: [Node]) throws(RE2SyntaxError) -> [Node] {
        var sub = input
        if sub.count < 2 { return sub }

        // Round 1: factor out common literal prefixes.
        var str: [Int32] = []
        var strflags: Flags = []
        var start = 0
        var out: [Node] = []
        var i = 0
        while i <= sub.count {
            // Invariant: sub[start..<i] all begin with str (with case sensitivity strflags).
            var istr: [Int32] = []
            var iflags: Flags = []
            if i < sub.count {
                (istr, iflags) = Parser.leadingString(sub[i])
                if iflags == strflags {
                    var same = 0
                    while same < str.count && same < istr.count && str[same] == istr[same] { same += 1 }
                    if same > 0 {
                        // Shares at least one rune with the current run: keep going.
                        str.removeSubrange(same...)
                        i += 1
                        continue
                    }
                }
            }
            // End of a run with a common leading string: emit prefix(suffix1|suffix2|...).
            if i == start + 1 {
                out.append(sub[start])
            } else if i > start + 1 {
                var prefix = Node(op: .literal, flags: strflags)
                prefix.runes = str
                prefix.refresh()
                for j in start..<i {
                    sub[j] = Parser.removeLeadingString(sub[j], str.count)
                    try checkLimits(sub[j])
                }
                let suffix = try collapse(Array(sub[start..<i]), .alternate)
                var re = Node(op: .concat)
                re.sub = [prefix, suffix]
                re.refresh()
                out.append(re)
            }
            start = i
            str = istr
            strflags = iflags
            i += 1
        }
        sub = out

        // Round 2: factor out a common leading single-character piece (a class, or a fixed
        // repeat of one). More complex pieces are unsafe: merging their paths through the
        // automaton would change which alternative matches.
        start = 0
        out = []
        var first: Node? = nil
        i = 0
        while i <= sub.count {
            var ifirst: Node? = nil
            if i < sub.count {
                ifirst = Parser.leadingRegexp(sub[i])
                if let f = first, let fi = ifirst, f.isEqual(fi),
                    Parser.isCharClass(f) || (f.op == .repeat && f.min == f.max && Parser.isCharClass(f.sub[0]))
                {
                    i += 1
                    continue
                }
            }
            if i == start + 1 {
                out.append(sub[start])
            } else if i > start + 1, let prefix = first {
                for j in start..<i {
                    sub[j] = Parser.removeLeadingRegexp(sub[j])
                    try checkLimits(sub[j])
                }
                let suffix = try collapse(Array(sub[start..<i]), .alternate)
                var re = Node(op: .concat)
                re.sub = [prefix, suffix]
                re.refresh()
                out.append(re)
            }
            start = i
            first = ifirst
            i += 1
        }
        sub = out

        // Round 3: collapse runs of single characters and classes into one class.
        start = 0
        out = []
        i = 0
        while i <= sub.count {
            if i < sub.count && Parser.isCharClass(sub[i]) {
                i += 1
                continue
            }
            if i == start + 1 {
                out.append(sub[start])
            } else if i > start + 1 {
                // Merge into the most complex one, so that it can absorb the others.
                var maxIndex = start
                for j in (start + 1)..<i {
                    if sub[maxIndex].op < sub[j].op
                        || (sub[maxIndex].op == sub[j].op && sub[maxIndex].runes.count < sub[j].runes.count)
                    {
                        maxIndex = j
                    }
                }
                sub.swapAt(start, maxIndex)
                for j in (start + 1)..<i {
                    let src = sub[j]
                    Parser.mergeCharClass(&sub[start], src)
                }
                Parser.cleanAlt(&sub[start])
                sub[start].refresh()
                out.append(sub[start])
            }
            if i < sub.count { out.append(sub[i]) }
            start = i + 1
            i += 1
        }
        sub = out

        // Round 4: collapse runs of empty matches into one.
        out = []
        for j in sub.indices {
            if j + 1 < sub.count && sub[j].op == .emptyMatch && sub[j + 1].op == .emptyMatch { continue }
            out.append(sub[j])
        }
        return out
    }

    /// The literal string re begins with, and its case sensitivity.
    static func leadingString(_ node: Node) -> ([Int32], Flags) {
        var re = node
        if re.op == .concat && !re.sub.isEmpty { re = re.sub[0] }
        if re.op != .literal { return ([], []) }
        return (re.runes, re.flags.intersection(.foldCase))
    }

    /// re without its first n literal runes.
    static func removeLeadingString(_ node: Node, _ n: Int) -> Node {
        var re = node
        if re.op == .concat && !re.sub.isEmpty {
            // Removing a leading string in a concatenation might simplify the concatenation.
            let sub = removeLeadingString(re.sub[0], n)
            re.sub[0] = sub
            if sub.op == .emptyMatch {
                switch re.sub.count {
                case 0, 1:
                    re.op = .emptyMatch
                    re.sub = []
                case 2:
                    re = re.sub[1]
                default:
                    re.sub.removeFirst()
                }
            }
            re.refresh()
            return re
        }
        if re.op == .literal {
            re.runes.removeFirst(Swift.min(n, re.runes.count))
            if re.runes.isEmpty { re.op = .emptyMatch }
        }
        re.refresh()
        return re
    }

    /// The first piece of re (nil when that is an empty match).
    static func leadingRegexp(_ re: Node) -> Node? {
        if re.op == .emptyMatch { return nil }
        if re.op == .concat && !re.sub.isEmpty {
            return re.sub[0].op == .emptyMatch ? nil : re.sub[0]
        }
        return re
    }

    /// re without its first piece.
    static func removeLeadingRegexp(_ node: Node) -> Node {
        var re = node
        if re.op == .concat && !re.sub.isEmpty {
            re.sub.removeFirst()
            switch re.sub.count {
            case 0:
                re.op = .emptyMatch
                re.sub = []
            case 1:
                re = re.sub[0]
            default:
                break
            }
            re.refresh()
            return re
        }
        return Node(op: .emptyMatch)
    }
}
