/// Zero-width assertions, with Go's bit values.
struct EmptyOp: OptionSet, Sendable {
    let rawValue: UInt8
    static let beginLine = EmptyOp(rawValue: 1 << 0)
    static let endLine = EmptyOp(rawValue: 1 << 1)
    static let beginText = EmptyOp(rawValue: 1 << 2)
    static let endText = EmptyOp(rawValue: 1 << 3)
    static let wordBoundary = EmptyOp(rawValue: 1 << 4)
    static let noWordBoundary = EmptyOp(rawValue: 1 << 5)

    /// Which assertions hold between rune r1 and rune r2 (-1 stands for the edge of the text).
    /// Plain bit arithmetic: an OptionSet array literal here would allocate on every character.
    @inline(__always)
    static func context(_ r1: Int32, _ r2: Int32) -> EmptyOp {
        var bits: UInt8 = 0
        if r1 < 0 {
            bits |= EmptyOp.beginText.rawValue | EmptyOp.beginLine.rawValue
        } else if r1 == 10 {
            bits |= EmptyOp.beginLine.rawValue
        }
        if r2 < 0 {
            bits |= EmptyOp.endText.rawValue | EmptyOp.endLine.rawValue
        } else if r2 == 10 {
            bits |= EmptyOp.endLine.rawValue
        }
        bits |= isWordChar(r1) != isWordChar(r2) ? EmptyOp.wordBoundary.rawValue : EmptyOp.noWordBoundary.rawValue
        return EmptyOp(rawValue: bits)
    }

    /// \b uses ASCII word characters only, as in RE2 and Go.
    @inline(__always)
    static func isWordChar(_ r: Int32) -> Bool {
        (r >= 0x61 && r <= 0x7A) || (r >= 0x41 && r <= 0x5A) || (r >= 0x30 && r <= 0x39) || r == 0x5F
    }
}

enum InstOp: UInt8, Sendable {
    case fail
    case match
    /// One rune, compared exactly.
    case rune1
    /// A class (or a case-folded rune, compiled as the class of its case orbit).
    case runeClass
    case anyRune
    case anyRuneNotNL
    /// Try `out` first, then `arg`: the order is the priority that makes matches leftmost-first.
    case alt
    /// Record the position in capture slot `arg`.
    case capture
    /// Zero-width assertion; `arg` holds the EmptyOp bits.
    case emptyWidth
    case nop
}

struct Inst: Sendable {
    var op: InstOp
    var out: Int32 = 0
    var arg: Int32 = 0
    /// rune1: the rune. runeClass: its ranges are `Program.ranges[lo..<hi]`.
    var lo: Int32 = 0
    var hi: Int32 = 0
    /// runeClass: membership of the 128 ASCII characters, so the common case is one bit test.
    var ascii0: UInt64 = 0
    var ascii1: UInt64 = 0

    init(op: InstOp) { self.op = op }

    var isRune: Bool {
        switch op {
        case .rune1, .runeClass, .anyRune, .anyRuneNotNL: return true
        default: return false
        }
    }
}

/// A compiled regexp: Go's instruction set with instruction 0 always `fail` (so 0 doubles
/// as "no instruction" in patch lists and in the matcher).
struct Program: Sendable {
    var insts: [Inst] = []
    /// Class ranges of all `runeClass` instructions. Starts with an unused pair so it is never empty.
    var ranges: [Int32] = [-1, -1]
    var start: Int = 0
    /// Capture slots, two per group including group 0.
    var numCap: Int = 2

    func matches(_ i: Inst, _ r: Int32) -> Bool {
        switch i.op {
        case .rune1: return r == i.lo
        case .anyRune: return true
        case .anyRuneNotNL: return r != 10
        case .runeClass: return classContains(i, r)
        default: return false
        }
    }

    @inline(__always)
    func classContains(_ i: Inst, _ r: Int32) -> Bool {
        if r < 64 { return r >= 0 && (i.ascii0 >> UInt64(r)) & 1 != 0 }
        if r < 128 { return (i.ascii1 >> UInt64(r - 64)) & 1 != 0 }
        return ranges.withUnsafeBufferPointer { Program.rangesContain($0, Int(i.lo), Int(i.hi), r) }
    }

    /// Binary search in the pair ranges r[lo..<hi].
    @inline(__always)
    static func rangesContain(_ r: UnsafeBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ c: Int32) -> Bool {
        var a = lo / 2
        var b = hi / 2  // pair indices
        while a < b {
            let m = (a + b) >> 1
            if c < r[2 * m] {
                b = m
            } else if c > r[2 * m + 1] {
                a = m + 1
            } else {
                return true
            }
        }
        return false
    }

    /// The assertions every match must satisfy at its start (Go's StartCond); nil if the
    /// program cannot match at all.
    func startCond() -> EmptyOp? {
        var flag: EmptyOp = []
        var pc = start
        var steps = 0
        while steps <= insts.count {
            let i = insts[pc]
            switch i.op {
            case .emptyWidth: flag.formUnion(EmptyOp(rawValue: UInt8(truncatingIfNeeded: i.arg)))
            case .fail: return nil
            case .capture, .nop: break
            default: return flag
            }
            pc = Int(i.out)
            steps += 1
        }
        return flag
    }

    /// The literal text every match starts with (Go's Prog.Prefix), as UTF-8, and whether the
    /// match is exactly that text.
    func literalPrefix() -> (prefix: [UInt8], complete: Bool) {
        var pc = skipNop(start)
        var bytes: [UInt8] = []
        while insts[pc].op == .rune1 {
            let r = insts[pc].lo
            guard let u = Unicode.Scalar(UInt32(r)) else { break }
            UTF8.encode(u) { bytes.append($0) }
            pc = skipNop(Int(insts[pc].out))
        }
        return (bytes, insts[pc].op == .match)
    }

    private func skipNop(_ pc0: Int) -> Int {
        var pc = pc0
        var steps = 0
        while (insts[pc].op == .nop || insts[pc].op == .capture) && steps <= insts.count {
            pc = Int(insts[pc].out)
            steps += 1
        }
        return pc
    }
}
