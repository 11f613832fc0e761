// Patterns Go's regexp.Compile accepts, with the group count it reports: Go's parseTests and
// onlyPerl lists from regexp/syntax/parse_test.go, and syntax from RE2's wiki.

import RE2Regex
import Testing

struct ValidCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let groups: Int

    init(_ pattern: String, groups: Int) {
        self.pattern = pattern
        self.groups = groups
    }

    var testDescription: String {
        pattern.count <= 60 ? pattern : String(pattern.prefix(30)) + "… (\(pattern.count) characters)"
    }
}

@Suite("Valid syntax compiles")
struct ValidSyntaxTests {
    static let cases: [ValidCase] = [
        ValidCase("a", groups: 0),
        ValidCase("a.", groups: 0),
        ValidCase("a.b", groups: 0),
        ValidCase("ab", groups: 0),
        ValidCase("a.b.c", groups: 0),
        ValidCase("abc", groups: 0),
        ValidCase("a|^", groups: 0),
        ValidCase("a|b", groups: 0),
        ValidCase("(a)", groups: 1),
        ValidCase("(a)|b", groups: 1),
        ValidCase("a*", groups: 0),
        ValidCase("a+", groups: 0),
        ValidCase("a?", groups: 0),
        ValidCase("a{2}", groups: 0),
        ValidCase("a{2,3}", groups: 0),
        ValidCase("a{2,}", groups: 0),
        ValidCase("a*?", groups: 0),
        ValidCase("a+?", groups: 0),
        ValidCase("a??", groups: 0),
        ValidCase("a{2}?", groups: 0),
        ValidCase("a{2,3}?", groups: 0),
        ValidCase("a{2,}?", groups: 0),
        ValidCase("x{1001", groups: 0),
        ValidCase("x{9876543210", groups: 0),
        ValidCase("x{9876543210,", groups: 0),
        ValidCase("x{2,1", groups: 0),
        ValidCase("x{1,9876543210", groups: 0),
        ValidCase("", groups: 0),
        ValidCase("|", groups: 0),
        ValidCase("|x|", groups: 0),
        ValidCase(".", groups: 0),
        ValidCase("^", groups: 0),
        ValidCase("$", groups: 0),
        ValidCase("\\|", groups: 0),
        ValidCase("\\(", groups: 0),
        ValidCase("\\)", groups: 0),
        ValidCase("\\*", groups: 0),
        ValidCase("\\+", groups: 0),
        ValidCase("\\?", groups: 0),
        ValidCase("{", groups: 0),
        ValidCase("}", groups: 0),
        ValidCase("\\.", groups: 0),
        ValidCase("\\^", groups: 0),
        ValidCase("\\$", groups: 0),
        ValidCase("\\\\", groups: 0),
        ValidCase("[ace]", groups: 0),
        ValidCase("[abc]", groups: 0),
        ValidCase("[a-z]", groups: 0),
        ValidCase("[a]", groups: 0),
        ValidCase("\\-", groups: 0),
        ValidCase("-", groups: 0),
        ValidCase("\\_", groups: 0),
        ValidCase("abc|def", groups: 0),
        ValidCase("abc|def|ghi", groups: 0),
        ValidCase("[[:lower:]]", groups: 0),
        ValidCase("[^[:lower:]]", groups: 0),
        ValidCase("[[:^lower:]]", groups: 0),
        ValidCase("(?i)[[:lower:]]", groups: 0),
        ValidCase("(?i)[a-z]", groups: 0),
        ValidCase("(?i)[^[:lower:]]", groups: 0),
        ValidCase("(?i)[[:^lower:]]", groups: 0),
        ValidCase("\\d", groups: 0),
        ValidCase("\\D", groups: 0),
        ValidCase("\\s", groups: 0),
        ValidCase("\\S", groups: 0),
        ValidCase("\\w", groups: 0),
        ValidCase("\\W", groups: 0),
        ValidCase("(?i)\\w", groups: 0),
        ValidCase("(?i)\\W", groups: 0),
        ValidCase("[^\\\\]", groups: 0),
        ValidCase("\\p{Braille}", groups: 0),
        ValidCase("\\P{Braille}", groups: 0),
        ValidCase("\\p{^Braille}", groups: 0),
        ValidCase("\\P{^Braille}", groups: 0),
        ValidCase("\\pZ", groups: 0),
        ValidCase("[\\p{Braille}]", groups: 0),
        ValidCase("[\\P{Braille}]", groups: 0),
        ValidCase("[\\p{^Braille}]", groups: 0),
        ValidCase("[\\P{^Braille}]", groups: 0),
        ValidCase("[\\pZ]", groups: 0),
        ValidCase("\\p{Lu}", groups: 0),
        ValidCase("[\\p{Lu}]", groups: 0),
        ValidCase("(?i)[\\p{Lu}]", groups: 0),
        ValidCase("\\p{Any}", groups: 0),
        ValidCase("\\p{^Any}", groups: 0),
        ValidCase("[\\012-\\234]\\141", groups: 0),
        ValidCase("[\\x{41}-\\x7a]\\x61", groups: 0),
        ValidCase("a{,2}", groups: 0),
        ValidCase("\\.\\^\\$\\\\", groups: 0),
        ValidCase("[a-zABC]", groups: 0),
        ValidCase("[^a]", groups: 0),
        ValidCase("[α-ε☺]", groups: 0),
        ValidCase("a*{", groups: 0),
        ValidCase("(?:ab)*", groups: 0),
        ValidCase("(ab)*", groups: 1),
        ValidCase("ab|cd", groups: 0),
        ValidCase("a(b|c)d", groups: 1),
        ValidCase("(?:a)", groups: 0),
        ValidCase("(?:ab)(?:cd)", groups: 0),
        ValidCase("(?:a+b+)(?:c+d+)", groups: 0),
        ValidCase("(?:a+|b+)|(?:c+|d+)", groups: 0),
        ValidCase("(?:a|b)|(?:c|d)", groups: 0),
        ValidCase("a|.", groups: 0),
        ValidCase(".|a", groups: 0),
        ValidCase("(?:[abc]|A|Z|hello|world)", groups: 0),
        ValidCase("(?:[abc]|A|Z)", groups: 0),
        ValidCase("\\Q+|*?{[\\E", groups: 0),
        ValidCase("\\Q+\\E+", groups: 0),
        ValidCase("\\Qab\\E+", groups: 0),
        ValidCase("\\Q\\\\E", groups: 0),
        ValidCase("\\Q\\\\\\E", groups: 0),
        ValidCase("(?m)^", groups: 0),
        ValidCase("(?m)$", groups: 0),
        ValidCase("(?-m)^", groups: 0),
        ValidCase("(?-m)$", groups: 0),
        ValidCase("(?m)\\A", groups: 0),
        ValidCase("(?m)\\z", groups: 0),
        ValidCase("(?-m)\\A", groups: 0),
        ValidCase("(?-m)\\z", groups: 0),
        ValidCase("(?P<name>a)", groups: 1),
        ValidCase("(?<name>a)", groups: 1),
        ValidCase("[Aa]", groups: 0),
        ValidCase("[\\x{100}\\x{101}]", groups: 0),
        ValidCase("[Δδ]", groups: 0),
        ValidCase("abcde", groups: 0),
        ValidCase("[Aa][Bb]cd", groups: 0),
        ValidCase("abc|abd|aef|bcx|bcy", groups: 0),
        ValidCase("ax+y|ax+z|ay+w", groups: 0),
        ValidCase("(?:.)", groups: 0),
        ValidCase("(?:x|(?:xa))", groups: 0),
        ValidCase("(?:.|(?:.a))", groups: 0),
        ValidCase("(?:A(?:A|a))", groups: 0),
        ValidCase("(?:A|a)", groups: 0),
        ValidCase("A|(?:A|a)", groups: 0),
        ValidCase("(?s).", groups: 0),
        ValidCase("(?-s).", groups: 0),
        ValidCase("(?:(?:^).)", groups: 0),
        ValidCase("(?-s)(?:(?:^).)", groups: 0),
        ValidCase("[\\s\\S]a", groups: 0),
        ValidCase("abc|abd", groups: 0),
        ValidCase("a(?:b)c|abd", groups: 0),
        ValidCase("abc|x|abd", groups: 0),
        ValidCase("(?i)abc|ABD", groups: 0),
        ValidCase("[ab]c|[ab]d", groups: 0),
        ValidCase(".c|.d", groups: 0),
        ValidCase("x{2}|x{2}[0-9]", groups: 0),
        ValidCase("x{2}y|x{2}[0-9]y", groups: 0),
        ValidCase("a.*?c|a.*?b", groups: 0),
        ValidCase("((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}))", groups: 10),
        ValidCase("((((((((((x{1}){2}){2}){2}){2}){2}){2}){2}){2}){2})", groups: 10),
        ValidCase("[a-b-c]", groups: 0),
        ValidCase("\\Qabc\\E", groups: 0),
        ValidCase("\\Q*+?{[\\E", groups: 0),
        ValidCase("\\Q\\\\\\\\E", groups: 0),
        ValidCase("\\Q\\\\\\\\\\E", groups: 0),
        ValidCase("^*", groups: 0),
        ValidCase("\\b+", groups: 0),
        ValidCase("[\\d-z]", groups: 0),
        ValidCase("\\Qab", groups: 0),
        ValidCase("\\Qa\\E*", groups: 0),
        ValidCase("(?P<1a>x)", groups: 1),
        ValidCase("x{,2}", groups: 0),
        ValidCase("a{,}", groups: 0),
        ValidCase("a{1", groups: 0),
        ValidCase("\\z", groups: 0),
        ValidCase("(?)", groups: 0),
        ValidCase("(?i)", groups: 0),
        ValidCase("()", groups: 1),
        ValidCase("(|)", groups: 1),
        ValidCase("[]a]", groups: 0),
        ValidCase("[^]a]", groups: 0),
        ValidCase("[a-]", groups: 0),
        ValidCase("[-a]", groups: 0),
        ValidCase("\\pN", groups: 0),
        ValidCase("\\p{Greek}", groups: 0),
        ValidCase("\\PL", groups: 0),
        ValidCase("\\p{^Greek}", groups: 0),
        ValidCase("\\P{^Greek}", groups: 0),
        ValidCase("(?U)a+", groups: 0),
        ValidCase("(?P<n>a)(?P<n>b)", groups: 2),
        ValidCase("a{1000}", groups: 0),
        ValidCase("(?:[a-z]{4}){0,250}", groups: 0),
        ValidCase("(?i)Straße", groups: 0),
        ValidCase("\\x41\\x{263a}\\101\\0", groups: 0),
        ValidCase("[\\x00-\\x{10FFFF}]", groups: 0),
        ValidCase("[^\\x00-\\x{10FFFF}]", groups: 0),
        ValidCase("(?m)^a$", groups: 0),
        ValidCase("(?i-s:a.)", groups: 0),
        ValidCase("(?is-mU:x)", groups: 0),
        ValidCase("a{0}", groups: 0),
        ValidCase("a{0,0}", groups: 0),
        ValidCase("(a){0}", groups: 1),
        ValidCase("\\pZ\\pS\\pP\\pN\\pL\\pM\\pC", groups: 0),
        ValidCase("\\p{Lu}\\p{Ll}\\p{Nd}\\p{Han}\\p{Cyrillic}", groups: 0),
        ValidCase("[[:^alpha:][:digit:]]", groups: 0),
        ValidCase("\\A\\z", groups: 0),
        ValidCase("\\B\\b", groups: 0),
        ValidCase("a|", groups: 0),
        ValidCase("|a", groups: 0),
        ValidCase("((a)|(b))*", groups: 3),
        ValidCase("(?:(?:a))", groups: 0),
        ValidCase("x*y+z?", groups: 0),
        ValidCase(String(repeating: "(", count: 999) + String(repeating: ")", count: 999), groups: 999),
        ValidCase(String(repeating: "(?:", count: 999) + String(repeating: ")*", count: 999), groups: 0),
        ValidCase("(" + String(repeating: "|", count: 12345) + ")", groups: 1),
    ]

