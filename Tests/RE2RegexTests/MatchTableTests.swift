// Full and partial (first) match results for Go's regexp/find_test.go findTests and RE2's
// re2/testing/search_test.cc simple_tests (those Go accepts: not \C). Expected values were
// produced by Go 1.23 and agree with RE2's own FullMatch and unanchored Match on every row.
// `first` holds byte offsets (UTF-8) of the whole match and each group; -1 = did not take part.

import RE2Regex
import Testing

struct MatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let text: String
    let full: Bool
    let first: [Int]?

    init(_ pattern: String, _ text: String, full: Bool, first: [Int]?) {
        self.pattern = pattern
        self.text = text
        self.full = full
        self.first = first
    }

    var testDescription: String { "\(pattern) on \(text.debugDescription)" }
}

/// Byte offsets of a firstMatch result, in the table's form.
func offsets(_ m: [Range<Substring.Index>?]?, in text: Substring) -> [Int]? {
    guard let m else { return nil }
    var out: [Int] = []
    for g in m {
        if let g {
            out.append(text.utf8.distance(from: text.startIndex, to: g.lowerBound))
            out.append(text.utf8.distance(from: text.startIndex, to: g.upperBound))
        } else {
            out.append(-1)
            out.append(-1)
        }
    }
    return out
}

