import Yams

/// Walks the Yams node tree of one document, collecting every problem (with its path and line) instead of
/// stopping at the first, and bounding the work so an alias bomb cannot make decoding explode.
struct YAMLReader {
    /// Nodes one document may visit. Aliases are expanded by Yams, so this bounds "billion laughs" documents.
    static let nodeBudget = 200_000

    private(set) var diagnostics: [Diagnostic] = []
    private var remainingNodes = Self.nodeBudget
    private var budgetExhausted = false
    /// Kubernetes kinds are decoded as the API server decodes JSON: an integer field takes only an integer,
    /// not the quoted decimal protobuf's JSON mapping also accepts for Istio's kinds.
    var integersMayBeQuoted = true

    var hasErrors: Bool { diagnostics.hasErrors }

    mutating func error(_ message: String, at path: FieldPath, line: Int?) {
        diagnostics.append(.error(message, path: path.description, line: line))
    }

    mutating func warning(_ message: String, at path: FieldPath, line: Int?) {
        diagnostics.append(.warning(message, path: path.description, line: line))
    }

    /// Counts one visited node; false (after one error) once the document is too large to read.
    private mutating func visit(_ path: FieldPath, _ node: Node) -> Bool {
        if remainingNodes > 0 {
            remainingNodes -= 1
            return true
        }
        if !budgetExhausted {
            budgetExhausted = true
            error(
                "document too large: more than \(Self.nodeBudget) YAML nodes (after alias expansion)",
                at: path,
                line: node.line
            )
        }
        return false
    }

    // MARK: Mappings

    /// Reads a mapping whose keys must be among `fields`; unknown and repeated fields are errors.
    mutating func object(_ node: Node, at path: FieldPath, fields: FieldSet) -> YAMLObject? {
        guard visit(path, node) else { return nil }
        guard case .mapping(let mapping) = node else {
            error("expected a mapping, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
        var known: [String: (spelling: String, value: Node)] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                error("a mapping key must be a string, found \(keyNode.typeDescription)", at: path, line: keyNode.line)
                continue
            }
            guard let field = fields.spellings[key.string] else {
                error("unknown field \"\(key.string)\"", at: path.key(key.string), line: keyNode.line)
                continue
            }
            if let earlier = known[field] {
                error(
                    "field \"\(field)\" is given twice (as \"\(earlier.spelling)\" and \"\(key.string)\")",
                    at: path.key(key.string),
                    line: keyNode.line
                )
                continue
            }
            known[field] = (key.string, value)
        }
        return YAMLObject(path: path, line: node.line, fields: known)
    }

    /// Reads a nested message field; nil when absent or on error.
    mutating func message<T>(
        _ object: YAMLObject,
        _ field: String,
        fields: FieldSet,
        _ decode: (inout YAMLReader, YAMLObject) -> T
    ) -> T? {
        guard let (path, node) = object.value(field), let nested = self.object(node, at: path, fields: fields) else {
            return nil
        }
        return decode(&self, nested)
    }

    /// Reads a repeated message field.
    mutating func messages<T>(
        _ object: YAMLObject,
        _ field: String,
        fields: FieldSet,
        _ decode: (inout YAMLReader, YAMLObject) -> T
    ) -> [T] {
        list(object, field) { reader, path, node in
            reader.object(node, at: path, fields: fields).map { decode(&reader, $0) }
        }
    }

    // MARK: Lists and maps

