// Bit-state backtracking, Go's regexp/backtrack.go (BSD-3-Clause, The Go Authors): for a small
// program on a short text it finds the same leftmost-first submatches as the Pike VM, several
// times faster, because it follows one thread at a time instead of copying captures between
// thread lists. It stays linear: a bitmap of visited (instruction, position) pairs makes
// every pair explored at most once, so it is only used while that bitmap is small.

struct Backtracker {
    static let maxProgram = 500
    /// Largest visited bitmap, in bits (Go's maxBacktrackVector).
    static let maxBits = 256 * 1024
    /// Pending-job budget; a search that needs more hands over to the Pike VM.
    static let maxJobs = 4096

    static func canRun(_ prog: Program, textCount: Int) -> Bool {
        prog.insts.count <= maxProgram && prog.insts.count * (textCount + 1) <= maxBits
    }

    let insts: UnsafePointer<Inst>
    let ranges: UnsafePointer<Int32>
    let text: UTF8Text
    let end: Int
    let visited: UnsafeMutablePointer<UInt64>
    /// Jobs as pairs (pc << 1 | isSecondVisit, pos-or-saved-capture).
    let jobs: UnsafeMutablePointer<Int>
    let jobCapacity: Int
    let ncap: Int
    let cap: UnsafeMutablePointer<Int>
    var jobCount = 0
    var overflowed = false

    /// Searches like `PikeVM.search` (without end anchoring). Returns nil when the job budget
    /// ran out and the caller should use the Pike VM instead; on a match, `out` receives ncap slots.
    static func search(
        _ prog: Program,
        _ text: UTF8Text,
        from: Int,
        anchorStart: Bool,
        prefix: UnsafeBufferPointer<UInt8>?,
        ncap: Int,
        into out: UnsafeMutablePointer<Int>
    ) -> Bool? {
        let n = prog.insts.count
        let words = (n * (text.count + 1) + 63) / 64
        let jobCapacity = Swift.min(maxJobs, 2 * n * (text.count + 1) + 2)
        return prog.insts.withUnsafeBufferPointer { insts in
            prog.ranges.withUnsafeBufferPointer { ranges in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { vis in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * jobCapacity + ncap) { ints in
                        guard let ib = insts.baseAddress, let rb = ranges.baseAddress, let vb = vis.baseAddress,
                            let jb = ints.baseAddress
                        else { preconditionFailure("empty program") }
                        vb.initialize(repeating: 0, count: words)
                        // Jobs are always written before they are read; only the captures need a start value.
                        (jb + 2 * jobCapacity).initialize(repeating: -1, count: ncap)
                        var b = Backtracker(
                            insts: ib,
                            ranges: rb,
                            text: text,
                            end: text.count,
                            visited: vb,
                            jobs: jb,
                            jobCapacity: jobCapacity,
                            ncap: ncap,
                            cap: jb + 2 * jobCapacity
                        )
                        let start = Int32(prog.start)
                        if anchorStart {
                            if from != 0 { return false }
                            if ncap > 0 { b.cap[0] = from }
                            let ok = b.tryBacktrack(start, from, into: out)
                            return b.overflowed ? nil : ok
                        }
                        var pos = from
                        while pos <= b.end {
                            if let p = prefix {
                                guard let next = text.firstIndex(of: p, from: pos) else { return false }
                                pos = next
                            }
                            if ncap > 0 { b.cap[0] = pos }
                            if b.tryBacktrack(start, pos, into: out) { return b.overflowed ? nil : true }
                            if b.overflowed { return nil }
                            let (_, width) = text.rune(at: pos)
                            if width == 0 { break }
                            pos += width
                        }
                        return false
                    }
                }
            }
        }
    }

    /// Marks (pc, pos) visited; false if it already was.
    @inline(__always)
    func shouldVisit(_ pc: Int32, _ pos: Int) -> Bool {
        let k = Int(pc) * (end + 1) + pos
        let w = k >> 6
        let bit = UInt64(1) << UInt64(k & 63)
        if visited[w] & bit != 0 { return false }
        visited[w] |= bit
        return true
    }

    @inline(__always)
    mutating func push(_ pc: Int32, _ pos: Int, second: Bool) {
        if insts[Int(pc)].op == .fail { return }
        if !second && !shouldVisit(pc, pos) { return }
        if jobCount == jobCapacity {
            overflowed = true
            return
        }
        jobs[2 * jobCount] = Int(pc) << 1 | (second ? 1 : 0)
        jobs[2 * jobCount + 1] = pos
        jobCount += 1
    }

    @inline(__always)
    func matches(_ i: UnsafePointer<Inst>, _ r: Int32) -> Bool {
        switch i.pointee.op {
        case .rune1:
            return r == i.pointee.lo
        case .runeClass:
            if r < 64 { return r >= 0 && (i.pointee.ascii0 >> UInt64(r)) & 1 != 0 }
            if r < 128 { return (i.pointee.ascii1 >> UInt64(r - 64)) & 1 != 0 }
            return Program.rangesContain(
                UnsafeBufferPointer(start: ranges, count: Int(i.pointee.hi)),
                Int(i.pointee.lo),
                Int(i.pointee.hi),
                r
            )
        case .anyRune:
            return r >= 0
        case .anyRuneNotNL:
            return r >= 0 && r != 10
        default:
            return false
        }
    }

    /// Explores from (pc0, pos0) depth-first in priority order; the first `match` reached wins.
    mutating func tryBacktrack(_ pc0: Int32, _ pos0: Int, into out: UnsafeMutablePointer<Int>) -> Bool {
        push(pc0, pos0, second: false)
        while jobCount > 0 && !overflowed {
            jobCount -= 1
            var pc = Int32(truncatingIfNeeded: jobs[2 * jobCount] >> 1)
            var second = jobs[2 * jobCount] & 1 != 0
            var pos = jobs[2 * jobCount + 1]
            var checked = true  // push already marked this pair visited
            step: while true {
                if !checked && !shouldVisit(pc, pos) { break step }
                checked = false
                let i = insts + Int(pc)
                switch i.pointee.op {
                case .alt:
                    if second {
                        second = false
                        pc = i.pointee.arg
                    } else {
                        push(pc, pos, second: true)  // come back for the other branch
                        pc = i.pointee.out
                    }
                case .rune1, .runeClass, .anyRune, .anyRuneNotNL:
                    let (r, w) = text.rune(at: pos)
                    if !matches(i, r) { break step }
                    pos += w
                    pc = i.pointee.out
                case .capture:
                    let slot = Int(i.pointee.arg)
                    if second {
                        cap[slot] = pos  // restore the value saved when the capture was taken
                        break step
                    }
                    if slot < ncap {
                        push(pc, cap[slot], second: true)
                        cap[slot] = pos
                    }
                    pc = i.pointee.out
                case .emptyWidth:
                    let need = EmptyOp(rawValue: UInt8(truncatingIfNeeded: i.pointee.arg))
                    let ctx = EmptyOp.context(text.rune(before: pos), text.rune(at: pos).0)
                    if !ctx.isSuperset(of: need) { break step }
                    pc = i.pointee.out
                case .nop:
                    pc = i.pointee.out
                case .match:
                    if ncap > 0 {
                        if ncap > 1 { cap[1] = pos }
                        out.update(from: cap, count: ncap)
                    }
                    return true
                case .fail:
                    break step
                }
            }
        }
        return false
    }
}
