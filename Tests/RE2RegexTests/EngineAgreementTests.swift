// The three matchers must agree: the DFA (fullMatch), the bit-state backtracker and the Pike VM
// (submatches). Random patterns from a small grammar, random texts, a fixed seed. (The engines
// were also checked against Go's regexp on several hundred thousand such cases while developing.)

import Testing

@testable import RE2Regex

/// SplitMix64: a tiny deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum PatternGrammar {
    static let atoms = [
        "a", "b", "ab", ".", "[ab]", "[^a]", #"\w"#, #"\W"#, #"\b"#, #"\B"#, "^", "$", #"\A"#, #"\z"#, "", "x*",
        #"\pL"#, "[[:upper:]]", "é", "(?i:k)", #"\s"#, #"\n"#,
    ]
    static let quantifiers = ["", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{0,2}", "{1,}", "{2,3}?", "{0}"]
    static let groups = ["(", "(", "(?:", "(?P<n>", "(?s:", "(?U)(", "(?m:"]
    static let alphabet: [Character] = ["a", "b", "c", "A", "B", "k", "K", "é", "\n", " ", "x", "_", "\u{212A}"]

    static func pattern(_ g: inout SplitMix64, depth: Int) -> String {
        if depth <= 0 || Double.random(in: 0..<1, using: &g) < 0.3 {
            let a = atoms.randomElement(using: &g) ?? "a"
            return Bool.random(using: &g) ? a + (quantifiers.randomElement(using: &g) ?? "") : a
        }
        let k = Double.random(in: 0..<1, using: &g)
        let n = Int.random(in: 2...3, using: &g)
        let parts = (0..<n).map { _ in pattern(&g, depth: depth - 1) }
        if k < 0.35 { return parts.joined() }
        if k < 0.6 { return parts.joined(separator: "|") }
        return (groups.randomElement(using: &g) ?? "(") + parts[0] + ")" + (quantifiers.randomElement(using: &g) ?? "")
    }

    static func text(_ g: inout SplitMix64) -> String {
        String((0..<Int.random(in: 0...10, using: &g)).map { _ in alphabet.randomElement(using: &g) ?? "a" })
    }
}

@Suite("Matching engines agree")
struct EngineAgreementTests {
    @Test("DFA, backtracker and Pike VM give the same answers on random patterns")
    func enginesAgree() throws {
        var g = SplitMix64(state: 0x5EED)
        var compared = 0
        for _ in 0..<3000 {
            let pattern = PatternGrammar.pattern(&g, depth: 4)
            guard let re = try? RE2Regex(pattern) else { continue }
            let c = re.compiled
            for _ in 0..<3 {
                var text = PatternGrammar.text(&g)
                let shown = text.debugDescription
                let ncap = 2 * (c.groupCount + 1)
                text.withUTF8 { buf in
                    let u = UTF8Text(bytes: buf)
                    let vmFull = PikeVM.with(c.prog, ncap: 0) { vm in
                        vm.search(u, from: 0, anchorStart: true, anchorEnd: true, prefix: nil)
                    }
                    if let dfa = c.dfa {
                        #expect(dfa.fullMatch(u) == vmFull, "fullMatch \(pattern) on \(shown)")
                    }
                    let vm: [Int]? = PikeVM.with(c.prog, ncap: ncap) { vm in
                        vm.search(u, from: 0, anchorStart: c.anchoredStart, anchorEnd: false, prefix: nil)
                            ? Array(UnsafeBufferPointer(start: vm.matchcap, count: ncap)) : nil
                    }
                    let bt: [Int]?? = withUnsafeTemporaryAllocation(of: Int.self, capacity: ncap) { caps in
                        guard let base = caps.baseAddress else { return nil }
                        return Backtracker.search(
                            c.prog,
                            u,
                            from: 0,
                            anchorStart: c.anchoredStart,
                            prefix: nil,
                            ncap: ncap,
                            into: base
                        ).map { $0 ? Array(caps) : nil }
                    }
                    if let bt { #expect(bt == vm, "submatches \(pattern) on \(shown)") }
                    #expect(c.firstMatch(u) == vm, "firstMatch \(pattern) on \(shown)")
                    compared += 1
                }
            }
        }
        #expect(compared > 5000)
    }

    @Test("the backtracker hands over to the Pike VM when its job budget runs out")
    func backtrackerOverflowFallsBack() throws {
        let re = try RE2Regex("(a*)*(b)")
        let text = String(repeating: "a", count: 5000) + "b"
        let m = try #require(re.firstMatch(in: text))
        #expect(m[2].map { String(text[$0]) } == "b")
    }

    @Test("the DFA is built for typical route patterns and skipped when it would be large")
    func dfaBuiltWhenSmall() throws {
        #expect(try RE2Regex("/api/v[0-9]+/users/[^/]+").compiled.dfa != nil)
        #expect(try RE2Regex(#"(?i)/static/.*\.(css|js)"#).compiled.dfa != nil)
        #expect(try RE2Regex(#"^\w+\b.*$"#).compiled.dfa != nil)
        // \pL alone has over a thousand ranges: too many rune classes.
        let letters = try RE2Regex(#"\pL+"#)
        #expect(letters.compiled.dfa == nil)
        #expect(letters.fullMatch("Ωμέγα") && !letters.fullMatch("Ωμ1"))
    }
}
