// Submatch positions are leftmost-first (Perl/RE2 semantics, not POSIX leftmost-longest).
// Expected offsets are Go's; RE2 agrees on each.

import RE2Regex
import Testing

@Suite("Captures are leftmost-first")
struct CaptureTests {
    /// (pattern, text, byte offsets of group 0, 1, ...; -1 = group did not take part)
    static let cases: [(String, String, [Int])] = [
        // The first alternative that leads to a match wins, not the longest.
        ("(a|ab)(c|bcd)(d*)", "abcd", [0, 4, 0, 1, 1, 4, 4, 4]),
        ("x(a|ab)(c|bcd)(d*)", "xabcd", [0, 5, 1, 2, 2, 5, 5, 5]),
        ("(fo|foo)(o*)", "fooo", [0, 4, 0, 2, 2, 4]),
        // Greedy takes as much as it can, lazy as little; the rest goes to later groups.
        ("(a*)(a*)", "aa", [0, 2, 0, 2, 2, 2]),
        ("(a*?)(a*)", "aa", [0, 2, 0, 0, 0, 2]),
        ("(a+?)(a*)", "aaa", [0, 3, 0, 1, 1, 3]),
        ("(?U)(a+)", "aaa", [0, 1, 0, 1]),
        // Groups that take no part are absent.
        ("(a+)(b+)?", "aaa", [0, 3, 0, 3, -1, -1]),
        ("(a)|(b)", "b", [0, 1, -1, -1, 0, 1]),
        ("(a)?(b)", "b", [0, 1, -1, -1, 0, 1]),
        // A repeated group reports its last iteration.
        ("(a|b)*", "abab", [0, 4, 3, 4]),
        ("((a)|(b))+", "ab", [0, 2, 1, 2, 0, 1, 1, 2]),
        // Empty iterations: the empty alternative is preferred when it comes first.
        ("(|a)*", "aa", [0, 0, 0, 0]),
        ("(|a)+", "aa", [0, 0, 0, 0]),
        ("(a|)*", "aa", [0, 2, 1, 2]),
        ("(a*)+", "b", [0, 0, 0, 0]),
        ("(a*)*", "b", [0, 0, 0, 0]),
        // The leftmost match wins even when a later one is longer.
        (#"(\w+)@(\w+)\.com"#, "mail: ann@ex.com, bob@ex.com", [6, 16, 6, 9, 10, 12]),
        (#"^/api/v(\d+)/users/([^/]+)$"#, "/api/v12/users/bob", [0, 18, 6, 8, 15, 18]),
        (#"(?P<first>\w+)\s(?P<last>\w+)"#, "Ada Lovelace", [0, 12, 0, 3, 4, 12]),
        // Offsets are in bytes of UTF-8; groups never split a character.
        ("(é+)(.)", "aééb", [1, 6, 1, 5, 5, 6]),
    ]

    @Test("capture positions are leftmost-first", arguments: cases)
    func positions(_ pattern: String, _ text: String, _ expected: [Int]) throws {
        let re = try RE2Regex(pattern)
        #expect(re.captureGroupCount == expected.count / 2 - 1)
        #expect(offsets(re.firstMatch(in: text[...]), in: text[...]) == expected)
    }

    @Test("firstMatch ranges slice out the groups' text")
    func rangesSliceText() throws {
        let text = "GET /api/v3/users/carol HTTP/1.1"
        let re = try RE2Regex(#"/api/v(\d+)/users/([^/ ]+)"#)
        let m = try #require(re.firstMatch(in: text))
        #expect(m.compactMap { $0.map { String(text[$0]) } } == ["/api/v3/users/carol", "3", "carol"])
    }

    @Test("no match gives nil, not an empty result")
    func noMatch() throws {
        let re = try RE2Regex("(x)(y)")
        #expect(re.firstMatch(in: "abc") == nil)
        #expect(!re.partialMatch("abc"))
    }
}
