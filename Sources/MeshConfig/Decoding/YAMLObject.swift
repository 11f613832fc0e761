import Yams

/// A YAML mapping whose keys were checked against the fields of one message.
///
/// Every field is known by its lowerCamelCase JSON name; the proto (snake_case) spelling is accepted too, as
/// Istio's own decoder does. The path of each field keeps the spelling the user wrote.
struct YAMLObject {
    let path: FieldPath
    let line: Int?
    private var fields: [String: (spelling: String, value: Node)]

    init(path: FieldPath, line: Int?, fields: [String: (spelling: String, value: Node)]) {
        self.path = path
        self.line = line
        self.fields = fields
    }

    /// The value of a field, nil when absent or explicitly null (proto3: both mean unset).
    func value(_ field: String) -> (path: FieldPath, node: Node)? {
        guard let entry = fields[field], !entry.value.isNull else { return nil }
        return (path.key(entry.spelling), entry.value)
    }

    func has(_ field: String) -> Bool { value(field) != nil }
}

/// The accepted spellings of a message's fields: each camelCase name and its snake_case form (Istio's kinds),
/// or the JSON names alone (Kubernetes kinds).
struct FieldSet: Sendable {
    let spellings: [String: String]

    init(_ camelCaseNames: [String]) {
        var spellings: [String: String] = [:]
        for name in camelCaseNames {
            spellings[name] = name
            spellings[Self.snakeCase(name)] = name
        }
        self.spellings = spellings
    }

    /// The fields of a Kubernetes kind: its JSON names only, as the API server's strict decoding takes them.
    init(kubernetes jsonNames: [String]) {
        spellings = Dictionary(uniqueKeysWithValues: jsonNames.map { ($0, $0) })
    }

    private static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension Node {
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return tag.description == Tag.Name.null.rawValue
    }

    var line: Int? { mark?.line }

    /// What a user would call this node's type, for "expected X, found Y" messages.
    var typeDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch tag.description {
            case Tag.Name.int.rawValue: return "an integer"
            case Tag.Name.float.rawValue: return "a number"
            case Tag.Name.bool.rawValue: return "a boolean"
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.timestamp.rawValue: return "a timestamp"
            default: return "a string"
            }
        }
    }
}
