// Compiles a simplified tree to a Program, as Go's compile.go (BSD-3-Clause, The Go Authors):
// Thompson construction with patch lists threaded through the unfilled `out`/`arg` fields.
// Alternation order encodes priority, which is what makes the Pike VM leftmost-first.

struct Compiler {
    /// A list of unfilled instruction slots, linked through the slots themselves:
    /// (pc << 1) for `out`, (pc << 1 | 1) for `arg`; 0 ends the list.
    struct PatchList {
        var head: Int32 = 0
        var tail: Int32 = 0
    }

    struct Frag {
        var i: Int32 = 0  // first instruction; 0 means "can never match"
        var out = PatchList()
        var nullable = false  // whether it can match the empty string
    }

    var p = Program()
    /// Classes already placed in `p.ranges`: x{1000} of a big class like \pL shares one copy,
    /// as Go shares the rune slice, instead of a thousand.
    var placedRanges: [[Int32]: (Int32, Int32, UInt64, UInt64)] = [:]

    static func compile(_ re: Node) -> Program {
        var c = Compiler()
        c.p.insts.append(Inst(op: .fail))
        let f = c.compile(re)
        let m = c.inst(.match)
        c.patch(f.out, m.i)
        c.p.start = Int(f.i)
        c.skipNops()
        return c.p
    }

    // MARK: Patch lists

    mutating func patch(_ l: PatchList, _ val: Int32) {
        var head = l.head
        while head != 0 {
            let pc = Int(head >> 1)
            if head & 1 == 0 {
                head = p.insts[pc].out
                p.insts[pc].out = val
            } else {
                head = p.insts[pc].arg
                p.insts[pc].arg = val
            }
        }
    }

    mutating func append(_ l1: PatchList, _ l2: PatchList) -> PatchList {
        if l1.head == 0 { return l2 }
        if l2.head == 0 { return l1 }
        let pc = Int(l1.tail >> 1)
        if l1.tail & 1 == 0 {
            p.insts[pc].out = l2.head
        } else {
            p.insts[pc].arg = l2.head
        }
        return PatchList(head: l1.head, tail: l2.tail)
    }

    // MARK: Fragments

    mutating func inst(_ op: InstOp) -> Frag {
        let f = Frag(i: Int32(p.insts.count), nullable: true)
        p.insts.append(Inst(op: op))
        return f
    }

    mutating func nop() -> Frag {
        var f = inst(.nop)
        f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        return f
    }

    mutating func cap(_ slot: Int) -> Frag {
        var f = inst(.capture)
        f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        p.insts[Int(f.i)].arg = Int32(slot)
        if p.numCap < slot + 1 { p.numCap = slot + 1 }
        return f
    }

    mutating func cat(_ f1: Frag, _ f2: Frag) -> Frag {
        if f1.i == 0 || f2.i == 0 { return Frag() }  // either cannot match: neither can both
        patch(f1.out, f2.i)
        return Frag(i: f1.i, out: f2.out, nullable: f1.nullable && f2.nullable)
    }

    mutating func alt(_ f1: Frag, _ f2: Frag) -> Frag {
        if f1.i == 0 { return f2 }
        if f2.i == 0 { return f1 }
        var f = inst(.alt)
        p.insts[Int(f.i)].out = f1.i
        p.insts[Int(f.i)].arg = f2.i
        f.out = append(f1.out, f2.out)
        f.nullable = f1.nullable || f2.nullable
        return f
    }

    mutating func quest(_ f1: Frag, _ nongreedy: Bool) -> Frag {
        var f = inst(.alt)
        if nongreedy {
            p.insts[Int(f.i)].arg = f1.i
            f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        } else {
            p.insts[Int(f.i)].out = f1.i
            f.out = PatchList(head: f.i << 1 | 1, tail: f.i << 1 | 1)
        }
        f.out = append(f.out, f1.out)
        return f
    }

    /// f1 looped: an Alt that tries f1 (or exits) with f1 leading back to it.
    mutating func loop(_ f1: Frag, _ nongreedy: Bool) -> Frag {
        var f = inst(.alt)
        if nongreedy {
            p.insts[Int(f.i)].arg = f1.i
            f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        } else {
            p.insts[Int(f.i)].out = f1.i
            f.out = PatchList(head: f.i << 1 | 1, tail: f.i << 1 | 1)
        }
        patch(f1.out, f.i)
        return f
    }

    mutating func star(_ f1: Frag, _ nongreedy: Bool) -> Frag {
        // For a nullable body, (f1+)? gives the priorities Perl and RE2 use (Go issue 46123).
        if f1.nullable { return quest(plus(f1, nongreedy), nongreedy) }
        return loop(f1, nongreedy)
    }

    mutating func plus(_ f1: Frag, _ nongreedy: Bool) -> Frag {
        Frag(i: f1.i, out: loop(f1, nongreedy).out, nullable: f1.nullable)
    }

