/// A regular expression with RE2 syntax and semantics, as Istio validates (Go's `regexp`) and
/// Envoy evaluates (RE2) them: leftmost-first submatches, no backreferences or lookaround,
/// and matching time linear in the input whatever the pattern.
///
/// A value type: copies share one immutable compiled program, so it is cheap to store in
/// route tables and safe to use from any number of threads at once.
public struct RE2Regex: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    let compiled: CompiledRegex

    /// Parses and compiles `pattern`; throws Go's error for anything Go's `regexp.Compile` rejects.
    public init(_ pattern: String) throws(RE2SyntaxError) {
        self.pattern = pattern
        self.compiled = try CompiledRegex(pattern)
    }

    /// Number of capturing groups, named ones included (RE2's NumberOfCapturingGroups).
    public var captureGroupCount: Int { compiled.groupCount }

    /// Group names by group number; index 0 (the whole match) and unnamed groups are nil.
    public var captureGroupNames: [String?] { compiled.names }

    public var description: String { pattern }

    public static func == (a: RE2Regex, b: RE2Regex) -> Bool { a.pattern == b.pattern }

    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    // MARK: Matching

    /// RE2::FullMatch: whether the whole of `text` matches.
    public func fullMatch(_ text: Substring) -> Bool {
        var t = text
        return t.withUTF8 { compiled.fullMatch(UTF8Text(bytes: $0)) }
    }

    /// RE2::FullMatch: whether the whole of `text` matches.
    public func fullMatch(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { compiled.fullMatch(UTF8Text(bytes: $0)) }
    }

    /// RE2::PartialMatch-style search: the leftmost-first match, as ranges of `text` for the
    /// whole match (index 0) and each group (nil where a group took no part). Nil if none.
    public func firstMatch(in text: Substring) -> [Range<Substring.Index>?]? {
        var t = text
        guard let offsets = t.withUTF8({ compiled.firstMatch(UTF8Text(bytes: $0)) }) else { return nil }
        let utf8 = text.utf8
        let base = utf8.startIndex
        var result: [Range<Substring.Index>?] = []
        result.reserveCapacity(offsets.count / 2)
        var k = 0
        while k + 1 < offsets.count {
            let a = offsets[k]
            let b = offsets[k + 1]
            if a >= 0 && b >= a {
                result.append(utf8.index(base, offsetBy: a)..<utf8.index(base, offsetBy: b))
            } else {
                result.append(nil)
            }
            k += 2
        }
        return result
    }

    /// Same as `firstMatch(in: Substring)`, for a whole string.
    public func firstMatch(in text: String) -> [Range<String.Index>?]? {
        firstMatch(in: text[...])
    }

    /// Whether some part of `text` matches (RE2::PartialMatch without captures).
    public func partialMatch(_ text: Substring) -> Bool {
        var t = text
        return t.withUTF8 { compiled.containsMatch(UTF8Text(bytes: $0)) }
    }

    /// Whether some part of `text` matches (RE2::PartialMatch without captures).
    public func partialMatch(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { compiled.containsMatch(UTF8Text(bytes: $0)) }
    }

    // MARK: Rewriting

    /// RE2::GlobalReplace: replaces every non-overlapping leftmost-first match. In `rewrite`,
    /// `\0`...`\9` insert capture groups and `\\` a backslash. An empty match right after the
    /// previous match is skipped, as in RE2 (`b*` in "abc" with "x" gives "xaxcx"). If the
    /// rewrite names a group the pattern does not have, nothing is replaced (RE2 returns 0);
    /// an invalid escape ends that rewrite early, as RE2's Rewrite does.
    public func replacingAll(in text: String, with rewrite: String) -> String {
        compiled.replacingAll(in: text, with: rewrite)
    }

    /// RE2::CheckRewriteString: nil when `rewrite` is usable with this pattern, else RE2's message.
    public func checkRewrite(_ rewrite: String) -> String? {
        Rewrite.check(rewrite, groupCount: compiled.groupCount)
    }
}
