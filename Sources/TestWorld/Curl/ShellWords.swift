/// Splits a command line into words the way a POSIX shell does for simple commands: single and double
/// quotes, backslash escapes, and `$NAME` / `${NAME}` expansion from a given environment. Expansions are
/// not re-split into words (as if always quoted). Pipes, redirections, command substitution and control
/// operators are refused: the harness handles those itself.
public enum ShellWords {
    /// The words of `line`, with variables taken from `environment`.
    public static func split(_ line: String, environment: [String: String]) throws(ShellWordsError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line[...]

        func expandVariable() throws(ShellWordsError) {
            // Called just after a `$`.
            if characters.first == "{" {
                guard let close = characters.firstIndex(of: "}") else { throw .unterminated("${") }
                let name = String(characters[characters.index(after: characters.startIndex)..<close])
                guard isName(name) else { throw .badSubstitution("${\(name)}") }
                characters = characters[characters.index(after: close)...]
                word += try value(of: name)
            } else if let first = characters.first, first == "_" || first.isASCIILetter {
                let name = String(characters.prefix { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit })
                characters = characters.dropFirst(name.count)
                word += try value(of: name)
            } else if characters.first == "(" {
                throw .unsupported("$(")
            } else {
                word += "$"
            }
        }

        func value(of name: String) throws(ShellWordsError) -> String {
            guard let value = environment[name] else { throw .undefinedVariable(name) }
            return value
        }

        while let character = characters.popFirst() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "\\":
                guard let next = characters.popFirst() else { throw .unterminated("\\") }
                if next != "\n" {
                    word.append(next)
                    inWord = true
                }
            case "'":
                guard let close = characters.firstIndex(of: "'") else { throw .unterminated("'") }
                word += characters[..<close]
                characters = characters[characters.index(after: close)...]
                inWord = true
            case "\"":
                inWord = true
                var closed = false
                while let inner = characters.popFirst() {
                    if inner == "\"" {
                        closed = true
                        break
                    } else if inner == "\\", let next = characters.first, "$`\"\\\n".contains(next) {
                        characters.removeFirst()
                        if next != "\n" { word.append(next) }
                    } else if inner == "$" {
                        try expandVariable()
                    } else if inner == "`" {
                        throw .unsupported("`")
                    } else {
                        word.append(inner)
                    }
                }
                guard closed else { throw .unterminated("\"") }
            case "$":
                inWord = true
                try expandVariable()
            case "|", "&", ";", "<", ">", "`", "(", ")":
                throw .unsupported(String(character))
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || first.isASCIILetter else { return false }
        return text.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit }
    }
}

/// A command line the harness's word splitter cannot take.
public enum ShellWordsError: Error, Hashable, CustomStringConvertible {
    /// A quote, `${` or trailing backslash is not closed.
    case unterminated(String)
    /// `$NAME` names a variable the environment does not set.
    case undefinedVariable(String)
    /// `${...}` holds something other than a variable name.
    case badSubstitution(String)
    /// A shell operator (pipe, redirection, substitution, control operator).
    case unsupported(String)

    public var description: String {
        switch self {
        case .unterminated(let opener): "unterminated \(opener) in command line"
        case .undefinedVariable(let name): "the command line uses $\(name), which is not set"
        case .badSubstitution(let text): "bad substitution \(text) in command line"
        case .unsupported(let token):
            "shell syntax '\(token)' is not supported in a curl command line (only words, quotes and $VARIABLES)"
        }
    }
}

extension Character {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
