// The parse tree. Its shape, operators and flags follow Go's regexp/syntax (BSD-3-Clause,
// Copyright The Go Authors) closely on purpose: Go's error reporting depends on the exact
// state of its parse stack, so mirroring the tree is the simplest way to report the same
// errors for the same patterns.

/// Tree operators, in Go's order: the parser compares them (`op >= .leftParen` marks a
/// pseudo-operator on the stack, and factoring picks "the most complex" class by order).
enum Op: UInt8, Comparable, Sendable {
    case noMatch = 1
    case emptyMatch
    case literal
    case charClass
    case anyCharNotNL
    case anyChar
    case beginLine
    case endLine
    case beginText
    case endText
    case wordBoundary
    case noWordBoundary
    case capture
    case star
    case plus
    case quest
    case `repeat`
    case concat
    case alternate
    // Pseudo-operators, only ever on the parse stack.
    case leftParen = 128
    case verticalBar

    static func < (a: Op, b: Op) -> Bool { a.rawValue < b.rawValue }
}

/// Parser flags, bit-compatible with Go's `syntax.Flags` (the parser inverts them wholesale for `(?-...)`).
struct Flags: OptionSet, Hashable, Sendable {
    let rawValue: UInt16
    static let foldCase = Flags(rawValue: 1 << 0)
    static let literal = Flags(rawValue: 1 << 1)
    static let classNL = Flags(rawValue: 1 << 2)
    static let dotNL = Flags(rawValue: 1 << 3)
    static let oneLine = Flags(rawValue: 1 << 4)
    static let nonGreedy = Flags(rawValue: 1 << 5)
    static let perlX = Flags(rawValue: 1 << 6)
    static let unicodeGroups = Flags(rawValue: 1 << 7)
    static let wasDollar = Flags(rawValue: 1 << 8)
    static let simple = Flags(rawValue: 1 << 9)

    /// What `regexp.Compile` uses: Go's `syntax.Perl`.
    static let perl: Flags = [.classNL, .oneLine, .perlX, .unicodeGroups]
}

/// One parse-tree node. A value type: the parser edits nodes in place on its stack.
struct Node: Sendable {
    var op: Op
    var flags: Flags
    var sub: [Node] = []
    /// Literal: the runes. Char class: inclusive [lo, hi] pairs.
    var runes: [Int32] = []
    var min = 0
    var max = 0
    /// Capture index (1-based); 0 on a non-capturing `(` on the stack.
    var cap = 0
    var name: String?
    /// Go's tree height and compiled-size estimate, kept per node so the limit checks stay O(1).
    var height = 1
    var size: Int64 = 1
    /// Height after Simplify expands counted repetitions (x{0,n} nests n levels deep): how
    /// deep the recursive compile steps will go.
    var expandedHeight = 1

    init(op: Op, flags: Flags = []) {
        self.op = op
        self.flags = flags
    }

    /// Recomputes `height` and `size` from the children's cached values (Go's calcHeight/calcSize).
    mutating func refresh() {
        var h = 1
        var e = 1
        for s in sub {
            h = Swift.max(h, s.height + 1)
            e = Swift.max(e, s.expandedHeight + 1)
        }
        height = h
        if op == .repeat && max > min { e += 2 * (max - min) }
        expandedHeight = e
        var sz: Int64 = 0
        switch op {
        case .literal:
            sz = Int64(runes.count)
        case .capture, .star:
            sz = 2 + (sub.first?.size ?? 0)
        case .plus, .quest:
            sz = 1 + (sub.first?.size ?? 0)
        case .concat:
            for s in sub { sz &+= s.size }
        case .alternate:
            for s in sub { sz &+= s.size }
            if sub.count > 1 { sz &+= Int64(sub.count - 1) }
        case .repeat:
            let inner = sub.first?.size ?? 0
            if max == -1 {
                sz = min == 0 ? 2 + inner : 1 + Int64(min) &* inner
            } else {
                sz = Int64(max) &* inner &+ Int64(max - min)
            }
        default:
            sz = 0
        }
        size = Swift.max(1, sz)
    }

    /// Go's `Regexp.Equal`, used when factoring common leading pieces out of alternations.
    func isEqual(_ y: Node) -> Bool {
        if op != y.op { return false }
        switch op {
        case .endText:
            return flags.contains(.wasDollar) == y.flags.contains(.wasDollar)
        case .literal, .charClass:
            return runes == y.runes
        case .alternate, .concat:
            guard sub.count == y.sub.count else { return false }
            for i in sub.indices where !sub[i].isEqual(y.sub[i]) { return false }
            return true
        case .star, .plus, .quest:
            return flags.contains(.nonGreedy) == y.flags.contains(.nonGreedy) && sub[0].isEqual(y.sub[0])
        case .repeat:
            return flags.contains(.nonGreedy) == y.flags.contains(.nonGreedy) && min == y.min && max == y.max
                && sub[0].isEqual(y.sub[0])
        case .capture:
            return cap == y.cap && name == y.name && sub[0].isEqual(y.sub[0])
        default:
            return true
        }
    }

    /// The number of capturing groups (Go's `MaxCap`).
    func maxCap() -> Int {
        var m = op == .capture ? cap : 0
        for s in sub { m = Swift.max(m, s.maxCap()) }
        return m
    }

    /// Names of the capture groups, indexed by group number (index 0, the whole match, is nil).
    func captureNames(into names: inout [String?]) {
        if op == .capture, cap < names.count { names[cap] = name }
        for s in sub { s.captureNames(into: &names) }
    }
}