    private mutating func list<T>(
        _ object: YAMLObject,
        _ field: String,
        _ element: (inout YAMLReader, FieldPath, Node) -> T?
    ) -> [T] {
        guard let (path, node) = object.value(field), visit(path, node) else { return [] }
        guard case .sequence(let sequence) = node else {
            error("expected a list, found \(node.typeDescription)", at: path, line: node.line)
            return []
        }
        var result: [T] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = path.index(index)
            if item.isNull {
                error("null is not allowed in a list", at: itemPath, line: item.line)
                continue
            }
            if let value = element(&self, itemPath, item) { result.append(value) }
        }
        return result
    }

    mutating func strings(_ object: YAMLObject, _ field: String) -> [String] {
        list(object, field) { reader, path, node in reader.string(node, at: path) }
    }

    /// A `map<string, V>` field.
    private mutating func map<V>(
        _ object: YAMLObject,
        _ field: String,
        _ value: (inout YAMLReader, FieldPath, Node) -> V?
    ) -> [String: V] {
        guard let (path, node) = object.value(field), visit(path, node) else { return [:] }
        guard case .mapping(let mapping) = node else {
            error("expected a mapping, found \(node.typeDescription)", at: path, line: node.line)
            return [:]
        }
        var result: [String: V] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = string(keyNode, at: path) else { continue }
            if result[key] != nil {
                error("key \"\(key)\" is given twice", at: path.key(key), line: keyNode.line)
            } else if let decoded = value(&self, path.key(key), valueNode) {
                result[key] = decoded
            }
        }
        return result
    }

    mutating func stringMap(_ object: YAMLObject, _ field: String) -> [String: String] {
        map(object, field) { reader, path, node in reader.string(node, at: path) }
    }

    /// A `map<string, Message>` field; a value decoded as nil is kept as nil (an empty message).
    mutating func messageMap<T>(
        _ object: YAMLObject,
        _ field: String,
        fields: FieldSet,
        _ decode: (inout YAMLReader, YAMLObject) -> T?
    ) -> [String: T?] {
        map(object, field) { reader, path, node -> T?? in
            guard let nested = reader.object(node, at: path, fields: fields) else { return nil }
            return .some(decode(&reader, nested))
        }
    }

    mutating func uint32Map(_ object: YAMLObject, _ field: String) -> [String: Int] {
        map(object, field) { reader, path, node in reader.integer(node, at: path, in: 0...Int(UInt32.max)) }
    }

    // MARK: Scalars

    private mutating func string(_ node: Node, at path: FieldPath) -> String? {
        guard visit(path, node) else { return nil }
        guard case .scalar(let scalar) = node, node.tag.description == Tag.Name.str.rawValue else {
            let hint = node.scalar == nil ? "" : " (quote it to make it a string)"
            error("expected a string, found \(node.typeDescription)\(hint)", at: path, line: node.line)
            return nil
        }
        return scalar.string
    }

    /// An integer; a quoted decimal string is accepted too, as protobuf's JSON mapping does.
    private mutating func integer(_ node: Node, at path: FieldPath, in range: ClosedRange<Int>) -> Int? {
        guard visit(path, node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error("expected an integer, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
        let value: Int?
        switch node.tag.description {
        case Tag.Name.int.rawValue: value = node.int
        case Tag.Name.str.rawValue where integersMayBeQuoted: value = Int(scalar.string)
        default: value = nil
        }
        guard let value else {
            error("expected an integer, found \(node.typeDescription) \"\(scalar.string)\"", at: path, line: node.line)
            return nil
        }
        guard range.contains(value) else {
            error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)", at: path, line: node.line)
            return nil
        }
        return value
    }

    mutating func string(_ object: YAMLObject, _ field: String) -> String {
        guard let (path, node) = object.value(field) else { return "" }
        return string(node, at: path) ?? ""
    }

    /// A string field that may be absent (a Go `*string`): nil when unset, unlike `string(_:_:)`.
    mutating func optionalString(_ object: YAMLObject, _ field: String) -> String? {
        guard let (path, node) = object.value(field) else { return nil }
        return string(node, at: path)
    }

    /// An `int32` field that may be absent (a Go `*int32`).
    mutating func optionalInt32(_ object: YAMLObject, _ field: String) -> Int? {
        guard let (path, node) = object.value(field) else { return nil }
        return integer(node, at: path, in: Int(Int32.min)...Int(Int32.max))
    }

    /// A Kubernetes `IntOrString` (`targetPort: 8443` or `targetPort: https`): a YAML integer is a number, a
    /// string stays a string even when it holds digits, as `intstr.IntOrString` unmarshals JSON.
    mutating func intOrString(_ object: YAMLObject, _ field: String) -> IntOrString? {
        guard let (path, node) = object.value(field), visit(path, node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error("expected an integer or a string, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
        switch node.tag.description {
        case Tag.Name.int.rawValue:
            guard let value = node.int, (Int(Int32.min)...Int(Int32.max)).contains(value) else {
                error("\(scalar.string) is out of range for an int32", at: path, line: node.line)
                return nil
            }
            return .int(value)
        case Tag.Name.str.rawValue:
            return .string(scalar.string)
        default:
            error("expected an integer or a string, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
    }

    /// A `metav1.Time` (`creationTimestamp`): RFC 3339, quoted or not (YAML reads an unquoted one as a
    /// timestamp); nil when absent, null or malformed (an error).
    mutating func timestamp(_ object: YAMLObject, _ field: String) -> CreationTimestamp? {
        guard let (path, node) = object.value(field), visit(path, node) else { return nil }
        guard case .scalar(let scalar) = node,
            [Tag.Name.str.rawValue, Tag.Name.timestamp.rawValue].contains(node.tag.description)
        else {
            error("expected an RFC 3339 time, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
        guard let time = CreationTimestamp(rfc3339: scalar.string) else {
            error(
                "\(quoted(scalar.string)) is not an RFC 3339 time (as in 2026-01-31T13:40:11Z)",
                at: path,
                line: node.line
            )
            return nil
        }
        return time
    }

    /// A `uint32` field (0 when unset, as in proto3).
    mutating func uint32(_ object: YAMLObject, _ field: String) -> Int {
        guard let (path, node) = object.value(field) else { return 0 }
        return integer(node, at: path, in: 0...Int(UInt32.max)) ?? 0
    }

    /// An `int32` field (0 when unset, as in proto3).
    mutating func int32(_ object: YAMLObject, _ field: String) -> Int {
        guard let (path, node) = object.value(field) else { return 0 }
        return integer(node, at: path, in: Int(Int32.min)...Int(Int32.max)) ?? 0
    }

    /// A `google.protobuf.UInt32Value` field: nil when unset, unlike a plain `uint32`.
    mutating func optionalUInt32(_ object: YAMLObject, _ field: String) -> Int? {
        guard let (path, node) = object.value(field) else { return nil }
        return integer(node, at: path, in: 0...Int(UInt32.max))
    }

    /// A `double` field (0 when unset); integers and quoted numbers are accepted, as protobuf's JSON mapping does.
    mutating func double(_ object: YAMLObject, _ field: String) -> Double {
        guard let (path, node) = object.value(field), visit(path, node) else { return 0 }
        guard case .scalar(let scalar) = node else {
            error("expected a number, found \(node.typeDescription)", at: path, line: node.line)
            return 0
        }
        switch node.tag.description {
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue, Tag.Name.str.rawValue:
            if let value = Double(scalar.string), value.isFinite { return value }
        default: break
        }
        error("expected a number, found \(node.typeDescription) \"\(scalar.string)\"", at: path, line: node.line)
        return 0
    }

    /// A `google.protobuf.Duration` field (`"10s"`, `"100ms"`); nil when unset or malformed (an error).
    mutating func duration(_ object: YAMLObject, _ field: String) -> Duration? {
        guard let (path, node) = object.value(field), let text = string(node, at: path) else { return nil }
        do {
            return try GoDuration.parse(text)
        } catch {
            self.error(GoDuration.malformedMessage(error), at: path, line: node.line)
            return nil
        }
    }

    /// A `bytes` field: base64 (standard or URL-safe alphabet, padding optional), as protobuf's JSON mapping reads.
    mutating func base64(_ object: YAMLObject, _ field: String) -> [UInt8]? {
        guard let (path, node) = object.value(field), let text = string(node, at: path) else { return nil }
        guard let bytes = Base64.decode(text) else {
            error("invalid base64 in a bytes field: \(quoted(text))", at: path, line: node.line)
            return nil
        }
        return bytes
    }

    mutating func bool(_ object: YAMLObject, _ field: String) -> Bool? {
        guard let (path, node) = object.value(field), visit(path, node) else { return nil }
        guard node.tag.description == Tag.Name.bool.rawValue, let value = node.bool else {
            error("expected a boolean, found \(node.typeDescription)", at: path, line: node.line)
            return nil
        }
        return value
    }

    /// An enum field spelled by its proto name (`PASSTHROUGH`); nil when unset or unknown (an error).
    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ object: YAMLObject,
        _ field: String,
        _ type: E.Type
    ) -> E? where E.RawValue == String {
        guard let (path, node) = object.value(field), let name = string(node, at: path) else { return nil }
        guard let value = E(rawValue: name) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            error("unknown value \"\(name)\" (expected one of \(allowed))", at: path, line: node.line)
            return nil
        }
        return value
    }

    /// Reports a field FrontProxy recognises but does not implement, rather than silently ignoring it.
    mutating func refuse(_ object: YAMLObject, _ fields: [String], because reason: String) {
        for field in fields {
            if let (path, node) = object.value(field) {
                error("\(field) is not supported yet: \(reason)", at: path, line: node.line)
            }
        }
    }
}
