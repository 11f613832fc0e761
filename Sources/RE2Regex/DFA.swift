// A small deterministic automaton for `fullMatch`, built eagerly from the program by subset
// construction when the result stays small (route regexes nearly always do). A full match
// only asks "is there a path to `match` at the end", so thread priority and captures do not
// matter and a DFA answers it with one table lookup per character.
//
// Zero-width assertions depend on the characters on both sides of a position. A state is
// therefore the set of instructions reached right after a character was consumed, before
// following any assertion, plus what kind of character that was; the assertions are resolved
// when the next character (or the end of the text) is known. Runes are mapped to classes that
// no instruction, and no assertion, can tell apart, so one representative decides for a class.

struct DFA: Sendable {
    /// Give up (and let the Pike VM answer) beyond these sizes: eager construction must stay cheap.
    static let maxStates = 1000
    static let maxClasses = 1024
    static let maxTableEntries = 1 << 16  // 256 KB of transitions at most

    /// Start of each rune class; class k is boundaries[k] ..< boundaries[k + 1].
    let boundaries: [Int32]
    let asciiClass: [UInt16]
    let classCount: Int
    /// table[row + class] is the next state's row, where a state's row is state * classCount:
    /// storing rows saves a multiplication per character. Row 0 is the dead state.
    let table: [Int32]
    let acceptAtEnd: [Bool]
    let startState: Int32

    func classOf(_ r: Int32) -> Int {
        if r < 128 { return Int(asciiClass[Int(r)]) }
        var lo = 0
        var hi = boundaries.count - 1  // last boundary is one past U+10FFFF
        while hi - lo > 1 {
            let m = (lo + hi) >> 1
            if boundaries[m] <= r { lo = m } else { hi = m }
        }
        return lo
    }

    func fullMatch(_ text: UTF8Text) -> Bool {
        let b = text.bytes
        let n = b.count
        var s = Int(startState) * classCount
        let ok: Bool = table.withUnsafeBufferPointer { t in
            asciiClass.withUnsafeBufferPointer { ac in
                var i = 0
                while i < n {
                    let c = b[i]
                    let k: Int
                    if c < 0x80 {
                        k = Int(ac[Int(c)])
                        i += 1
                    } else {
                        let (r, w) = text.decodeMultiByte(at: i, c)
                        k = classOf(r)
                        i += w
                    }
                    s = Int(t[s + k])
                    if s == 0 { return false }
                }
                return true
            }
        }
        return ok && acceptAtEnd[s / classCount]
    }

    // MARK: Construction

    /// What came before a position, as far as assertions care.
    enum Prev: UInt8 {
        case textStart, newline, word, other

        var rune: Int32 {
            switch self {
            case .textStart: return -1
            case .newline: return 10
            case .word: return 0x61
            case .other: return 0x20
            }
        }

        static func of(_ r: Int32) -> Prev {
            if r == 10 { return .newline }
            return EmptyOp.isWordChar(r) ? .word : .other
        }
    }

    struct Key: Hashable {
        var prev: UInt8
        var pcs: [Int32]
    }

