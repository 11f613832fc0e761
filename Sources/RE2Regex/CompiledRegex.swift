/// Everything derived from a pattern once, shared (immutably) by all copies of an `RE2Regex`.
final class CompiledRegex: Sendable {
    let prog: Program
    let groupCount: Int
    let names: [String?]
    /// Every match must start at the beginning of the text (the pattern starts with ^ or \A).
    let anchoredStart: Bool
    /// The program can never match anything (e.g. `[^\x00-\x{10FFFF}]`).
    let neverMatches: Bool
    /// Literal UTF-8 text every match starts with: lets a search skip to candidate positions.
    let prefix: [UInt8]
    /// The pattern is exactly this case-sensitive literal, with no groups: matching is byte comparison.
    let literal: [UInt8]?
    /// Deterministic automaton for `fullMatch`, when the pattern's one is small enough.
    let dfa: DFA?

    /// Patterns longer than this are parsed and compiled on a big-stack thread: only they can
    /// nest deeply enough for the recursive steps to need more than a small thread stack.
    static let inlineLengthLimit = 256
    /// Trees that Simplify expands deeper than this are compiled on a big-stack thread too.
    static let inlineHeightLimit = 64

    /// What compilation produces; flat and Sendable, so it can come back from another thread.
    struct Parts: Sendable {
        let prog: Program
        let groupCount: Int
        let names: [String?]
        let dfa: DFA?

        init(_ tree: Node) {
            groupCount = tree.maxCap()
            var n = [String?](repeating: nil, count: groupCount + 1)
            tree.captureNames(into: &n)
            names = n
            prog = Compiler.compile(tree.simplified())
            dfa = prog.startCond() == nil ? nil : DFA.build(prog)
        }
    }

    init(_ pattern: String) throws(RE2SyntaxError) {
        let parts: Parts
        if pattern.unicodeScalars.count > CompiledRegex.inlineLengthLimit {
            parts = try LargeStack.run {
                Result { () throws(RE2SyntaxError) -> Parts in Parts(try Parser.parse(pattern)) }
            }.get()
        } else {
            let tree = try Parser.parse(pattern)
            parts = tree.expandedHeight > CompiledRegex.inlineHeightLimit ? LargeStack.run { Parts(tree) } : Parts(tree)
        }
        prog = parts.prog
        groupCount = parts.groupCount
        names = parts.names
        let cond = prog.startCond()
        neverMatches = cond == nil
        anchoredStart = cond?.contains(.beginText) ?? false
        let (pre, complete) = prog.literalPrefix()
        prefix = pre
        literal = (complete && groupCount == 0) ? pre : nil
        dfa = literal == nil ? parts.dfa : nil
    }

    func fullMatch(_ text: UTF8Text) -> Bool {
        if neverMatches { return false }
        if let lit = literal {
            return lit.count == text.count
                && lit.withUnsafeBufferPointer { l in
                    var i = 0
                    while i < l.count && l[i] == text.bytes[i] { i += 1 }
                    return i == l.count
                }
        }
        if let dfa { return dfa.fullMatch(text) }
        return PikeVM.with(prog, ncap: 0) { vm in
            vm.search(text, from: 0, anchorStart: true, anchorEnd: true, prefix: nil)
        }
    }

    func containsMatch(_ text: UTF8Text) -> Bool {
        if neverMatches { return false }
        if let lit = literal {
            return lit.withUnsafeBufferPointer { text.firstIndex(of: $0, from: 0) != nil }
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) { caps in
            guard let c = caps.baseAddress else { return false }
            return find(text, from: 0, ncap: 0, into: c)
        }
    }

    /// Byte offsets of the leftmost-first match and its groups, -1 for groups that took no part.
    func firstMatch(_ text: UTF8Text) -> [Int]? {
        if neverMatches { return nil }
        let ncap = 2 * (groupCount + 1)
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: ncap) { caps -> [Int]? in
            guard let c = caps.baseAddress, find(text, from: 0, ncap: ncap, into: c) else { return nil }
            return Array(UnsafeBufferPointer(start: c, count: ncap))
        }
    }

    /// The leftmost-first match starting at or after byte `from` (the text before `from` still
    /// counts as context for ^ and \b); on success `caps` holds ncap slots. The bit-state
    /// backtracker answers when the program and text are small enough, the Pike VM otherwise.
    func find(_ text: UTF8Text, from: Int, ncap: Int, into caps: UnsafeMutablePointer<Int>) -> Bool {
        withPrefix { pre in
            if Backtracker.canRun(prog, textCount: text.count),
                let found = Backtracker.search(
                    prog,
                    text,
                    from: from,
                    anchorStart: anchoredStart,
                    prefix: pre,
                    ncap: ncap,
                    into: caps
                )
            {
                return found
            }
            return PikeVM.with(prog, ncap: ncap) { vm in
                guard vm.search(text, from: from, anchorStart: anchoredStart, anchorEnd: false, prefix: pre) else {
                    return false
                }
                caps.update(from: vm.matchcap, count: ncap)
                return true
            }
        }
    }

    /// The literal prefix as a buffer, or nil when there is none.
    func withPrefix<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        if prefix.isEmpty { return body(nil) }
        return prefix.withUnsafeBufferPointer { body($0) }
    }

    func replacingAll(in text: String, with rewrite: String) -> String {
        if neverMatches { return text }
        let maxGroup = Rewrite.maxSubmatch(rewrite)
        if maxGroup > groupCount { return text }  // RE2: GlobalReplace refuses, returns 0
        let ncap = 2 * (maxGroup + 1)
        let rw = Array(rewrite.utf8)
        var input = text
        return input.withUTF8 { buf -> String in
            let u = UTF8Text(bytes: buf)
            let end = buf.count
            var out: [UInt8] = []
            var count = 0
            var p = 0
            var lastEnd = -1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: ncap) { capsBuffer in
                guard let caps = capsBuffer.baseAddress else { return }
                while p <= end {
                    guard find(u, from: p, ncap: ncap, into: caps) else { break }
                    let m0 = caps[0]
                    let m1 = caps[1]
                    if p < m0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[p..<m0])) }
                    if m0 == lastEnd && m0 == m1 {
                        // An empty match right where the last match ended is not allowed:
                        // copy one character and search again after it.
                        if p < end {
                            let w = Swift.min(u.width(at: p), end - p)
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[p..<(p + w)]))
                            p += w
                        } else {
                            p += 1
                        }
                        continue
                    }
                    Rewrite.apply(rw, caps: caps, ncap: ncap, text: buf, into: &out)
                    p = m1
                    lastEnd = p
                    count += 1
                }
            }
            if count == 0 { return text }
            if p < end { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[p..<end])) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
