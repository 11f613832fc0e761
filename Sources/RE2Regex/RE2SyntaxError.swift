/// A pattern that Go's `regexp` (and so Istio's validation) rejects.
///
/// `description` is byte-for-byte what Go's `(*syntax.Error).Error()` prints, so a config
/// validator built on this type reports the same text `istioctl` would.
public struct RE2SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Go's `regexp/syntax.ErrorCode` values; the raw value is Go's message text.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case internalError = "regexp/syntax: internal error"
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        /// Never produced here: a Swift `String` is always valid UTF-8. Kept so the code set matches Go's.
        case invalidUTF8 = "invalid UTF-8"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
        case large = "expression too large"
    }

    public var code: Code
    /// The offending part of the pattern, exactly the substring Go puts between backquotes.
    public var expression: String

    public init(code: Code, expression: String) {
        self.code = code
        self.expression = expression
    }

    public var description: String {
        "error parsing regexp: " + code.rawValue + ": `" + expression + "`"
    }
}
