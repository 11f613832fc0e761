/// A field path inside a document, printed the way users write it: `spec.tls[0].match[0].sniHosts`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    private(set) var description: String

    static let root = FieldPath(description: "")

    func key(_ name: String) -> FieldPath {
        FieldPath(description: description.isEmpty ? name : description + "." + name)
    }

    func index(_ index: Int) -> FieldPath {
        FieldPath(description: description + "[\(index)]")
    }
}
