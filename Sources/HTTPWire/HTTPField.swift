/// One field line: the name keeps its case (so a proxy can forward it
/// unchanged) and the value has its surrounding OWS removed (RFC 9112 §5.1).
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

/// The field lines of a head, in the order received: a random-access,
/// mutable, range-replaceable collection of `HTTPField`, so it is used like
/// `[HTTPField]` (`for`, `count`, subscripts, `append`, `remove(at:)`,
/// `removeAll(where:)`, array literals, `Array(fields)`).
///
/// Why not a plain `[HTTPField]`: a parsed head keeps one copy of its field
/// bytes and, per field, four offsets into it. Turning every name and value
/// into its own `String` up front costs an allocation, a copy and a release
/// per value — about 450 ns for a browser's 15 fields, more than the rest of
/// the parse. Here a `String` is made only for fields the proxy reads, and
/// serialising an untouched field copies its bytes straight from the head.
public struct HTTPFields: Sendable {
    /// Where one field lives: offsets of a parsed field line inside
    /// `storage`, or (`nameStart < 0`) the index of a field set by code in
    /// `owned`. Plain integers, so the array needs no per-element retain or
    /// release when a head is copied or freed.
    struct Span: Sendable, Hashable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32

        static func owned(_ index: Int) -> Span {
            Span(nameStart: -1, nameEnd: Int32(truncatingIfNeeded: index), valueStart: 0, valueEnd: 0)
        }
    }

    enum Entry {
        case parsed(Span)
        case owned(HTTPField)
    }

    /// Field-section bytes the parsed spans point into. Never mutated.
    let storage: [UInt8]
    var spans: [Span]
    /// Fields added or replaced by code. Entries no longer referenced are
    /// dropped when they outnumber the live ones (see `compactIfNeeded`).
    var owned: [HTTPField]

    public init() {
        storage = []
        spans = []
        owned = []
    }

    public init(_ fields: some Sequence<HTTPField>) {
        storage = []
        owned = Array(fields)
        spans = owned.indices.map(Span.owned)
    }

    init(storage: [UInt8], spans: [Span]) {
        self.storage = storage
        self.spans = spans
        self.owned = []
    }

    @inline(__always)
    func entry(_ i: Int) -> Entry {
        let span = spans[i]
        return span.nameStart < 0 ? .owned(owned[Int(span.nameEnd)]) : .parsed(span)
    }

    @inline(__always)
    func string(_ s: Int32, _ e: Int32) -> String {
        storage.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[Int(s)..<Int(e)]), as: UTF8.self)
        }
    }

    /// The value of field `i` as a String, without making its name.
    func value(at i: Int) -> String {
        switch entry(i) {
        case .parsed(let span): return string(span.valueStart, span.valueEnd)
        case .owned(let field): return field.value
        }
    }

    /// Call `body` with the raw name and value bytes of field `i`, without
    /// materialising Strings.
    @inline(__always)
    func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch entry(i) {
        case .parsed(let span):
            return storage.withUnsafeBufferPointer { buf in
                body(
                    UnsafeBufferPointer(rebasing: buf[Int(span.nameStart)..<Int(span.nameEnd)]),
                    UnsafeBufferPointer(rebasing: buf[Int(span.valueStart)..<Int(span.valueEnd)])
                )
            }
        case .owned(let field):
            var name = field.name
            var value = field.value
            return name.withUTF8 { n in value.withUTF8 { v in body(n, v) } }
        }
    }

    @inline(__always)
    mutating func ownedSpan(_ field: HTTPField) -> Span {
        owned.append(field)
        return .owned(owned.count &- 1)
    }

    /// Drop owned fields no span refers to any more, once they are the
    /// majority (so repeated edits cannot grow the storage without bound).
    mutating func compactIfNeeded() {
        guard owned.count > 8, owned.count > 2 * spans.count else { return }
        var kept: [HTTPField] = []
        for i in spans.indices where spans[i].nameStart < 0 {
            kept.append(owned[Int(spans[i].nameEnd)])
            spans[i] = .owned(kept.count &- 1)
        }
        owned = kept
    }
}

