import Foundation

/// Splits a documented shell line at its unquoted `|` and `<<`, which `ShellWords` leaves to the harness.
enum ShellPipeline {
    /// The commands of a pipeline, trimmed (`curl ... | grep -o "x"` → two commands).
    static func commands(_ line: String) -> [String] {
        split(line, at: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The command before an unquoted here-document operator and its delimiter (`EOF` for `<<EOF`,
    /// `<<'EOF'`, `<<"EOF"` and `<<-EOF`); nil when the line has none.
    static func hereDocument(_ line: String) -> (command: String, delimiter: String, stripsTabs: Bool)? {
        let parts = split(line, at: "<<")
        guard parts.count == 2 else { return nil }
        var delimiter = parts[1].trimmingCharacters(in: .whitespaces)
        let stripsTabs = delimiter.hasPrefix("-")
        if stripsTabs { delimiter.removeFirst() }
        delimiter = delimiter.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard !delimiter.isEmpty, !delimiter.contains(" ") else { return nil }
        return (parts[0].trimmingCharacters(in: .whitespaces), delimiter, stripsTabs)
    }

    private static func split(_ line: String, at separator: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if escaped {
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if line[index...].hasPrefix(separator) {
                parts.append(current)
                current = ""
                index = line.index(index, offsetBy: separator.count)
                continue
            }
            current.append(character)
            index = line.index(after: index)
        }
        parts.append(current)
        return parts
    }
}
