/// A DNS resource record type (RFC 1035 §3.2.2, RFC 3596), kept open: unknown values round-trip.
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let aaaa = DNSRecordType(rawValue: 28)

    public var description: String {
        switch self {
        case .a: "A"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .aaaa: "AAAA"
        default: "TYPE\(rawValue)"
        }
    }
}

/// A DNS response code (RFC 1035 §4.1.1), kept open: unknown values round-trip.
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)

    /// The mnemonic `dig` prints (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, ...).
    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        default: "RCODE\(rawValue)"
        }
    }
}

extension DNSRecordType {
    /// Types this codec keeps raw but names like `dig` does, so logs and test output are readable.
    public static let ns = DNSRecordType(rawValue: 2)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let mx = DNSRecordType(rawValue: 15)
    public static let txt = DNSRecordType(rawValue: 16)
    /// The EDNS(0) pseudo-record (RFC 6891) that clients such as `dig` add to queries.
    public static let opt = DNSRecordType(rawValue: 41)
}

/// A DNS class (RFC 1035 §3.2.4), kept open: unknown values round-trip (EDNS puts a payload size here).
public struct DNSClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The Internet class, the only one the proxy uses.
    public static let `in` = DNSClass(rawValue: 1)

    public var description: String { self == .in ? "IN" : "CLASS\(rawValue)" }
}

/// A DNS opcode (RFC 1035 §4.1.1), 4 bits on the wire, kept open.
public struct DNSOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A standard query, the only one the stub server answers.
    public static let query = DNSOpcode(rawValue: 0)

    public var description: String { self == .query ? "QUERY" : "OPCODE\(rawValue)" }
}
