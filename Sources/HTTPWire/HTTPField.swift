/// One field line, as received: the name keeps its case (so a proxy can
/// forward it unchanged) and the value has its surrounding OWS removed
/// (RFC 9112 §5.1: OWS around the value is not part of it).
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Case-insensitive name comparison; `lowercasedName` must be lower-case
    /// ASCII (e.g. "x-forwarded-for").
    public func hasName(_ lowercasedName: String) -> Bool {
        asciiCaseInsensitiveEquals(name, lowercasedName)
    }
}

/// Compare `a` to the lower-case ASCII string `lower`, ignoring ASCII case.
@inline(__always)
func asciiCaseInsensitiveEquals(_ a: String, _ lower: String) -> Bool {
    let au = a.utf8
    let lu = lower.utf8
    guard au.count == lu.count else { return false }
    var li = lu.makeIterator()
    for c in au {
        guard let l = li.next(), ByteClass.lower(c) == l else { return false }
    }
    return true
}

extension Array where Element == HTTPField {
    /// Value of the first field named `name` (compared case-insensitively;
    /// pass the name in lower case).
    public func firstValue(named name: String) -> String? {
        for field in self where field.hasName(name) { return field.value }
        return nil
    }

    /// Values of every field named `name`, in order.
    public func values(named name: String) -> [String] {
        var out: [String] = []
        for field in self where field.hasName(name) { out.append(field.value) }
        return out
    }

    /// Remove every field named `name`.
    public mutating func removeAll(named name: String) {
        removeAll { $0.hasName(name) }
    }

    /// Replace the first field named `name` with `value`, dropping any later
    /// ones, or append the field when absent. Keeps the position of the first
    /// occurrence so a rewritten Host stays where the client put it.
    public mutating func replaceOrAppend(name: String, value: String) {
        let lower = String(decoding: name.utf8.map(ByteClass.lower), as: UTF8.self)
        if let first = firstIndex(where: { $0.hasName(lower) }) {
            self[first] = HTTPField(name: self[first].name, value: value)
            var i = index(after: first)
            while i < endIndex {
                if self[i].hasName(lower) { remove(at: i) } else { i = index(after: i) }
            }
        } else {
            append(HTTPField(name: name, value: value))
        }
    }
}