extension HTTPFields: RandomAccessCollection, MutableCollection, RangeReplaceableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { spans.count }
    public var count: Int { spans.count }

    public subscript(position: Int) -> HTTPField {
        get {
            switch entry(position) {
            case .parsed(let span):
                return HTTPField(
                    name: string(span.nameStart, span.nameEnd),
                    value: string(span.valueStart, span.valueEnd)
                )
            case .owned(let field):
                return field
            }
        }
        set {
            spans[position] = ownedSpan(newValue)
            compactIfNeeded()
        }
    }

    public mutating func replaceSubrange<C: Collection<HTTPField>>(_ subrange: Range<Int>, with newElements: C) {
        var added: [Span] = []
        added.reserveCapacity(newElements.count)
        for field in newElements { added.append(ownedSpan(field)) }
        spans.replaceSubrange(subrange, with: added)
        compactIfNeeded()
    }

    public mutating func reserveCapacity(_ n: Int) {
        spans.reserveCapacity(n)
    }

    public mutating func remove(at i: Int) -> HTTPField {
        let field = self[i]
        spans.remove(at: i)
        compactIfNeeded()
        return field
    }

    public mutating func removeAll(where shouldBeRemoved: (HTTPField) throws -> Bool) rethrows {
        var kept: [Span] = []
        kept.reserveCapacity(spans.count)
        for i in spans.indices where !(try shouldBeRemoved(self[i])) { kept.append(spans[i]) }
        spans = kept
        compactIfNeeded()
    }
}

extension HTTPFields: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: HTTPField...) {
        self.init(elements)
    }
}

extension HTTPFields: Equatable, Hashable {
    /// Equal when the same fields (exact names and values) are in the same
    /// order, however they are stored.
    public static func == (a: HTTPFields, b: HTTPFields) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count {
            let same = a.withBytes(i) { an, av in
                b.withBytes(i) { bn, bv in an.elementsEqual(bn) && av.elementsEqual(bv) }
            }
            if !same { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for i in 0..<count {
            withBytes(i) { n, v in
                hasher.combine(bytes: UnsafeRawBufferPointer(n))
                hasher.combine(0x3A as UInt8)
                hasher.combine(bytes: UnsafeRawBufferPointer(v))
            }
        }
    }
}

extension HTTPFields: CustomStringConvertible {
    public var description: String {
        "[" + map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

extension HTTPFields {
    /// Index of the first field named `name` (case-insensitive; pass the name
    /// in lower case), compared on bytes without making Strings.
    public func firstIndex(named name: String) -> Int? {
        var lower = name
        return lower.withUTF8 { l in
            for i in 0..<count where withBytes(i, { n, _ in asciiCaseInsensitiveEquals(n, l) }) { return i }
            return nil
        }
    }

    /// Value of the first field named `name` (lower case).
    public func firstValue(named name: String) -> String? {
        firstIndex(named: name).map { self[$0].value }
    }

    /// Values of every field named `name` (lower case), in order.
    public func values(named name: String) -> [String] {
        var lower = name
        return lower.withUTF8 { l in
            var out: [String] = []
            for i in 0..<count where withBytes(i, { n, _ in asciiCaseInsensitiveEquals(n, l) }) {
                out.append(self[i].value)
            }
            return out
        }
    }

    /// Remove every field named `name` (lower case).
    public mutating func removeAll(named name: String) {
        var lower = name
        let keep: [Span] = lower.withUTF8 { l in
            var kept: [Span] = []
            kept.reserveCapacity(spans.count)
            for i in 0..<count where !withBytes(i, { n, _ in asciiCaseInsensitiveEquals(n, l) }) {
                kept.append(spans[i])
            }
            return kept
        }
        spans = keep
        compactIfNeeded()
    }

    /// Replace the value of the first field named like `name` (any case),
    /// dropping later ones, or append the field when absent. The first
    /// occurrence keeps its position and spelling, so a rewritten Host stays
    /// where the client put it.
    public mutating func replaceOrAppend(name: String, value: String) {
        let lower = String(decoding: name.utf8.map(ByteClass.lower), as: UTF8.self)
        guard let first = firstIndex(named: lower) else {
            append(HTTPField(name: name, value: value))
            return
        }
        let keptName = self[first].name
        removeAll(named: lower)
        spans.insert(ownedSpan(HTTPField(name: keptName, value: value)), at: first)
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

@inline(__always)
func asciiCaseInsensitiveEquals(_ a: UnsafeBufferPointer<UInt8>, _ lower: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == lower.count else { return false }
    for i in 0..<a.count where ByteClass.lower(a[i]) != lower[i] { return false }
    return true
}