@Suite("Match results agree with Go and RE2")
struct MatchTableTests {
    static let cases: [MatchCase] = [
        MatchCase("", "", full: true, first: [0, 0]),
        MatchCase("^abcdefg", "abcdefg", full: true, first: [0, 7]),
        MatchCase("a+", "baaab", full: false, first: [1, 4]),
        MatchCase("abcd..", "abcdef", full: true, first: [0, 6]),
        MatchCase("a", "a", full: true, first: [0, 1]),
        MatchCase("x", "y", full: false, first: nil),
        MatchCase("b", "abc", full: false, first: [1, 2]),
        MatchCase(".", "a", full: true, first: [0, 1]),
        MatchCase(".*", "abcdef", full: true, first: [0, 6]),
        MatchCase("^", "abcde", full: false, first: [0, 0]),
        MatchCase("$", "abcde", full: false, first: [5, 5]),
        MatchCase("^abcd$", "abcd", full: true, first: [0, 4]),
        MatchCase("^bcd'", "abcdef", full: false, first: nil),
        MatchCase("^abcd$", "abcde", full: false, first: nil),
        MatchCase("a*", "baaab", full: false, first: [0, 0]),
        MatchCase("[a-z]+", "abcd", full: true, first: [0, 4]),
        MatchCase("[^a-z]+", "ab1234cd", full: false, first: [2, 6]),
        MatchCase("[a\\-\\]z]+", "az]-bcz", full: false, first: [0, 4]),
        MatchCase("[^\\n]+", "abcd\n", full: false, first: [0, 4]),
        MatchCase("[日本語]+", "日本語日本語", full: true, first: [0, 18]),
        MatchCase("日本語+", "日本語", full: true, first: [0, 9]),
        MatchCase("日本語+", "日本語語語語", full: true, first: [0, 18]),
        MatchCase("()", "", full: true, first: [0, 0, 0, 0]),
        MatchCase("(a)", "a", full: true, first: [0, 1, 0, 1]),
        MatchCase("(.)(.)", "日a", full: true, first: [0, 4, 0, 3, 3, 4]),
        MatchCase("(.*)", "", full: true, first: [0, 0, 0, 0]),
        MatchCase("(.*)", "abcd", full: true, first: [0, 4, 0, 4]),
        MatchCase("(..)(..)", "abcd", full: true, first: [0, 4, 0, 2, 2, 4]),
        MatchCase("(([^xyz]*)(d))", "abcd", full: true, first: [0, 4, 0, 4, 0, 3, 3, 4]),
        MatchCase("((a|b|c)*(d))", "abcd", full: true, first: [0, 4, 0, 4, 2, 3, 3, 4]),
        MatchCase("(((a|b|c)*)(d))", "abcd", full: true, first: [0, 4, 0, 4, 0, 3, 2, 3, 3, 4]),
        MatchCase("\\a\\f\\n\\r\\t\\v", "\u{7}\u{c}\n\r\t\u{b}", full: true, first: [0, 6]),
        MatchCase("[\\a\\f\\n\\r\\t\\v]+", "\u{7}\u{c}\n\r\t\u{b}", full: true, first: [0, 6]),
        MatchCase("a*(|(b))c*", "aacc", full: true, first: [0, 4, 2, 2, -1, -1]),
        MatchCase("(.*).*", "ab", full: true, first: [0, 2, 0, 2]),
        MatchCase("[.]", ".", full: true, first: [0, 1]),
        MatchCase("/$", "/abc/", full: false, first: [4, 5]),
        MatchCase("/$", "/abc", full: false, first: nil),
        MatchCase(".", "abc", full: false, first: [0, 1]),
        MatchCase("(.)", "abc", full: false, first: [0, 1, 0, 1]),
        MatchCase(".(.)", "abcd", full: false, first: [0, 2, 1, 2]),
        MatchCase("ab*", "abbaab", full: false, first: [0, 3]),
        MatchCase("a(b*)", "abbaab", full: false, first: [0, 3, 1, 3]),
        MatchCase("ab$", "cab", full: false, first: [1, 3]),
        MatchCase("axxb$", "axxcb", full: false, first: nil),
        MatchCase("data", "daXY data", full: false, first: [5, 9]),
        MatchCase("da(.)a$", "daXY data", full: false, first: [5, 9, 7, 8]),
        MatchCase("zx+", "zzx", full: false, first: [1, 3]),
        MatchCase("ab$", "abcab", full: false, first: [3, 5]),
        MatchCase("(aa)*$", "a", full: false, first: [1, 1, -1, -1]),
        MatchCase("(?:.|(?:.a))", "", full: false, first: nil),
        MatchCase("(?:A(?:A|a))", "Aa", full: true, first: [0, 2]),
        MatchCase("(?:A|(?:A|a))", "a", full: true, first: [0, 1]),
        MatchCase("(a){0}", "", full: true, first: [0, 0, -1, -1]),
        MatchCase("(?-s)(?:(?:^).)", "\n", full: false, first: nil),
        MatchCase("(?s)(?:(?:^).)", "\n", full: true, first: [0, 1]),
        MatchCase("(?:(?:^).)", "\n", full: false, first: nil),
        MatchCase("\\b", "x", full: false, first: [0, 0]),
        MatchCase("\\b", "xx", full: false, first: [0, 0]),
        MatchCase("\\b", "x y", full: false, first: [0, 0]),
        MatchCase("\\b", "xx yy", full: false, first: [0, 0]),
        MatchCase("\\B", "x", full: false, first: nil),
        MatchCase("\\B", "xx", full: false, first: [1, 1]),
        MatchCase("\\B", "x y", full: false, first: nil),
        MatchCase("\\B", "xx yy", full: false, first: [1, 1]),
        MatchCase("(|a)*", "aa", full: true, first: [0, 0, 0, 0]),
        MatchCase("[^\\S\\s]", "abcd", full: false, first: nil),
        MatchCase("[^\\S[:space:]]", "abcd", full: false, first: nil),
        MatchCase("[^\\D\\d]", "abcd", full: false, first: nil),
        MatchCase("[^\\D[:digit:]]", "abcd", full: false, first: nil),
        MatchCase("(?i)\\W", "x", full: false, first: nil),
        MatchCase("(?i)\\W", "k", full: false, first: nil),
        MatchCase("(?i)\\W", "s", full: false, first: nil),
        MatchCase(
            "\\!\\\"\\#\\$\\%\\&\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\{\\|\\}\\~",
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_{|}~",
            full: true,
            first: [0, 31]
        ),
        MatchCase(
            "[\\!\\\"\\#\\$\\%\\&\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\{\\|\\}\\~]+",
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_{|}~",
            full: true,
            first: [0, 31]
        ),
        MatchCase("\\`", "`", full: true, first: [0, 1]),
        MatchCase("[\\`]+", "`", full: true, first: [0, 1]),
        MatchCase("�", "�", full: true, first: [0, 3]),
        MatchCase("�", "hello�world", full: false, first: [5, 8]),
        MatchCase(".*", "hello�world", full: true, first: [0, 13]),
        MatchCase("\\x{fffd}", "�\u{0}", full: false, first: [0, 3]),
        MatchCase("[�]", "�", full: true, first: [0, 3]),
        MatchCase("[\\x{fffd}]", "�\u{0}", full: false, first: [0, 3]),
        MatchCase(".", "qwertyuiopasdfghjklzxcvbnm1234567890", full: false, first: [0, 1]),
        MatchCase("a", "zyzzyva", full: false, first: [6, 7]),
        MatchCase("a+", "aa", full: true, first: [0, 2]),
        MatchCase("(a+|b)+", "ab", full: true, first: [0, 2, 1, 2]),
        MatchCase("ab|cd", "xabcdx", full: false, first: [1, 3]),
        MatchCase("h.*od?", "hello\ngoodbye\n", full: false, first: [0, 5]),
        MatchCase("h.*o", "hello\ngoodbye\n", full: false, first: [0, 5]),
        MatchCase("h.*o", "goodbye\nhello\n", full: false, first: [8, 13]),
        MatchCase("h.*o", "hello world", full: false, first: [0, 8]),
        MatchCase("h.*o", "othello, world", full: false, first: [2, 11]),
        MatchCase("[^\\s\\S]", "aaaaaaa", full: false, first: nil),
        MatchCase("a", "aaaaaaa", full: false, first: [0, 1]),
        MatchCase("a*", "aaaaaaa", full: true, first: [0, 7]),
        MatchCase("a*", "", full: true, first: [0, 0]),
        MatchCase("a", "cab", full: false, first: [1, 2]),
        MatchCase("a*b", "cab", full: false, first: [1, 3]),
        MatchCase(
            "((((((((((((((((((((x))))))))))))))))))))",
            "x",
            full: true,
            first: [
                0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0,
                1, 0, 1, 0, 1, 0, 1,
            ]
        ),
        MatchCase("[abcd]", "xxxabcdxxx", full: false, first: [3, 4]),
        MatchCase("[^x]", "xxxabcdxxx", full: false, first: [3, 4]),
        MatchCase("[abcd]+", "xxxabcdxxx", full: false, first: [3, 7]),
        MatchCase("[^x]+", "xxxabcdxxx", full: false, first: [3, 7]),
        MatchCase("(fo|foo)", "fo", full: true, first: [0, 2, 0, 2]),
        MatchCase("(foo|fo)", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("aa", "aA", full: false, first: nil),
        MatchCase("a", "Aa", full: false, first: [1, 2]),
        MatchCase("a", "A", full: false, first: nil),
        MatchCase("ABC", "abc", full: false, first: nil),
        MatchCase("abc", "XABCY", full: false, first: nil),
        MatchCase("ABC", "xabcy", full: false, first: nil),
        MatchCase("foo|bar|[A-Z]", "foo", full: true, first: [0, 3]),
        MatchCase("^(foo|bar|[A-Z])", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("(foo|bar|[A-Z])$", "foo\n", full: false, first: nil),
        MatchCase("(foo|bar|[A-Z])$", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("^(foo|bar|[A-Z])$", "foo\n", full: false, first: nil),
        MatchCase("^(foo|bar|[A-Z])$", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("^(foo|bar|[A-Z])$", "bar", full: true, first: [0, 3, 0, 3]),
        MatchCase("^(foo|bar|[A-Z])$", "X", full: true, first: [0, 1, 0, 1]),
        MatchCase("^(foo|bar|[A-Z])$", "XY", full: false, first: nil),
        MatchCase("^(fo|foo)$", "fo", full: true, first: [0, 2, 0, 2]),
        MatchCase("^(fo|foo)$", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("^^(fo|foo)$", "fo", full: true, first: [0, 2, 0, 2]),
        MatchCase("^^(fo|foo)$", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("^$", "", full: true, first: [0, 0]),
        MatchCase("^$", "x", full: false, first: nil),
        MatchCase("^^$", "", full: true, first: [0, 0]),
        MatchCase("^$$", "", full: true, first: [0, 0]),
        MatchCase("^^$", "x", full: false, first: nil),
        MatchCase("^$$", "x", full: false, first: nil),
        MatchCase("^^$$", "", full: true, first: [0, 0]),
        MatchCase("^^$$", "x", full: false, first: nil),
        MatchCase("^^^^^^^^$$$$$$$$", "", full: true, first: [0, 0]),
        MatchCase("^", "x", full: false, first: [0, 0]),
        MatchCase("$", "x", full: false, first: [1, 1]),
        MatchCase("\\bfoo\\b", "nofoo foo that", full: false, first: [6, 9]),
        MatchCase("a\\b", "faoa x", full: false, first: [3, 4]),
        MatchCase("\\bbar", "bar x", full: false, first: [0, 3]),
        MatchCase("\\bbar", "foo\nbar x", full: false, first: [4, 7]),
        MatchCase("bar\\b", "foobar", full: false, first: [3, 6]),
        MatchCase("bar\\b", "foobar\nxxx", full: false, first: [3, 6]),
        MatchCase("(foo|bar|[A-Z])\\b", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("(foo|bar|[A-Z])\\b", "foo\n", full: false, first: [0, 3, 0, 3]),
        MatchCase("\\b", "", full: false, first: nil),
        MatchCase("\\b(foo|bar|[A-Z])", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "X", full: true, first: [0, 1, 0, 1]),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "XY", full: false, first: nil),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "bar", full: true, first: [0, 3, 0, 3]),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "foo\n", full: false, first: [0, 3, 0, 3]),
        MatchCase("\\b(foo|bar|[A-Z])\\b", "ffoo bbar N x", full: false, first: [10, 11, 10, 11]),
        MatchCase("\\b(fo|foo)\\b", "fo", full: true, first: [0, 2, 0, 2]),
        MatchCase("\\b(fo|foo)\\b", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("\\b\\b", "", full: false, first: nil),
        MatchCase("\\b\\b", "x", full: false, first: [0, 0]),
        MatchCase("\\b$", "", full: false, first: nil),
        MatchCase("\\b$", "x", full: false, first: [1, 1]),
        MatchCase("\\b$", "y x", full: false, first: [3, 3]),
        MatchCase("\\b.$", "x", full: true, first: [0, 1]),
        MatchCase("^\\b(fo|foo)\\b", "fo", full: true, first: [0, 2, 0, 2]),
        MatchCase("^\\b(fo|foo)\\b", "foo", full: true, first: [0, 3, 0, 3]),
        MatchCase("^\\b", "", full: false, first: nil),
        MatchCase("^\\b", "x", full: false, first: [0, 0]),
        MatchCase("^\\b\\b", "", full: false, first: nil),
        MatchCase("^\\b\\b", "x", full: false, first: [0, 0]),
        MatchCase("^\\b$", "", full: false, first: nil),
        MatchCase("^\\b$", "x", full: false, first: nil),
        MatchCase("^\\b.$", "x", full: true, first: [0, 1]),
        MatchCase("^\\b.\\b$", "x", full: true, first: [0, 1]),
        MatchCase("^^^^^^^^\\b$$$$$$$", "", full: false, first: nil),
        MatchCase("^^^^^^^^\\b.$$$$$$", "x", full: true, first: [0, 1]),
        MatchCase("^^^^^^^^\\b$$$$$$$", "x", full: false, first: nil),
        MatchCase("\\Bfoo\\B", "n foo xfoox that", full: false, first: [7, 10]),
        MatchCase("a\\B", "faoa x", full: false, first: [1, 2]),
        MatchCase("\\Bbar", "bar x", full: false, first: nil),
        MatchCase("\\Bbar", "foo\nbar x", full: false, first: nil),
        MatchCase("bar\\B", "foobar", full: false, first: nil),
        MatchCase("bar\\B", "foobar\nxxx", full: false, first: nil),
        MatchCase("(foo|bar|[A-Z])\\B", "foox", full: false, first: [0, 3, 0, 3]),
        MatchCase("(foo|bar|[A-Z])\\B", "foo\n", full: false, first: nil),
        MatchCase("\\B", "", full: true, first: [0, 0]),
        MatchCase("\\B(foo|bar|[A-Z])", "foo", full: false, first: nil),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "xXy", full: false, first: [1, 2, 1, 2]),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "XY", full: false, first: nil),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "XYZ", full: false, first: [1, 2, 1, 2]),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "abara", full: false, first: [1, 4, 1, 4]),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "xfoo_", full: false, first: [1, 4, 1, 4]),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "xfoo\n", full: false, first: nil),
        MatchCase("\\B(foo|bar|[A-Z])\\B", "foo bar vNx", full: false, first: [9, 10, 9, 10]),
        MatchCase("\\B(fo|foo)\\B", "xfoo", full: false, first: [1, 3, 1, 3]),
        MatchCase("\\B(foo|fo)\\B", "xfooo", full: false, first: [1, 4, 1, 4]),
        MatchCase("\\B\\B", "", full: true, first: [0, 0]),
        MatchCase("\\B\\B", "x", full: false, first: nil),
        MatchCase("\\B$", "", full: true, first: [0, 0]),
        MatchCase("\\B$", "x", full: false, first: nil),
        MatchCase("\\B$", "y x", full: false, first: nil),
        MatchCase("\\B.$", "x", full: false, first: nil),
        MatchCase("^\\B(fo|foo)\\B", "fo", full: false, first: nil),
        MatchCase("^\\B(fo|foo)\\B", "foo", full: false, first: nil),
        MatchCase("^\\B", "", full: true, first: [0, 0]),
        MatchCase("^\\B", "x", full: false, first: nil),
        MatchCase("^\\B\\B", "", full: true, first: [0, 0]),
        MatchCase("^\\B\\B", "x", full: false, first: nil),
        MatchCase("^\\B$", "", full: true, first: [0, 0]),
        MatchCase("^\\B$", "x", full: false, first: nil),
        MatchCase("^\\B.$", "x", full: false, first: nil),
        MatchCase("^\\B.\\B$", "x", full: false, first: nil),
        MatchCase("^^^^^^^^\\B$$$$$$$", "", full: true, first: [0, 0]),
        MatchCase("^^^^^^^^\\B.$$$$$$", "x", full: false, first: nil),
        MatchCase("^^^^^^^^\\B$$$$$$$", "x", full: false, first: nil),
        MatchCase("\\bx\\b", "x", full: true, first: [0, 1]),
        MatchCase("\\bx\\b", "x>", full: false, first: [0, 1]),
        MatchCase("\\bx\\b", "<x", full: false, first: [1, 2]),
        MatchCase("\\bx\\b", "<x>", full: false, first: [1, 2]),
        MatchCase("\\bx\\b", "ax", full: false, first: nil),
        MatchCase("\\bx\\b", "xb", full: false, first: nil),
        MatchCase("\\bx\\b", "axb", full: false, first: nil),
        MatchCase("\\bx\\b", "«x", full: false, first: [2, 3]),
        MatchCase("\\bx\\b", "x»", full: false, first: [0, 1]),
        MatchCase("\\bx\\b", "«x»", full: false, first: [2, 3]),
        MatchCase("\\bx\\b", "áxβ", full: false, first: [2, 3]),
        MatchCase("\\Bx\\B", "axb", full: false, first: [1, 2]),
        MatchCase("\\Bx\\B", "áxβ", full: false, first: nil),
        MatchCase("^$^$", "", full: true, first: [0, 0]),
        MatchCase("^$^", "", full: true, first: [0, 0]),
        MatchCase("$^$", "", full: true, first: [0, 0]),
        MatchCase("^$^$", "x", full: false, first: nil),
        MatchCase("^$^", "x", full: false, first: nil),
        MatchCase("$^$", "x", full: false, first: nil),
        MatchCase("^$^$", "x\ny", full: false, first: nil),
        MatchCase("^$^", "x\ny", full: false, first: nil),
        MatchCase("$^$", "x\ny", full: false, first: nil),
        MatchCase("^$^$", "x\n\ny", full: false, first: nil),
        MatchCase("^$^", "x\n\ny", full: false, first: nil),
        MatchCase("$^$", "x\n\ny", full: false, first: nil),
        MatchCase("^(foo\\$)$", "foo$bar", full: false, first: nil),
        MatchCase("(foo\\$)", "foo$bar", full: false, first: [0, 4, 0, 4]),
        MatchCase("^...$", "abc", full: true, first: [0, 3]),
        MatchCase("^本$", "本", full: true, first: [0, 3]),
        MatchCase("^...$", "日本語", full: true, first: [0, 9]),
        MatchCase("^...$", ".本.", full: true, first: [0, 5]),
        MatchCase("^.........$", "日本語", full: false, first: nil),
        MatchCase("^.....$", ".本.", full: false, first: nil),
        MatchCase("\\B(fo|foo)\\B", "xfooo", full: false, first: [1, 3, 1, 3]),
        MatchCase("(fo|foo)", "foo", full: true, first: [0, 2, 0, 2]),
        MatchCase("\\141", "a", full: true, first: [0, 1]),
        MatchCase("\\060", "0", full: true, first: [0, 1]),
        MatchCase("\\0600", "00", full: true, first: [0, 2]),
        MatchCase("\\608", "08", full: true, first: [0, 2]),
        MatchCase("\\01", "\u{1}", full: true, first: [0, 1]),
        MatchCase("\\x{61}", "a", full: true, first: [0, 1]),
        MatchCase("\\x61", "a", full: true, first: [0, 1]),
        MatchCase("\\x{00000061}", "a", full: true, first: [0, 1]),
        MatchCase("\\p{Greek}+", "aαβb", full: false, first: [1, 5]),
        MatchCase("\\P{Greek}+", "aαβb", full: false, first: [0, 1]),
        MatchCase("\\p{^Greek}+", "aαβb", full: false, first: [0, 1]),
        MatchCase("\\P{^Greek}+", "aαβb", full: false, first: [1, 5]),
        MatchCase("[^0-9]+", "abc123", full: false, first: [0, 3]),
        MatchCase("\\p{Nd}+", "abc123²³¼½¾₀₉", full: false, first: [3, 6]),
        MatchCase("\\p{^Nd}+", "abc123²³¼½¾₀₉", full: false, first: [0, 3]),
        MatchCase("\\P{Nd}+", "abc123²³¼½¾₀₉", full: false, first: [0, 3]),
        MatchCase("\\P{^Nd}+", "abc123²³¼½¾₀₉", full: false, first: [3, 6]),
        MatchCase("\\pN+", "abc123²³¼½¾₀₉", full: false, first: [3, 22]),
        MatchCase("\\p{N}+", "abc123²³¼½¾₀₉", full: false, first: [3, 22]),
        MatchCase("\\p{^N}+", "abc123²³¼½¾₀₉", full: false, first: [0, 3]),
        MatchCase("\\p{Any}+", "abc123", full: true, first: [0, 6]),
        MatchCase("(?i)[@-A]+", "@AaB", full: false, first: [0, 3]),
        MatchCase("(?i)[A-Z]+", "aAzZ", full: true, first: [0, 4]),
        MatchCase("(?i)[^\\\\]+", "Aa\\", full: false, first: [0, 2]),
        MatchCase("(?i)[\\\\]+", "Aa", full: false, first: nil),
        MatchCase("(?i)[acegikmoqsuwy]+", "acegikmoqsuwyACEGIKMOQSUWY", full: true, first: [0, 26]),
        MatchCase("[@-A]+", "@AaB", full: false, first: [0, 2]),
        MatchCase("[A-Z]+", "aAzZ", full: false, first: [1, 2]),
        MatchCase("[^\\\\]+", "Aa\\", full: false, first: [0, 2]),
        MatchCase("[acegikmoqsuwy]+", "acegikmoqsuwyACEGIKMOQSUWY", full: false, first: [0, 13]),
        MatchCase("^abc", "abcdef", full: false, first: [0, 3]),
        MatchCase("^abc", "aabcdef", full: false, first: nil),
        MatchCase("^[ay]*[bx]+c", "abcdef", full: false, first: [0, 3]),
        MatchCase("^[ay]*[bx]+c", "aabcdef", full: false, first: [0, 4]),
        MatchCase("def$", "abcdef", full: false, first: [3, 6]),
        MatchCase("def$", "abcdeff", full: false, first: nil),
        MatchCase("d[ex][fy]$", "abcdef", full: false, first: [3, 6]),
        MatchCase("d[ex][fy]$", "abcdeff", full: false, first: nil),
        MatchCase("[dz][ex][fy]$", "abcdef", full: false, first: [3, 6]),
        MatchCase("[dz][ex][fy]$", "abcdeff", full: false, first: nil),
        MatchCase("(?m)^abc", "abcdef", full: false, first: [0, 3]),
        MatchCase("(?m)^abc", "aabcdef", full: false, first: nil),
        MatchCase("(?m)^[ay]*[bx]+c", "abcdef", full: false, first: [0, 3]),
        MatchCase("(?m)^[ay]*[bx]+c", "aabcdef", full: false, first: [0, 4]),
        MatchCase("(?m)def$", "abcdef", full: false, first: [3, 6]),
        MatchCase("(?m)def$", "abcdeff", full: false, first: nil),
        MatchCase("(?m)d[ex][fy]$", "abcdef", full: false, first: [3, 6]),
        MatchCase("(?m)d[ex][fy]$", "abcdeff", full: false, first: nil),
        MatchCase("(?m)[dz][ex][fy]$", "abcdef", full: false, first: [3, 6]),
        MatchCase("(?m)[dz][ex][fy]$", "abcdeff", full: false, first: nil),
        MatchCase("^", "a", full: false, first: [0, 0]),
        MatchCase("^^", "a", full: false, first: [0, 0]),
        MatchCase("ab*", "a", full: true, first: [0, 1]),
        MatchCase("\\w*I\\w*", "Inc.", full: false, first: [0, 3]),
        MatchCase("(?:|a)*", "aaa", full: true, first: [0, 0]),
        MatchCase("(?:|a)+", "aaa", full: true, first: [0, 0]),
    ]

    @Test("fullMatch and firstMatch agree with Go and RE2", arguments: cases)
    func matchesLikeGoAndRE2(_ c: MatchCase) throws {
        let re = try RE2Regex(c.pattern)
        #expect(re.fullMatch(c.text) == c.full)
        #expect(re.fullMatch(c.text[...]) == c.full)
        #expect(offsets(re.firstMatch(in: c.text[...]), in: c.text[...]) == c.first)
        #expect(re.partialMatch(c.text) == (c.first != nil))
    }

    @Test("a Substring is matched on its own: ^, $ and \\b see its ends, ranges index the base string")
    func substringIsTheWholeText() throws {
        let base = "xx/api/v2/users/alice yy"
        let start = base.index(base.startIndex, offsetBy: 2)
        let end = base.index(base.endIndex, offsetBy: -3)
        let slice = base[start..<end]
        let re = try RE2Regex(#"^/api/v(\d+)/users/([^/]+)$"#)
        #expect(re.fullMatch(slice))
        let m = try #require(re.firstMatch(in: slice))
        #expect(m.count == 3)
        #expect(m[0] == slice.startIndex..<slice.endIndex)
        #expect(m[1].map { String(base[$0]) } == "2")
        #expect(m[2].map { String(base[$0]) } == "alice")
        // In the base string a \B holds before the second x; in the slice that x starts the text.
        let fromSecondX = base[base.index(after: base.startIndex)...]
        #expect(try RE2Regex(#"\Bx"#).firstMatch(in: fromSecondX) == nil)
        #expect(try RE2Regex("^x/").partialMatch(fromSecondX))
    }

    @Test("the literal fast path behaves like the general engine")
    func literalPatterns() throws {
        let re = try RE2Regex("/healthz")
        #expect(re.fullMatch("/healthz"))
        #expect(!re.fullMatch("/healthz/"))
        #expect(!re.fullMatch("/health"))
        #expect(re.partialMatch("GET /healthz HTTP/1.1"))
        let text = "GET /healthz HTTP/1.1"
        #expect(offsets(re.firstMatch(in: text[...]), in: text[...]) == [4, 12])
        let empty = try RE2Regex("")
        #expect(empty.fullMatch(""))
        #expect(!empty.fullMatch("a"))
        #expect(offsets(empty.firstMatch(in: "abc"[...]), in: "abc"[...]) == [0, 0])
    }

    @Test("a class that matches nothing never matches")
    func emptyClass() throws {
        let re = try RE2Regex(#"[^\x00-\x{10FFFF}]"#)
        #expect(!re.fullMatch(""))
        #expect(!re.partialMatch("abc"))
        #expect(re.firstMatch(in: "abc") == nil)
        #expect(re.replacingAll(in: "abc", with: "x") == "abc")
    }
}