    mutating func empty(_ op: EmptyOp) -> Frag {
        var f = inst(.emptyWidth)
        p.insts[Int(f.i)].arg = Int32(op.rawValue)
        f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        return f
    }

    /// One rune position matching the class `r` (pairs); `fold` asks for case-insensitivity of a single rune.
    mutating func rune(_ r: [Int32], fold: Bool) -> Frag {
        var f = inst(.runeClass)
        f.nullable = false
        f.out = PatchList(head: f.i << 1, tail: f.i << 1)
        var ranges = r
        if fold && r.count == 2 && r[0] == r[1] && CaseFolding.simpleFold(r[0]) != r[0] {
            ranges = CaseFolding.orbitClass(r[0])
        }
        var i = Inst(op: .runeClass)
        if ranges.count == 2 && ranges[0] == ranges[1] {
            i.op = .rune1
            i.lo = ranges[0]
        } else if ranges == [0, CharClass.maxRune] {
            i.op = .anyRune
        } else if ranges == [0, 9, 11, CharClass.maxRune] {
            i.op = .anyRuneNotNL
        } else if let (lo, hi, a0, a1) = placedRanges[ranges] {
            (i.lo, i.hi, i.ascii0, i.ascii1) = (lo, hi, a0, a1)
        } else {
            i.lo = Int32(p.ranges.count)
            p.ranges.append(contentsOf: ranges)
            i.hi = Int32(p.ranges.count)
            var k = 0
            while k + 1 < ranges.count {
                var c = ranges[k]
                while c <= ranges[k + 1] && c < 128 {
                    if c < 64 { i.ascii0 |= 1 << UInt64(c) } else { i.ascii1 |= 1 << UInt64(c - 64) }
                    c += 1
                }
                k += 2
            }
            placedRanges[ranges] = (i.lo, i.hi, i.ascii0, i.ascii1)
        }
        p.insts[Int(f.i)] = i
        return f
    }

    // MARK: Tree walk

    mutating func compile(_ re: Node) -> Frag {
        switch re.op {
        case .noMatch:
            return Frag()
        case .emptyMatch:
            return nop()
        case .literal:
            if re.runes.isEmpty { return nop() }
            var f = Frag()
            for (j, r) in re.runes.enumerated() {
                let f1 = rune([r, r], fold: re.flags.contains(.foldCase))
                f = j == 0 ? f1 : cat(f, f1)
            }
            return f
        case .charClass:
            return rune(re.runes, fold: false)
        case .anyCharNotNL:
            return rune([0, 9, 11, CharClass.maxRune], fold: false)
        case .anyChar:
            return rune([0, CharClass.maxRune], fold: false)
        case .beginLine: return empty(.beginLine)
        case .endLine: return empty(.endLine)
        case .beginText: return empty(.beginText)
        case .endText: return empty(.endText)
        case .wordBoundary: return empty(.wordBoundary)
        case .noWordBoundary: return empty(.noWordBoundary)
        case .capture:
            let bra = cap(re.cap << 1)
            let sub = compile(re.sub[0])
            let ket = cap(re.cap << 1 | 1)
            return cat(cat(bra, sub), ket)
        case .star:
            return star(compile(re.sub[0]), re.flags.contains(.nonGreedy))
        case .plus:
            return plus(compile(re.sub[0]), re.flags.contains(.nonGreedy))
        case .quest:
            return quest(compile(re.sub[0]), re.flags.contains(.nonGreedy))
        case .concat:
            if re.sub.isEmpty { return nop() }
            var f = Frag()
            for (j, sub) in re.sub.enumerated() {
                let fs = compile(sub)
                f = j == 0 ? fs : cat(f, fs)
            }
            return f
        case .alternate:
            var f = Frag()
            for sub in re.sub { f = alt(f, compile(sub)) }
            return f
        case .repeat, .leftParen, .verticalBar:
            // Simplify removed repeats; pseudo-operators never leave the parser.
            return Frag()
        }
    }

    /// Points every edge past chains of `nop`s: they only forward, so the matcher need not visit them.
    mutating func skipNops() {
        func target(_ pc0: Int32) -> Int32 {
            var pc = pc0
            var steps = 0
            while pc != 0 && p.insts[Int(pc)].op == .nop && steps < p.insts.count {
                pc = p.insts[Int(pc)].out
                steps += 1
            }
            return pc
        }
        for k in p.insts.indices {
            switch p.insts[k].op {
            case .fail, .match:
                continue
            case .alt:
                p.insts[k].out = target(p.insts[k].out)
                p.insts[k].arg = target(p.insts[k].arg)
            default:
                p.insts[k].out = target(p.insts[k].out)
            }
        }
        p.start = Int(target(Int32(p.start)))
    }
}
