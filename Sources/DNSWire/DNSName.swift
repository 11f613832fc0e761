/// A domain name as a sequence of labels (RFC 1035 §3.1), always absolute.
///
/// Labels keep the bytes they arrived with (case included), so a decoded message encodes back to the same
/// bytes, but equality and hashing ignore ASCII case, as DNS does (RFC 4343).
public struct DNSName: Sendable, CustomStringConvertible {
    /// The labels, most specific first, without the empty root label.
    public private(set) var labels: [[UInt8]]

    /// The longest label the wire format can carry (the length byte's top two bits are flags).
    public static let maximumLabelLength = 63
    /// The longest name in wire form, length bytes and the root's zero byte included (RFC 1035 §2.3.4).
    public static let maximumWireLength = 255

    /// The root name, `.`.
    public static let root = DNSName(validatedLabels: [])

    /// A name from its labels, refusing empty or over-long labels and over-long names.
    public init(labels: [[UInt8]]) throws(DNSWireError) {
        var wireLength = 1
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty else { throw DNSWireError(.emptyLabel, field: "label \(index)", offset: 0) }
            guard label.count <= Self.maximumLabelLength else {
                throw DNSWireError(.labelTooLong(length: label.count), field: "label \(index)", offset: 0)
            }
            wireLength += 1 + label.count
        }
        guard wireLength <= Self.maximumWireLength else {
            throw DNSWireError(.nameTooLong(length: wireLength), field: "name", offset: 0)
        }
        self.labels = labels
    }

    /// A name from its text form (`www.example.com`, with or without the final dot; `.` is the root).
    ///
    /// Accepts the escapes `dig` prints: `\.` and `\\` for a literal byte, `\DDD` for a decimal byte value.
    public init(_ text: String) throws(DNSWireError) {
        try self.init(labels: DNSNameText.parse(text))
    }

    init(validatedLabels: [[UInt8]]) {
        labels = validatedLabels
    }

    /// The length of the name in uncompressed wire form.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// The name with ASCII letters lower-cased, for use as a table or cache key that prints canonically.
    public func lowercased() -> DNSName {
        DNSName(validatedLabels: labels.map { $0.map(Self.lowercase) })
    }

    /// The absolute text form with its final dot, escaped as `dig` prints it (`www.example.com.`).
    public var description: String { DNSNameText.format(labels) }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

extension DNSName: Hashable {
    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (left, right) in zip(lhs.labels, rhs.labels) {
            guard left.count == right.count else { return false }
            for (a, b) in zip(left, right) where lowercase(a) != lowercase(b) {
                return false
            }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for byte in label { hasher.combine(Self.lowercase(byte)) }
        }
    }
}
