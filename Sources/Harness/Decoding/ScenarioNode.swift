import Foundation
import Yams

/// A YAML node of a scenario file with its field path, so every error names the file, line and field.
struct ScenarioNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ScenarioFileError {
        ScenarioFileError(file: file, line: line, path: path, message: message)
    }

    func child(_ node: Node, key: String) -> ScenarioNode {
        ScenarioNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    func child(_ node: Node, index: Int) -> ScenarioNode {
        ScenarioNode(node: node, path: "\(path)[\(index)]", file: file)
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var isScalar: Bool { if case .scalar = node { true } else { false } }
    var isMapping: Bool { if case .mapping = node { true } else { false } }
    var isSequence: Bool { if case .sequence = node { true } else { false } }

    var typeDescription: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): "\"\(scalar.string)\""
        }
    }

    // MARK: - Scalars

    func string() throws(ScenarioFileError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string, found \(typeDescription)") }
        return scalar.string
    }

    func int(in range: ClosedRange<Int>? = nil) throws(ScenarioFileError) -> Int {
        let text = try string()
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected an integer, found \(typeDescription)")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func double() throws(ScenarioFileError) -> Double {
        guard let value = Double(try string()) else { throw error("expected a number, found \(typeDescription)") }
        return value
    }

    func bool() throws(ScenarioFileError) -> Bool {
        switch try string() {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("expected true or false, found \(typeDescription)")
        }
    }

    /// `250ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds.
    func duration() throws(ScenarioFileError) -> Duration {
        let text = try string().trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0 {
                return .nanoseconds(Int64(value * scale * 1e9))
            }
        }
        if let seconds = Double(text), seconds >= 0 { return .nanoseconds(Int64(seconds * 1e9)) }
        throw error("expected a duration such as 250ms or 2s, found \(typeDescription)")
    }

    /// `100MB`, `100MiB`, `64KiB`, `1900` (bytes).
    func byteCount(maximum: Int) throws(ScenarioFileError) -> Int {
        let text = try string().replacingOccurrences(of: " ", with: "")
        let units: [(String, Double)] = [
            ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("B", 1),
        ]
        var bytes: Double?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            bytes = Double(text.dropLast(suffix.count)).map { $0 * scale }
            break
        }
        guard let value = bytes ?? Double(text), value >= 0, value <= Double(maximum) else {
            throw error("expected a size up to \(maximum) bytes such as 100MB or 64KiB, found \(typeDescription)")
        }
        return Int(value)
    }

    // MARK: - Collections

    /// The items of a list; a single non-list value counts as a list of one when `singleAllowed`.
    func list(singleAllowed: Bool = false) throws(ScenarioFileError) -> [ScenarioNode] {
        guard case .sequence(let sequence) = node else {
            if singleAllowed, !isNull { return [self] }
            throw error("expected a list, found \(typeDescription)")
        }
        return sequence.enumerated().map { child($1, index: $0) }
    }

    func stringList(singleAllowed: Bool = true) throws(ScenarioFileError) -> [String] {
        var strings: [String] = []
        for item in try list(singleAllowed: singleAllowed) { strings.append(try item.string()) }
        return strings
    }

    /// A mapping whose keys must be among `allowed`; unknown or repeated keys are errors.
    func mapping(_ allowed: [String]) throws(ScenarioFileError) -> ScenarioMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(typeDescription)") }
        var entries: [(String, ScenarioNode)] = []
        for (keyNode, value) in mapping {
            let keyPosition = ScenarioNode(node: keyNode, path: path, file: file)
            let key = try keyPosition.string()
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw child(keyNode, key: key).error("unknown field \"\(key)\" (known: \(known))")
            }
            guard !entries.contains(where: { $0.0 == key }) else {
                throw child(keyNode, key: key).error("field \"\(key)\" is given twice")
            }
            entries.append((key, child(value, key: key)))
        }
        return ScenarioMapping(node: self, entries: entries)
    }

    /// A mapping with free-form string keys (DNS names, header names, label names), in file order.
    func pairs() throws(ScenarioFileError) -> [(key: String, value: ScenarioNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(typeDescription)") }
        var pairs: [(key: String, value: ScenarioNode)] = []
        for (keyNode, value) in mapping {
            let key = try ScenarioNode(node: keyNode, path: path, file: file).string()
            pairs.append((key, child(value, key: key)))
        }
        return pairs
    }

    func stringDictionary() throws(ScenarioFileError) -> [String: String] {
        var dictionary: [String: String] = [:]
        for (key, value) in try pairs() { dictionary[key] = try value.string() }
        return dictionary
    }
}

/// A checked mapping: look fields up by name.
struct ScenarioMapping {
    let node: ScenarioNode
    let entries: [(String, ScenarioNode)]

    /// The value of `key`, nil when absent or null.
    subscript(_ key: String) -> ScenarioNode? {
        entries.first { $0.0 == key }.map(\.1).flatMap { $0.isNull ? nil : $0 }
    }

    func required(_ key: String) throws(ScenarioFileError) -> ScenarioNode {
        guard let value = self[key] else { throw node.error("missing field \"\(key)\"") }
        return value
    }

    var keys: [String] { entries.map(\.0) }
}
