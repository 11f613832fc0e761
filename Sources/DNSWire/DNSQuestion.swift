/// An entry of the question section (RFC 1035 §4.1.2).
public struct DNSQuestion: Hashable, Sendable {
    public var name: DNSName
    public var type: DNSRecordType
    public var `class`: DNSClass

    public init(name: DNSName, type: DNSRecordType, class: DNSClass = .in) {
        self.name = name
        self.type = type
        self.class = `class`
    }
}
