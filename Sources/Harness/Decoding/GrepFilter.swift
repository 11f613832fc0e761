import Foundation
import TestWorld

/// `grep [-o] [-i] [-E|-F] PATTERN` applied to a command's output, as the docs pipe curl into it.
public struct GrepFilter: Sendable, Hashable {
    public var pattern: String
    /// `-o`: print each match instead of each matching line.
    public var onlyMatching: Bool
    public var ignoreCase: Bool
    /// `-F`: the pattern is a fixed string.
    public var fixed: Bool
    /// `-E`: extended regex; otherwise basic (POSIX BRE).
    public var extended: Bool

    /// Parses `grep ...` words.
    init(words: [String]) throws(GrepFilterError) {
        guard words.first == "grep" else { throw .notGrep(words.first ?? "") }
        var pattern: String?
        var onlyMatching = false
        var ignoreCase = false
        var fixed = false
        var extended = false
        for word in words.dropFirst() {
            if word.hasPrefix("-"), word.count > 1, pattern == nil {
                for flag in word.dropFirst() {
                    switch flag {
                    case "o": onlyMatching = true
                    case "i": ignoreCase = true
                    case "F": fixed = true
                    case "E": extended = true
                    default: throw .unsupportedOption("-\(flag)")
                    }
                }
            } else if pattern == nil {
                pattern = word
            } else {
                throw .unsupportedOption(word)
            }
        }
        guard let pattern else { throw .missingPattern }
        self.pattern = pattern
        self.onlyMatching = onlyMatching
        self.ignoreCase = ignoreCase
        self.fixed = fixed
        self.extended = extended
        _ = try expression()
    }

    func expression() throws(GrepFilterError) -> NSRegularExpression {
        let source =
            fixed
            ? NSRegularExpression.escapedPattern(for: pattern) : extended ? pattern : Self.fromBasic(pattern)
        do {
            return try NSRegularExpression(pattern: source, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw .badPattern(pattern)
        }
    }

    /// What grep prints for `input`: matching lines, or with `-o` every match, one per line.
    public func apply(to input: String) -> String {
        guard let expression = try? expression() else { return "" }
        var output: [String] = []
        for line in input.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
            guard !matches.isEmpty else { continue }
            if onlyMatching {
                for match in matches where match.range.length > 0 {
                    if let range = Range(match.range, in: text) { output.append(String(text[range])) }
                }
            } else {
                output.append(text)
            }
        }
        return output.map { $0 + "\n" }.joined()
    }

    /// POSIX basic regex to ICU: `\(`, `\)`, `\{`, `\}`, `\|`, `\+`, `\?` are the operators, and the bare
    /// characters are literals.
    static func fromBasic(_ pattern: String) -> String {
        var result = ""
        var escaped = false
        for character in pattern {
            if escaped {
                escaped = false
                if "(){}|+?".contains(character) {
                    result.append(character)
                } else {
                    result += "\\" + String(character)
                }
            } else if character == "\\" {
                escaped = true
            } else if "(){}|+?".contains(character) {
                result += "\\" + String(character)
            } else {
                result.append(character)
            }
        }
        if escaped { result += "\\\\" }
        return result
    }
}

public enum GrepFilterError: Error, Hashable, CustomStringConvertible {
    case notGrep(String)
    case unsupportedOption(String)
    case missingPattern
    case badPattern(String)

    public var description: String {
        switch self {
        case .notGrep(let command): "only `grep` may follow curl in a pipeline, not `\(command)`"
        case .unsupportedOption(let option): "grep option \(option) is not supported (use -o, -i, -E, -F)"
        case .missingPattern: "grep needs a pattern"
        case .badPattern(let pattern): "grep pattern \(pattern) is not a valid regular expression"
        }
    }
}
