/// A resource record of the answer, authority or additional section (RFC 1035 §4.1.3).
public struct DNSResourceRecord: Hashable, Sendable {
    /// The owner name.
    public var name: DNSName
    public var `class`: DNSClass
    /// Seconds the record may be cached, as sent (RFC 2181 §8 asks readers to treat values above 2^31-1 as 0).
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, class: DNSClass = .in, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    /// The record type, which follows from the data.
    public var type: DNSRecordType { data.type }
}

/// The typed data of a record. Types this codec does not interpret stay raw, so they round-trip.
public enum DNSRecordData: Hashable, Sendable {
    case a(DNSIPv4Address)
    case aaaa(DNSIPv6Address)
    case cname(DNSName)
    case soa(DNSSOAData)
    /// Any other type, or A/AAAA outside class IN, as the bytes of its RDATA. Raw data that holds
    /// compressed names (MX, NS, ... from a server that compresses them) would only be valid at its
    /// original offset; the proxy never re-encodes such records.
    case unknown(type: DNSRecordType, bytes: [UInt8])

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .soa: .soa
        case .unknown(let type, _): type
        }
    }
}

/// The data of an SOA record (RFC 1035 §3.3.13); negative answers carry one so resolvers know how long to
/// cache the negative result (RFC 2308 §5).
public struct DNSSOAData: Hashable, Sendable {
    public var primaryNameServer: DNSName
    public var responsibleMailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The negative-caching TTL (RFC 2308 §4).
    public var minimum: UInt32

    public init(
        primaryNameServer: DNSName,
        responsibleMailbox: DNSName,
        serial: UInt32,
        refresh: UInt32,
        retry: UInt32,
        expire: UInt32,
        minimum: UInt32
    ) {
        self.primaryNameServer = primaryNameServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}