    static func build(_ prog: Program) -> DFA? {
        let insts = prog.insts
        let hasEmpty = insts.contains { $0.op == .emptyWidth }

        // Rune classes.
        var cuts = Set<Int32>([0, CharClass.maxRune + 1])
        func cut(_ lo: Int32, _ hi: Int32) {
            cuts.insert(lo)
            cuts.insert(hi + 1)
        }
        for i in insts {
            switch i.op {
            case .rune1: cut(i.lo, i.lo)
            case .anyRuneNotNL: cut(10, 10)
            case .runeClass:
                var k = Int(i.lo)
                while k + 1 < Int(i.hi) {
                    cut(prog.ranges[k], prog.ranges[k + 1])
                    k += 2
                }
            default: break
            }
            if cuts.count > maxClasses + 1 { return nil }
        }
        if hasEmpty {
            // Assertions distinguish newline and ASCII word characters from the rest.
            cut(10, 10)
            cut(0x30, 0x39)
            cut(0x41, 0x5A)
            cut(0x5F, 0x5F)
            cut(0x61, 0x7A)
        }
        let boundaries = cuts.sorted()
        let nc = boundaries.count - 1
        if nc > maxClasses { return nil }
        var ascii = [UInt16](repeating: 0, count: 128)
        var k = 0
        for c in 0..<128 {
            while boundaries[k + 1] <= Int32(c) { k += 1 }
            ascii[c] = UInt16(k)
        }

        // Subset construction.
        var ids: [Key: Int32] = [:]
        var keys: [Key] = [Key(prev: 0, pcs: [])]  // state 0: dead
        var table = [Int32](repeating: 0, count: nc)
        var accept = [false]
        var mark = [Int](repeating: 0, count: insts.count)
        var generation = 0
        var stack: [Int32] = []

        /// Leaf instructions (rune or match) reachable from `pcs` when assertions see `ctx`.
        func closure(_ pcs: [Int32], _ ctx: EmptyOp, _ leaves: inout [Int32]) {
            generation += 1
            leaves.removeAll(keepingCapacity: true)
            for p in pcs.reversed() { stack.append(p) }
            while let pc = stack.popLast() {
                let ip = Int(pc)
                if pc == 0 || mark[ip] == generation { continue }
                mark[ip] = generation
                let i = insts[ip]
                switch i.op {
                case .alt:
                    stack.append(i.arg)
                    stack.append(i.out)
                case .nop, .capture:
                    stack.append(i.out)
                case .emptyWidth:
                    if ctx.isSuperset(of: EmptyOp(rawValue: UInt8(truncatingIfNeeded: i.arg))) { stack.append(i.out) }
                case .fail:
                    break
                default:
                    leaves.append(pc)
                }
            }
        }

        func intern(_ key: Key) -> Int32? {
            if let id = ids[key] { return id }
            if keys.count >= maxStates || (keys.count + 1) * nc > maxTableEntries { return nil }
            let id = Int32(keys.count)
            ids[key] = id
            keys.append(key)
            table.append(contentsOf: repeatElement(0, count: nc))
            accept.append(false)
            return id
        }

        guard let start = intern(Key(prev: Prev.textStart.rawValue, pcs: [Int32(prog.start)])) else { return nil }
        var leaves: [Int32] = []
        var next: [Int32] = []
        var s = 1
        while s < keys.count {
            let key = keys[s]
            let prev = hasEmpty ? (Prev(rawValue: key.prev) ?? .other) : .textStart
            // Accepting at the end of the text?
            closure(key.pcs, EmptyOp.context(prev.rune, -1), &leaves)
            accept[s] = leaves.contains { insts[Int($0)].op == .match }
            // Without assertions the closure is the same whatever comes next: compute it once.
            if !hasEmpty { closure(key.pcs, [], &leaves) }
            for cls in 0..<nc {
                let rep = boundaries[cls]
                if hasEmpty { closure(key.pcs, EmptyOp.context(prev.rune, rep), &leaves) }
                next.removeAll(keepingCapacity: true)
                for pc in leaves {
                    let i = insts[Int(pc)]
                    if i.op != .match && prog.matches(i, rep) { next.append(i.out) }
                }
                if next.isEmpty { continue }  // dead
                next.sort()
                var w = 1
                for j in 1..<next.count where next[j] != next[w - 1] {
                    next[w] = next[j]
                    w += 1
                }
                next.removeSubrange(w...)
                let np = hasEmpty ? Prev.of(rep).rawValue : 0
                guard let t = intern(Key(prev: np, pcs: next)) else { return nil }
                table[s * nc + cls] = t * Int32(nc)
            }
            s += 1
        }
        return DFA(
            boundaries: boundaries,
            asciiClass: ascii,
            classCount: nc,
            table: table,
            acceptAtEnd: accept,
            startState: start
        )
    }
}
