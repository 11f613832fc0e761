// The Pike VM: a Thompson NFA simulation that carries capture positions per thread and keeps
// threads in priority order, so the first thread to reach `match` is the leftmost-first
// (Perl/RE2) match. Every instruction is on each run queue at most once, so the work per
// input rune is bounded by the program size: matching is linear in the text, whatever the
// pattern. This follows Go's regexp/exec.go (BSD-3-Clause, The Go Authors), with an explicit
// stack instead of recursion so deep programs cannot overflow a small thread stack.
//
// All scratch memory is carved out of two temporary allocations per call (on the stack when
// small), sized to the program; nothing is allocated per input character.

/// Thread queue: a sparse set of visited instructions plus, in priority order, the threads
/// (instructions that consume a rune or match) with their capture slots.
struct ThreadQueue {
    let sparse: UnsafeMutablePointer<Int32>
    let dense: UnsafeMutablePointer<Int32>
    var size = 0
    let threadPC: UnsafeMutablePointer<Int32>
    let caps: UnsafeMutablePointer<Int>
    var count = 0

    @inline(__always)
    func contains(_ pc: Int32) -> Bool {
        let j = Int(sparse[Int(pc)])
        return j < size && dense[j] == pc
    }

    @inline(__always)
    mutating func insert(_ pc: Int32) {
        sparse[Int(pc)] = Int32(size)
        dense[size] = pc
        size += 1
    }

    @inline(__always)
    mutating func clear() {
        size = 0
        count = 0
    }
}

struct PikeVM {
    let insts: UnsafePointer<Inst>
    let ranges: UnsafePointer<Int32>
    let start: Int32
    /// Capture slots tracked: 0 when only "is there a match" matters, 2 for the whole match.
    let ncap: Int
    var runq: ThreadQueue
    var nextq: ThreadQueue
    let stack: UnsafeMutablePointer<Int>
    let scratch: UnsafeMutablePointer<Int>
    /// The best match so far: ncap slots, -1 where a group did not take part.
    let matchcap: UnsafeMutablePointer<Int>

