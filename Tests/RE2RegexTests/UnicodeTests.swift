// Matching is on Unicode scalars (Go's runes): `.` and classes consume a whole character,
// and offsets never fall inside a UTF-8 sequence. Classes use Go's Unicode 15.0 tables.

import RE2Regex
import Testing

@Suite("Unicode")
struct UnicodeTests {
    @Test("dot and negated classes consume one whole scalar")
    func dotIsOneScalar() throws {
        #expect(try RE2Regex("^.$").fullMatch("😀"))
        #expect(try RE2Regex(".").fullMatch("€"))
        #expect(try RE2Regex("[^a]").fullMatch("😀"))
        #expect(!(try RE2Regex("^..$")).fullMatch("😀"))
        let text = "a😀b"
        #expect(offsets(try RE2Regex(#"\x{1F600}"#).firstMatch(in: text[...]), in: text[...]) == [1, 5])
    }

    @Test("dot excludes newline unless (?s)")
    func dotNewline() throws {
        #expect(!(try RE2Regex("a.c")).fullMatch("a\nc"))
        #expect(try RE2Regex("(?s)a.c").fullMatch("a\nc"))
        #expect(try RE2Regex("[^a]").fullMatch("\n"))
    }

    @Test(
        "general categories and scripts",
        arguments: [
            (#"\pL+"#, "Ωμέγα", true),
            (#"\pL"#, "1", false),
            (#"\PL"#, "1", true),
            (#"\p{L}\p{Lu}\p{Ll}"#, "xΔδ", true),
            (#"\p{Lu}"#, "δ", false),
            (#"\p{Ll}"#, "δ", true),
            (#"\pN+"#, "½١2", true),
            (#"\p{Nd}+"#, "١٢٣42", true),
            (#"\p{Nd}"#, "½", false),
            (#"\pP+"#, "!,.?", true),
            (#"\pS+"#, "+=€", true),
            (#"\pZ"#, "\u{00A0}", true),
            (#"\pZ"#, "\t", false),
            (#"\p{Greek}+"#, "Ωμέγα", true),
            (#"\p{Greek}"#, "a", false),
            (#"\P{Greek}"#, "a", true),
            (#"\p{^Greek}"#, "a", true),
            (#"\p{Han}+"#, "漢字", true),
            (#"\p{Cyrillic}+"#, "Жук", true),
            (#"\p{Any}"#, "\u{10FFFF}", true),
            (#"[\p{Greek}\d]+"#, "α1β2", true),
            (#"[^\pL]"#, "x", false),
        ]
    )
    func categoriesAndScripts(_ pattern: String, _ text: String, _ expected: Bool) throws {
        #expect(try RE2Regex(pattern).fullMatch(text) == expected)
    }

    @Test("unknown class names are rejected like Go")
    func unknownNames() {
        for name in [#"\p{Foo}"#, #"\pX"#, #"\p{Letter}"#, #"\p{greek}"#] {
            #expect(throws: RE2SyntaxError(code: .invalidCharRange, expression: name)) { try RE2Regex(name) }
        }
    }

    @Test("Perl and POSIX classes are ASCII-only, as in RE2")
    func asciiPerlClasses() throws {
        #expect(!(try RE2Regex(#"\w"#)).fullMatch("é"))
        #expect(!(try RE2Regex(#"\d"#)).fullMatch("١"))
        #expect(!(try RE2Regex(#"\s"#)).fullMatch("\u{00A0}"))
        #expect(!(try RE2Regex(#"\s"#)).fullMatch("\u{0B}"))  // Go's \s has no \v
        #expect(try RE2Regex("[[:space:]]").fullMatch("\u{0B}"))
        #expect(try RE2Regex("[[:^alpha:]]").fullMatch("1"))
        #expect(!(try RE2Regex("[[:alpha:]]")).fullMatch("é"))
        // \b looks at ASCII word characters only.
        let text = "xé"
        #expect(offsets(try RE2Regex(#"x\b"#).firstMatch(in: text[...]), in: text[...]) == [0, 1])
    }

    @Test("escapes: hex, octal, C escapes and \\Q...\\E")
    func escapes() throws {
        #expect(try RE2Regex(#"\x41\x{263A}\101\0"#).fullMatch("A☺A\u{0}"))
        #expect(try RE2Regex(#"\a\f\t\n\r\v"#).fullMatch("\u{07}\u{0C}\t\n\r\u{0B}"))
        #expect(try RE2Regex(#"\Q.*+?\E+"#).fullMatch(".*+??"))
        #expect(try RE2Regex(#"\Qa.b"#).fullMatch("a.b"))
        #expect(try RE2Regex(#"\.\*\_\-"#).fullMatch(".*_-"))
    }
}
