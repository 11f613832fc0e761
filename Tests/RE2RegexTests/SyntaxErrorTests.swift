// Every pattern here is rejected by Go's regexp.Compile (go1.23), and the expected code and
// expression are what Go reported for it. The first block is Go's own invalidRegexps list
// from regexp/syntax/parse_test.go (minus the invalid-UTF-8 entries, which a Swift String
// cannot hold); the rest covers Perl/PCRE syntax RE2 does not support and each error path.

import RE2Regex
import Testing

struct InvalidCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let code: RE2SyntaxError.Code
    /// The substring Go reports; nil means the whole pattern (used for the huge ones).
    let expression: String?

    init(_ pattern: String, _ code: RE2SyntaxError.Code, _ expression: String?) {
        self.pattern = pattern
        self.code = code
        self.expression = expression
    }

    var testDescription: String {
        pattern.count <= 60 ? pattern : String(pattern.prefix(30)) + "… (\(pattern.count) characters)"
    }
}

@Suite("Invalid syntax is rejected with Go's error")
struct SyntaxErrorTests {
    static let cases: [InvalidCase] = [
        InvalidCase("(", .missingParen, "("),
        InvalidCase(")", .unexpectedParen, ")"),
        InvalidCase("(a", .missingParen, "(a"),
        InvalidCase("a)", .unexpectedParen, "a)"),
        InvalidCase("(a))", .unexpectedParen, "(a))"),
        InvalidCase("(a|b|", .missingParen, "(a|b|"),
        InvalidCase("a|b|)", .unexpectedParen, "a|b|)"),
        InvalidCase("(a|b|))", .unexpectedParen, "(a|b|))"),
        InvalidCase("(a|b", .missingParen, "(a|b"),
        InvalidCase("a|b)", .unexpectedParen, "a|b)"),
        InvalidCase("(a|b))", .unexpectedParen, "(a|b))"),
        InvalidCase("[a-z", .missingBracket, "[a-z"),
        InvalidCase("([a-z)", .missingBracket, "[a-z)"),
        InvalidCase("[a-z)", .missingBracket, "[a-z)"),
        InvalidCase("([a-z]))", .unexpectedParen, "([a-z]))"),
        InvalidCase("x{1001}", .invalidRepeatSize, "{1001}"),
        InvalidCase("x{9876543210}", .invalidRepeatSize, "{9876543210}"),
        InvalidCase("x{2,1}", .invalidRepeatSize, "{2,1}"),
        InvalidCase("x{1,9876543210}", .invalidRepeatSize, "{1,9876543210}"),
        InvalidCase("(?P<name>a", .missingParen, "(?P<name>a"),
        InvalidCase("(?P<name>", .missingParen, "(?P<name>"),
        InvalidCase("(?P<name", .invalidNamedCapture, "(?P<name"),
        InvalidCase("(?P<x y>a)", .invalidNamedCapture, "(?P<x y>"),
        InvalidCase("(?P<>a)", .invalidNamedCapture, "(?P<>"),
        InvalidCase("(?<name>a", .missingParen, "(?<name>a"),
        InvalidCase("(?<name>", .missingParen, "(?<name>"),
        InvalidCase("(?<name", .invalidNamedCapture, "(?<name"),
        InvalidCase("(?<x y>a)", .invalidNamedCapture, "(?<x y>"),
        InvalidCase("(?<>a)", .invalidNamedCapture, "(?<>"),
        InvalidCase("[a-Z]", .invalidCharRange, "a-Z"),
        InvalidCase("(?i)[a-Z]", .invalidCharRange, "a-Z"),
        InvalidCase("\\Q\\E*", .missingRepeatArgument, "*"),
        InvalidCase("a{100000}", .invalidRepeatSize, "{100000}"),
        InvalidCase("a{100000,}", .invalidRepeatSize, "{100000,}"),
        InvalidCase("((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})", .invalidRepeatSize, "{2}"),
        InvalidCase("\\1", .invalidEscape, "\\1"),
        InvalidCase("(a)\\1", .invalidEscape, "\\1"),
        InvalidCase("(a)(b)\\2", .invalidEscape, "\\2"),
        InvalidCase("\\8", .invalidEscape, "\\8"),
        InvalidCase("\\9", .invalidEscape, "\\9"),
        InvalidCase("\\18", .invalidEscape, "\\1"),
        InvalidCase("(?=a)", .invalidPerlOp, "(?="),
        InvalidCase("(?!a)", .invalidPerlOp, "(?!"),
        InvalidCase("(?<=a)b", .invalidNamedCapture, "(?<=a)b"),
        InvalidCase("(?<!a)b", .invalidNamedCapture, "(?<!a)b"),
        InvalidCase("(?<=a>)b", .invalidNamedCapture, "(?<=a>"),
        InvalidCase("(?>a)", .invalidPerlOp, "(?>"),
        InvalidCase("(?#comment)", .invalidPerlOp, "(?#"),
        InvalidCase("(?(1)a|b)", .invalidPerlOp, "(?("),
        InvalidCase("(?R)", .invalidPerlOp, "(?R"),
        InvalidCase("(?1)", .invalidPerlOp, "(?1"),
        InvalidCase("(?|a)", .invalidPerlOp, "(?|"),
        InvalidCase("(?x)a", .invalidPerlOp, "(?x"),
        InvalidCase("(?P=name)", .invalidPerlOp, "(?P"),
        InvalidCase("(?P>name)", .invalidPerlOp, "(?P"),
        InvalidCase("(?'name'a)", .invalidPerlOp, "(?'"),
        InvalidCase("(?i", .invalidPerlOp, "(?i"),
        InvalidCase("(?", .invalidPerlOp, "(?"),
        InvalidCase("(?-)", .invalidPerlOp, "(?-)"),
        InvalidCase("(?i-)", .invalidPerlOp, "(?i-)"),
        InvalidCase("(?--i)", .invalidPerlOp, "(?--"),
        InvalidCase("(?q)", .invalidPerlOp, "(?q"),
        InvalidCase("a++", .invalidRepeatOp, "++"),
        InvalidCase("a*+", .invalidRepeatOp, "*+"),
        InvalidCase("a?+", .invalidRepeatOp, "?+"),
        InvalidCase("a{2}+", .invalidRepeatOp, "{2}+"),
        InvalidCase("a**", .invalidRepeatOp, "**"),
        InvalidCase("a*?*", .invalidRepeatOp, "*?*"),
        InvalidCase("a???", .invalidRepeatOp, "???"),
        InvalidCase("a{1}{2}", .invalidRepeatOp, "{1}{2}"),
        InvalidCase("a*{2}", .invalidRepeatOp, "*{2}"),
        InvalidCase("*", .missingRepeatArgument, "*"),
        InvalidCase("+a", .missingRepeatArgument, "+"),
        InvalidCase("?a", .missingRepeatArgument, "?"),
        InvalidCase("{1}", .missingRepeatArgument, "{1}"),
        InvalidCase("a|*", .missingRepeatArgument, "*"),
        InvalidCase("(*)", .missingRepeatArgument, "*"),
        InvalidCase("(|+)", .missingRepeatArgument, "+"),
        InvalidCase("(?i)*", .missingRepeatArgument, "*"),
        InvalidCase("*?", .missingRepeatArgument, "*?"),
        InvalidCase("{2,3}?", .missingRepeatArgument, "{2,3}?"),
        InvalidCase("a{1001}", .invalidRepeatSize, "{1001}"),
        InvalidCase("a{1000,1001}", .invalidRepeatSize, "{1000,1001}"),
        InvalidCase("a{2,1}", .invalidRepeatSize, "{2,1}"),
        InvalidCase("a{0,1001}", .invalidRepeatSize, "{0,1001}"),
        InvalidCase("(a{500}){3}", .invalidRepeatSize, "{3}"),
        InvalidCase("(?:a{10}){101}", .invalidRepeatSize, "{101}"),
        InvalidCase("a{99999999999}", .invalidRepeatSize, "{99999999999}"),
        InvalidCase("[a", .missingBracket, "[a"),
        InvalidCase("[a-", .missingBracket, "[a-"),
        InvalidCase("[]", .missingBracket, "[]"),
        InvalidCase("[^]", .missingBracket, "[^]"),
        InvalidCase("[z-a]", .invalidCharRange, "z-a"),
        InvalidCase("[a-\\d]", .invalidEscape, "\\d"),
        InvalidCase("[[:foo:]]", .invalidCharRange, "[:foo:]"),
        InvalidCase("[[:alpha:]", .missingBracket, "[[:alpha:]"),
        InvalidCase("[[:word:]x", .missingBracket, "[[:word:]x"),
        InvalidCase("a[b", .missingBracket, "[b"),
        InvalidCase("[\\pX]", .invalidCharRange, "\\pX"),
        InvalidCase("[\\p{Foo}]", .invalidCharRange, "\\p{Foo}"),
        InvalidCase("[a-\\pL]", .invalidEscape, "\\p"),
        InvalidCase("[\\Q]\\E", .invalidEscape, "\\Q"),
        InvalidCase("[a\\]", .missingBracket, "[a\\]"),
        InvalidCase("\\p{Foo}", .invalidCharRange, "\\p{Foo}"),
        InvalidCase("\\pX", .invalidCharRange, "\\pX"),
        InvalidCase("\\p", .invalidCharRange, "\\p"),
        InvalidCase("\\p{", .invalidCharRange, "\\p{"),
        InvalidCase("\\p{L", .invalidCharRange, "\\p{L"),
        InvalidCase("\\P{^Foo}", .invalidCharRange, "\\P{^Foo}"),
        InvalidCase("\\p{Letter}", .invalidCharRange, "\\p{Letter}"),
        InvalidCase("\\p{greek}", .invalidCharRange, "\\p{greek}"),
        InvalidCase("\\p{^}", .invalidCharRange, "\\p{^}"),
        InvalidCase("\\pé", .invalidCharRange, "\\pé"),
        InvalidCase("\\x", .invalidEscape, "\\x"),
        InvalidCase("\\xg", .invalidEscape, "\\xg"),
        InvalidCase("\\xg1", .invalidEscape, "\\xg1"),
        InvalidCase("\\x1", .invalidEscape, "\\x1"),
        InvalidCase("\\x{", .invalidEscape, "\\x{"),
        InvalidCase("\\x{41", .invalidEscape, "\\x{41"),
        InvalidCase("\\x{110000}", .invalidEscape, "\\x{110000"),
        InvalidCase("\\x{}", .invalidEscape, "\\x{}"),
        InvalidCase("\\x{zz}", .invalidEscape, "\\x{z"),
        InvalidCase("\\Z", .invalidEscape, "\\Z"),
        InvalidCase("\\C", .invalidEscape, "\\C"),
        InvalidCase("\\X", .invalidEscape, "\\X"),
        InvalidCase("\\R", .invalidEscape, "\\R"),
        InvalidCase("\\K", .invalidEscape, "\\K"),
        InvalidCase("\\G", .invalidEscape, "\\G"),
        InvalidCase("\\h", .invalidEscape, "\\h"),
        InvalidCase("\\e", .invalidEscape, "\\e"),
        InvalidCase("\\cA", .invalidEscape, "\\c"),
        InvalidCase("\\o{12}", .invalidEscape, "\\o"),
        InvalidCase("\\N{DIGIT ONE}", .invalidEscape, "\\N"),
        InvalidCase("\\i", .invalidEscape, "\\i"),
        InvalidCase("\\y", .invalidEscape, "\\y"),
        InvalidCase("\\é", .invalidEscape, "\\é"),
        InvalidCase("\\", .trailingBackslash, ""),
        InvalidCase("a\\", .trailingBackslash, ""),
        InvalidCase("[\\]", .missingBracket, "[\\]"),
        InvalidCase("\\Q\\E*", .missingRepeatArgument, "*"),
        InvalidCase("(", .missingParen, "("),
        InvalidCase(")", .unexpectedParen, ")"),
        InvalidCase("a)", .unexpectedParen, "a)"),
        InvalidCase("(a))", .unexpectedParen, "(a))"),
        InvalidCase("(a", .missingParen, "(a"),
        InvalidCase("((a)", .missingParen, "((a)"),
        InvalidCase("a|b)", .unexpectedParen, "a|b)"),
        InvalidCase("(?:a", .missingParen, "(?:a"),
        InvalidCase("(?i:a", .missingParen, "(?i:a"),
        InvalidCase("())(", .unexpectedParen, "())("),
        InvalidCase("(a|b|", .missingParen, "(a|b|"),
        InvalidCase("(?P<>a)", .invalidNamedCapture, "(?P<>"),
        InvalidCase("(?P<a-b>x)", .invalidNamedCapture, "(?P<a-b>"),
        InvalidCase("(?<a b>x)", .invalidNamedCapture, "(?<a b>"),
        InvalidCase("(?P<name", .invalidNamedCapture, "(?P<name"),
        InvalidCase("(?<name", .invalidNamedCapture, "(?<name"),
        InvalidCase("(?P<é>a)", .invalidNamedCapture, "(?P<é>"),
        InvalidCase("(?<>a)", .invalidNamedCapture, "(?<>"),
        InvalidCase("(?P<name>a", .missingParen, "(?P<name>a"),
        InvalidCase("(?<n>", .missingParen, "(?<n>"),
        InvalidCase(String(repeating: "(", count: 1000) + String(repeating: ")", count: 1000), .nestingDepth, nil),
        InvalidCase(String(repeating: "(?:", count: 1000) + String(repeating: ")*", count: 1000), .nestingDepth, nil),
        InvalidCase("(" + String(repeating: "(xx?)", count: 1000) + "){1000}", .large, nil),
        InvalidCase(String(repeating: "(xx?){1000}", count: 1000), .large, nil),
        InvalidCase(String(repeating: #"\pL"#, count: 27000), .large, nil),
        InvalidCase(
            String(repeating: "(", count: 1001) + "a" + String(repeating: ")", count: 1001),
            .nestingDepth,
            nil
        ),
    ]

    @Test("pattern is rejected with Go's code, expression and message", arguments: cases)
    func rejectedLikeGo(_ c: InvalidCase) {
        do {
            let re = try RE2Regex(c.pattern)
            Issue.record("accepted \(re.pattern.prefix(40))")
        } catch {
            let expression = c.expression ?? c.pattern
            #expect(error.code == c.code)
            #expect(error.expression == expression)
            #expect(error.description == "error parsing regexp: \(c.code.rawValue): `\(expression)`")
        }
    }

    /// The texts quoted in the brief, spelled out in full.
    @Test(
        "error descriptions are byte-for-byte Go's",
        arguments: [
            (#"\1"#, "error parsing regexp: invalid escape sequence: `\\1`"),
            ("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
            ("(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"),
            ("(?>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?>`"),
            // Since Go 1.22 accepts (?<name>re), a lookbehind reads as a bad group name.
            ("(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`"),
            ("(?<!a)b", "error parsing regexp: invalid named capture: `(?<!a)b`"),
            ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
            ("a++", "error parsing regexp: invalid nested repetition operator: `++`"),
            ("*", "error parsing regexp: missing argument to repetition operator: `*`"),
            ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
            ("a\\", "error parsing regexp: trailing backslash at end of expression: ``"),
            (#"\Z"#, "error parsing regexp: invalid escape sequence: `\\Z`"),
            ("(a", "error parsing regexp: missing closing ): `(a`"),
            ("a)", "error parsing regexp: unexpected ): `a)`"),
            ("[a", "error parsing regexp: missing closing ]: `[a`"),
            ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
            (#"\p{Foo}"#, "error parsing regexp: invalid character class range: `\\p{Foo}`"),
            ("(?P<>a)", "error parsing regexp: invalid named capture: `(?P<>`"),
        ]
    )
    func descriptionIsGos(_ pattern: String, _ message: String) {
        #expect(throws: RE2SyntaxError.self) { try RE2Regex(pattern) }
        do {
            _ = try RE2Regex(pattern)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("nesting deeper than 1000 is rejected, 999 levels are accepted")
    func nestingLimit() throws {
        let deep = String(repeating: "(", count: 1001) + String(repeating: ")", count: 1001)
        #expect(throws: RE2SyntaxError(code: .nestingDepth, expression: deep)) { try RE2Regex(deep) }
        let ok = String(repeating: "(", count: 999) + "a" + String(repeating: ")", count: 999)
        let re = try RE2Regex(ok)
        #expect(re.captureGroupCount == 999)
        #expect(re.fullMatch("a"))
    }

    @Test("every error code has Go's message text")
    func codeTexts() {
        #expect(RE2SyntaxError.Code.missingParen.rawValue == "missing closing )")
        #expect(RE2SyntaxError.Code.invalidPerlOp.rawValue == "invalid or unsupported Perl syntax")
        #expect(RE2SyntaxError.Code.nestingDepth.rawValue == "expression nests too deeply")
        #expect(RE2SyntaxError.Code.large.rawValue == "expression too large")
        #expect(RE2SyntaxError.Code.allCases.count == 16)
    }
}
