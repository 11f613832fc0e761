// RE2::GlobalReplace semantics. The first table is RE2's own ReplaceTest table from
// re2/testing/re2_test.cc; the others were checked against RE2 (libre2) directly.

import RE2Regex
import Testing

@Suite("replacingAll is RE2::GlobalReplace")
struct ReplaceTests {
    /// (pattern, rewrite, input, expected output)
    static let re2Table: [(String, String, String, String)] = [
        (
            "(qu|[b-df-hj-np-tv-z]*)([a-z]+)", #"\2\1ay"#, "the quick brown fox jumps over the lazy dogs.",
            "ethay ickquay ownbray oxfay umpsjay overay ethay azylay ogsday."
        ),
        (#"\w+"#, #"\0-NOSPAM"#, "abcd.efghi@google.com", "abcd-NOSPAM.efghi-NOSPAM@google-NOSPAM.com-NOSPAM"),
        ("^", "(START)", "foo", "(START)foo"),
        ("^", "(START)", "", "(START)"),
        ("$", "(END)", "", "(END)"),
        ("b", "bb", "ababababab", "abbabbabbabbabb"),
        ("b", "bb", "bbbbbb", "bbbbbbbbbbbb"),
        ("b+", "bb", "bbbbbb", "bb"),
        ("b*", "bb", "bbbbbb", "bb"),
        ("b*", "bb", "aaaaa", "bbabbabbabbabbabb"),
        ("a.*a", #"(\0)"#, "aba\naba", "(aba)\n(aba)"),
    ]

    @Test("RE2's own GlobalReplace table", arguments: re2Table)
    func re2GlobalReplaceTable(_ pattern: String, _ rewrite: String, _ input: String, _ expected: String) throws {
        #expect(try RE2Regex(pattern).replacingAll(in: input, with: rewrite) == expected)
    }

    static let emptyMatches: [(String, String, String, String)] = [
        // An empty match right after the previous match is skipped, one character is copied.
        ("b*", "x", "abc", "xaxcx"),
        ("a*", "-", "baaac", "-b-c-"),
        ("", "-", "abc", "-a-b-c-"),
        // Skipping copies a whole character, never part of its UTF-8 bytes.
        ("x*", "-", "été", "-é-t-é-"),
        (#"\b"#, "|", "ab cd", "|ab| |cd|"),
        ("$", "!", "abc", "abc!"),
        ("(?m)^", "> ", "a\nb\n", "> a\n> b\n> "),
    ]

    @Test("empty matches are replaced as RE2 does", arguments: emptyMatches)
    func emptyMatchesLikeRE2(_ pattern: String, _ rewrite: String, _ input: String, _ expected: String) throws {
        #expect(try RE2Regex(pattern).replacingAll(in: input, with: rewrite) == expected)
    }

    static let rewrites: [(String, String, String, String)] = [
        (#"(\w+) (\w+)"#, #"\2 \1"#, "hello world", "world hello"),
        ("^/service/([^/]+)(/.*)$", #"\2"#, "/service/foo/v1/api", "/v1/api"),
        ("^/service/([^/]+)(/.*)$", #"/\1\2"#, "/other/foo/v1/api", "/other/foo/v1/api"),
        (#"(?P<first>\w+)\s(?P<last>\w+)"#, #"\2, \1"#, "Ada Lovelace", "Lovelace, Ada"),
        (#"(\w+)@(\w+)\.com"#, #"<\2:\1>"#, "mail: ann@ex.com, bob@ex.com", "mail: <ex:ann>, <ex:bob>"),
        // A group that took no part inserts nothing.
        ("(a)|b", #"[\1]"#, "ab", "[a][]"),
        // \\ is a backslash.
        ("a", #"\\"#, "aaa", #"\\\"#),
        ("/+", "/", "//a///b/", "/a/b/"),
        ("é", "e", "café é", "cafe e"),
        ("[[:upper:]]+", #"_\0_"#, "abcDEFgh", "abc_DEF_gh"),
    ]

    @Test("rewrite strings insert groups and backslashes", arguments: rewrites)
    func rewriteGroups(_ pattern: String, _ rewrite: String, _ input: String, _ expected: String) throws {
        #expect(try RE2Regex(pattern).replacingAll(in: input, with: rewrite) == expected)
    }

    @Test("a rewrite naming a missing group replaces nothing, as RE2 refuses it")
    func missingGroupRefused() throws {
        let re = try RE2Regex("(a)")
        #expect(re.replacingAll(in: "banana", with: #"\3"#) == "banana")
        #expect(
            re.checkRewrite(#"\3"#)
                == "Rewrite schema requests 3 matches, but the regexp only has 1 parenthesized subexpressions."
        )
    }

    @Test("an invalid escape ends each rewrite where RE2's Rewrite stops")
    func invalidEscapeStopsRewrite() throws {
        let re = try RE2Regex("a")
        #expect(re.replacingAll(in: "banana", with: #"\q"#) == "bnn")
        #expect(re.replacingAll(in: "banana", with: "<\\") == "b<n<n<")
    }

    @Test("no match leaves the text unchanged")
    func noMatchUnchanged() throws {
        #expect(try RE2Regex("z+").replacingAll(in: "abc", with: "x") == "abc")
        #expect(try RE2Regex("^b").replacingAll(in: "ab", with: "x") == "ab")
    }

    @Test(
        "checkRewrite gives RE2's CheckRewriteString messages",
        arguments: [
            ("(a)(b)", #"\2\1\0\\"#, nil),
            ("(a)(b)", "plain text", nil),
            (
                "(a)", #"\1\2"#,
                "Rewrite schema requests 2 matches, but the regexp only has 1 parenthesized subexpressions."
            ),
            ("a", #"\1"#, "Rewrite schema requests 1 matches, but the regexp only has 0 parenthesized subexpressions."),
            ("(a)", "x\\", #"Rewrite schema error: '\' not allowed at end."#),
            ("(a)", #"\x"#, #"Rewrite schema error: '\' must be followed by a digit or '\'."#),
            ("(a)", #"\é"#, #"Rewrite schema error: '\' must be followed by a digit or '\'."#),
        ] as [(String, String, String?)]
    )
    func checkRewriteMessages(_ pattern: String, _ rewrite: String, _ expected: String?) throws {
        #expect(try RE2Regex(pattern).checkRewrite(rewrite) == expected)
    }
}
