// (?i) uses Unicode simple case folding: each rune matches its whole case orbit, as Go's
// unicode.SimpleFold defines it (so k also matches U+212A KELVIN SIGN, s matches U+017F
// LONG S, and σ matches ς). Full (multi-character) folding such as ß = ss is not done, as in RE2.

import RE2Regex
import Testing

@Suite("Case-insensitive matching")
struct CaseFoldingTests {
    @Test("ASCII letters match both cases and nothing else")
    func asciiExact() throws {
        let re = try RE2Regex("(?i)/Static/[a-z]+\\.CSS")
        #expect(re.fullMatch("/static/Main.css"))
        #expect(re.fullMatch("/STATIC/MAIN.CSS"))
        #expect(!re.fullMatch("/static/main.c5s"))
        // Every ASCII letter folds to exactly its other case (k and s have extra non-ASCII partners).
        for u in UInt8(ascii: "a")...UInt8(ascii: "z") {
            let lower = String(UnicodeScalar(u))
            let upper = lower.uppercased()
            let re = try RE2Regex("(?i)" + lower)
            #expect(re.fullMatch(upper) && re.fullMatch(lower))
            #expect(!re.fullMatch("@") && !re.fullMatch("["))
        }
        // Digits and punctuation are unaffected.
        #expect(!(try RE2Regex("(?i)1")).fullMatch("!"))
    }

    @Test(
        "each rune matches its whole simple-fold orbit",
        arguments: [
            ("(?i)k", ["k", "K", "\u{212A}"], ["x"]),
            ("(?i)\\x{212A}", ["k", "K", "\u{212A}"], []),
            ("(?i)s", ["s", "S", "\u{017F}"], ["ß"]),
            ("(?i)σ", ["σ", "Σ", "ς"], ["s"]),
            ("(?i)é", ["é", "É"], ["e", "E"]),
            ("(?i)ǅ", ["Ǆ", "ǅ", "ǆ"], []),
            ("(?i)[k]", ["\u{212A}", "K"], []),
            ("(?i)[a-z]+", ["HeLLo", "\u{212A}", "\u{017F}"], ["é"]),
            ("(?i)straße", ["STRAßE", "straße"], ["STRASSE"]),
        ]
    )
    func orbits(_ pattern: String, _ matching: [String], _ notMatching: [String]) throws {
        let re = try RE2Regex(pattern)
        for t in matching { #expect(re.fullMatch(t), "\(pattern) should match \(t)") }
        for t in notMatching { #expect(!re.fullMatch(t), "\(pattern) should not match \(t)") }
    }

    @Test("(?i) can be scoped and turned off")
    func scopedFlags() throws {
        let re = try RE2Regex("a(?i:b)c(?i)d(?-i)e")
        #expect(re.fullMatch("aBcDe"))
        #expect(!re.fullMatch("ABcDe"))
        #expect(!re.fullMatch("aBcDE"))
    }

    @Test("negated classes under (?i) exclude the whole orbit")
    func negatedClasses() throws {
        #expect(!(try RE2Regex("(?i)[^k]")).fullMatch("\u{212A}"))
        #expect(!(try RE2Regex(#"(?i)\W"#)).fullMatch("\u{212A}"))
        #expect(try RE2Regex("(?i)[^k]").fullMatch("j"))
    }

    @Test("replacing case-insensitively keeps the original text around matches")
    func replace() throws {
        #expect(try RE2Regex("(?i)k").replacingAll(in: "k K \u{212A}", with: "x") == "x x x")
        #expect(try RE2Regex("(?i)é").replacingAll(in: "CAFÉ", with: "e") == "CAFe")
    }
}