    @Test("pattern compiles with Go's capture group count", arguments: cases)
    func compiles(_ c: ValidCase) throws {
        let re = try RE2Regex(c.pattern)
        #expect(re.captureGroupCount == c.groups)
        #expect(re.pattern == c.pattern)
    }

    @Test("named groups report their names, both (?P<name>) and (?<name>)")
    func namedGroups() throws {
        let re = try RE2Regex(#"(?P<year>\d{4})-(\d{2})-(?<day>\d{2})"#)
        #expect(re.captureGroupCount == 3)
        #expect(re.captureGroupNames == [nil, "year", nil, "day"])
        let m = try #require(re.firstMatch(in: "on 2024-05-17."))
        #expect(m.count == 4)
        let s = "on 2024-05-17."
        #expect(m[1].map { String(s[$0]) } == "2024")
        #expect(m[3].map { String(s[$0]) } == "17")
    }

    @Test("equality, hashing and description follow the pattern text")
    func valueSemantics() throws {
        let a = try RE2Regex("a+b")
        let b = try RE2Regex("a+b")
        let c = try RE2Regex("a+c")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
        #expect(a.description == "a+b")
    }

    @Test("a value can be shared across concurrent tasks")
    func sendableAcrossTasks() async throws {
        let re = try RE2Regex("/api/v[0-9]+/users/[^/]+")
        let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for i in 0..<8 {
                group.addTask { re.fullMatch("/api/v\(i)/users/u\(i)") && !re.fullMatch("/api/v\(i)/users/") }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
