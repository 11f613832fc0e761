/// HTTP header fields in the order they appeared, with case-insensitive lookup.
public struct HTTPHeaderFields: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (any case), or nil.
    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Whether a field called `name` (any case) is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func append(name: String, value: String) { fields.append(Field(name: name, value: value)) }

    /// Removes every field called `name` (any case).
    public mutating func remove(_ name: String) { fields.removeAll { $0.name.lowercased() == name.lowercased() } }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Whether a comma-separated header such as `Connection` lists `token` (any case).
    func lists(_ name: String, token: String) -> Bool {
        fields.contains { field in
            field.name.lowercased() == name.lowercased()
                && field.value.split(separator: ",").contains {
                    $0.trimmingASCIISpaces().lowercased() == token.lowercased()
                }
        }
    }

    /// `Name: value\r\n` for each field.
    var wireFormat: String { fields.map { "\($0.name): \($0.value)\r\n" }.joined() }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }
}