    /// Runs `body` with a machine for `prog` tracking `ncap` slots.
    static func with<R>(_ prog: Program, ncap: Int, _ body: (inout PikeVM) -> R) -> R {
        let n = prog.insts.count
        let intCount = 2 * n * ncap + (2 * n + 4) + 2 * ncap
        return prog.insts.withUnsafeBufferPointer { insts in
            prog.ranges.withUnsafeBufferPointer { ranges in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 6 * n) { i32 in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: intCount) { ints in
                        // Programs always hold `fail` and `match`, and `ranges` a sentinel pair.
                        guard let b32 = i32.baseAddress, let bInt = ints.baseAddress, let ib = insts.baseAddress,
                            let rb = ranges.baseAddress
                        else { preconditionFailure("empty program") }
                        // Sparse arrays are read before they are written: zero them so that is defined.
                        // The rest (thread captures, stack, scratch) is always written first.
                        b32.initialize(repeating: 0, count: 6 * n)
                        let q0 = ThreadQueue(sparse: b32, dense: b32 + n, threadPC: b32 + 2 * n, caps: bInt)
                        let q1 = ThreadQueue(
                            sparse: b32 + 3 * n,
                            dense: b32 + 4 * n,
                            threadPC: b32 + 5 * n,
                            caps: bInt + n * ncap
                        )
                        let rest = bInt + 2 * n * ncap
                        var vm = PikeVM(
                            insts: ib,
                            ranges: rb,
                            start: Int32(prog.start),
                            ncap: ncap,
                            runq: q0,
                            nextq: q1,
                            stack: rest,
                            scratch: rest + (2 * n + 4),
                            matchcap: rest + (2 * n + 4) + ncap
                        )
                        return body(&vm)
                    }
                }
            }
        }
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

    /// Adds the thread at `pc0` and everything reachable from it without consuming input,
    /// in priority order, to q. `scratch` holds the thread's captures and is restored on return.
    @inline(__always)
    func add(_ q: inout ThreadQueue, _ pc0: Int32, _ pos: Int, _ ctx: EmptyOp) {
        var sp = 0
        stack[sp] = Int(pc0)
        sp += 1
        while sp > 0 {
            sp -= 1
            var e = stack[sp]
            if e < 0 {
                // Undo a capture once everything explored after it is done.
                sp -= 1
                scratch[-e - 1] = stack[sp]
                continue
            }
            inner: while true {
                let pc = Int32(truncatingIfNeeded: e)
                if pc == 0 || q.contains(pc) { break inner }
                q.insert(pc)
                let i = insts + Int(pc)
                switch i.pointee.op {
                case .alt:
                    stack[sp] = Int(i.pointee.arg)
                    sp += 1
                    e = Int(i.pointee.out)
                case .nop:
                    e = Int(i.pointee.out)
                case .emptyWidth:
                    let need = EmptyOp(rawValue: UInt8(truncatingIfNeeded: i.pointee.arg))
                    if !ctx.isSuperset(of: need) { break inner }
                    e = Int(i.pointee.out)
                case .capture:
                    let slot = Int(i.pointee.arg)
                    if slot < ncap {
                        stack[sp] = scratch[slot]
                        stack[sp + 1] = -(slot + 1)
                        sp += 2
                        scratch[slot] = pos
                    }
                    e = Int(i.pointee.out)
                case .fail:
                    break inner
                default:
                    // Consumes a rune, or matches: a thread.
                    q.threadPC[q.count] = pc
                    if ncap > 0 {
                        (q.caps + q.count * ncap).update(from: scratch, count: ncap)
                    }
                    q.count += 1
                    break inner
                }
            }
        }
    }

    /// Searches text for the leftmost-first match starting at or after `from` (whole text
    /// still visible as context for ^ and \b). With `anchorStart`, only at `from`; with
    /// `anchorEnd`, only matches ending at the end of the text count. Results in `matchcap`.
    mutating func search(
        _ text: UTF8Text,
        from: Int,
        anchorStart: Bool,
        anchorEnd: Bool,
        prefix: UnsafeBufferPointer<UInt8>?
    ) -> Bool {
        var matched = false
        for k in 0..<ncap { matchcap[k] = -1 }
        runq.clear()
        nextq.clear()
        let end = text.count
        var pos = from
        var (r, width) = text.rune(at: pos)
        var prev = text.rune(before: pos)
        while true {
            if runq.count == 0 {
                if matched { break }
                if anchorStart && pos != from { break }
                if let p = prefix, !anchorStart {
                    // No thread alive: jump to the next place the literal prefix occurs.
                    guard let next = text.firstIndex(of: p, from: pos) else { break }
                    if next != pos {
                        pos = next
                        (r, width) = text.rune(at: pos)
                        prev = text.rune(before: pos)
                    }
                }
            }
            if !matched && (!anchorStart || pos == from) {
                for k in 0..<ncap { scratch[k] = -1 }
                if ncap > 0 { scratch[0] = pos }
                add(&runq, start, pos, EmptyOp.context(prev, r))
            }
            let nextPos = pos + width
            let (r1, width1) = text.rune(at: nextPos)
            let nextCtx = EmptyOp.context(r, r1)
            // Step: advance every thread over r, in priority order.
            var k = 0
            while k < runq.count {
                let pc = runq.threadPC[k]
                let i = insts + Int(pc)
                if i.pointee.op == .match {
                    if anchorEnd && pos != end {
                        k += 1
                        continue
                    }
                    if ncap > 0 {
                        matchcap.update(from: runq.caps + k * ncap, count: ncap)
                        if ncap > 1 { matchcap[1] = pos }
                    }
                    matched = true
                    // Leftmost-first: lower-priority threads can no longer win.
                    break
                }
                if matches(i, r) {
                    if ncap > 0 { scratch.update(from: runq.caps + k * ncap, count: ncap) }
                    add(&nextq, i.pointee.out, nextPos, nextCtx)
                }
                k += 1
            }
            if width == 0 { break }
            if ncap == 0 && matched { break }
            pos = nextPos
            prev = r
            r = r1
            width = width1
            swap(&runq, &nextq)
            nextq.clear()
        }
        return matched
    }
}
