import DNSWire

/// A record the stub DNS server serves: A, AAAA or CNAME data with its own TTL.
public struct StubDNSRecord: Hashable, Sendable {
    public var data: DNSRecordData
    /// Seconds, as sent in the answer.
    public var ttl: UInt32

    /// An A record; the address must be loopback, like every simulated address.
    public static func a(_ address: String, ttl: UInt32 = 60) throws -> StubDNSRecord {
        let parsed = try DNSIPv4Address(address)
        guard parsed.isLoopback else { throw StubDNSServerError.nonLoopbackRecord(address) }
        return StubDNSRecord(data: .a(parsed), ttl: ttl)
    }

    /// An AAAA record; the address must be `::1`, like every simulated address.
    public static func aaaa(_ address: String, ttl: UInt32 = 60) throws -> StubDNSRecord {
        let parsed = try DNSIPv6Address(address)
        guard parsed.isLoopback else { throw StubDNSServerError.nonLoopbackRecord(address) }
        return StubDNSRecord(data: .aaaa(parsed), ttl: ttl)
    }

    /// A CNAME record pointing at `target`.
    public static func cname(_ target: String, ttl: UInt32 = 60) throws -> StubDNSRecord {
        StubDNSRecord(data: .cname(try DNSName(target)), ttl: ttl)
    }
}

/// What the stub DNS server does instead of (or before) a plain answer for one name.
public enum StubDNSFault: Hashable, Sendable {
    /// RCODE NXDOMAIN with an SOA in the authority section.
    case nameError
    /// RCODE SERVFAIL, nothing else.
    case serverFailure
    /// NOERROR without answers (NODATA), with an SOA in the authority section.
    case noAnswer
    /// The normal answer, sent after this many milliseconds.
    case delay(milliseconds: Int)
    /// No answer at all, on either transport.
    case drop
    /// Over UDP, TC=1 and no records, so the client retries over TCP, where the answer is complete.
    case truncateUDP
    /// Over UDP, a forged answer carrying `decoy` first, then the real answer.
    case forgedAnswerFirst(StubDNSForgery, decoy: DNSIPv4Address)
}

extension StubDNSFault {
    /// `forgedAnswerFirst` with the decoy as text, for callers that do not import DNSWire.
    public static func forgedAnswerFirst(_ forgery: StubDNSForgery, decoyAddress: String) throws -> StubDNSFault {
        .forgedAnswerFirst(forgery, decoy: try DNSIPv4Address(decoyAddress))
    }
}

/// How a forged answer differs from the real one; a careful client ignores each of them.
public enum StubDNSForgery: Hashable, Sendable {
    /// Another message id.
    case wrongID
    /// The question of another name.
    case wrongQuestion
    /// The right id and question, but sent from another port than the one the client queried.
    case wrongSource
}

/// The transport a query arrived over.
public enum StubDNSTransport: Hashable, Sendable {
    case udp
    case tcp
}
