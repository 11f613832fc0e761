// Go's Regexp.Simplify (simplify.go, BSD-3-Clause, The Go Authors): counted repetitions are
// expanded into plain operators before compiling, x{2,5} -> xx(x(x(x)?)?)?, because a Pike VM
// has no counters. Go matches on the simplified tree, so doing the same keeps submatch
// positions identical in the corner cases where nesting matters.

extension Node {
    func simplified() -> Node {
        switch op {
        case .capture, .concat, .alternate:
            // In place rather than with map: one stack frame per tree level, not three.
            var re = self
            for i in re.sub.indices { re.sub[i] = re.sub[i].simplified() }
            return re
        case .star, .plus, .quest:
            return Node.simplify1(op, flags, sub[0].simplified())
        case .repeat:
            // x{0} matches only the empty string (even when x cannot match at all).
            if min == 0 && max == 0 { return Node(op: .emptyMatch) }
            let s = sub[0].simplified()
            if max == -1 {
                if min == 0 { return Node.simplify1(.star, flags, s) }  // x{0,} is x*
                if min == 1 { return Node.simplify1(.plus, flags, s) }  // x{1,} is x+
                // x{4,} is xxxx+
                var re = Node(op: .concat)
                re.sub = Array(repeating: s, count: min - 1)
                re.sub.append(Node.simplify1(.plus, flags, s))
                return re
            }
            if min == 1 && max == 1 { return s }
            // General case: x{n,m} is n copies of x and m-n nested copies of x?.
            var prefix: Node? = nil
            if min > 0 {
                var p = Node(op: .concat)
                p.sub = Array(repeating: s, count: min)
                prefix = p
            }
            if max > min {
                var suffix = Node.simplify1(.quest, flags, s)
                var i = min + 1
                while i < max {
                    var n2 = Node(op: .concat)
                    n2.sub = [s, suffix]
                    suffix = Node.simplify1(.quest, flags, n2)
                    i += 1
                }
                guard var p = prefix else { return suffix }
                p.sub.append(suffix)
                prefix = p
            }
            if let p = prefix { return p }
            // Some degenerate case like min > max: no match.
            return Node(op: .noMatch)
        default:
            return self
        }
    }

    /// op(sub), except that (a*)* style doubling collapses and an empty sub stays empty.
    static func simplify1(_ op: Op, _ flags: Flags, _ sub: Node) -> Node {
        if sub.op == .emptyMatch { return sub }
        if op == sub.op && flags.contains(.nonGreedy) == sub.flags.contains(.nonGreedy) { return sub }
        var re = Node(op: op, flags: flags)
        re.sub = [sub]
        return re
    }
}
