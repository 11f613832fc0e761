/// The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1), without the section counts, which
/// `DNSMessage` derives from its sections.
public struct DNSHeader: Hashable, Sendable {
    public var id: UInt16
    /// QR: the message is a response.
    public var isResponse: Bool
    public var opcode: DNSOpcode
    /// AA: the responding server is an authority for the name.
    public var isAuthoritativeAnswer: Bool
    /// TC: the message was cut to fit the transport; a client retries over TCP.
    public var isTruncated: Bool
    /// RD: the client asks for recursion.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    /// AD (RFC 4035): kept because `dig` sets it in queries.
    public var authenticData: Bool
    /// CD (RFC 4035).
    public var checkingDisabled: Bool
    /// The 4-bit RCODE.
    public var responseCode: DNSResponseCode

    public init(
        id: UInt16,
        isResponse: Bool = false,
        opcode: DNSOpcode = .query,
        isAuthoritativeAnswer: Bool = false,
        isTruncated: Bool = false,
        recursionDesired: Bool = false,
        recursionAvailable: Bool = false,
        authenticData: Bool = false,
        checkingDisabled: Bool = false,
        responseCode: DNSResponseCode = .noError
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritativeAnswer = isAuthoritativeAnswer
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.responseCode = responseCode
    }

    /// The header from its 16-bit flags word; the reserved Z bit is dropped.
    init(id: UInt16, flags: UInt16) {
        self.init(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: DNSOpcode(rawValue: UInt8((flags >> 11) & 0xF)),
            isAuthoritativeAnswer: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0,
            recursionAvailable: flags & 0x0080 != 0,
            authenticData: flags & 0x0020 != 0,
            checkingDisabled: flags & 0x0010 != 0,
            responseCode: DNSResponseCode(rawValue: UInt8(flags & 0xF))
        )
    }

    /// The 16-bit flags word; the opcode and RCODE must fit their 4 bits.
    func flags() throws(DNSWireError) -> UInt16 {
        guard opcode.rawValue <= 0xF else {
            throw DNSWireError(.valueOutOfRange(Int(opcode.rawValue)), field: "header opcode", offset: 2)
        }
        guard responseCode.rawValue <= 0xF else {
            throw DNSWireError(.valueOutOfRange(Int(responseCode.rawValue)), field: "header rcode", offset: 3)
        }
        var flags = UInt16(opcode.rawValue) << 11 | UInt16(responseCode.rawValue)
        if isResponse { flags |= 0x8000 }
        if isAuthoritativeAnswer { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        if authenticData { flags |= 0x0020 }
        if checkingDisabled { flags |= 0x0010 }
        return flags
    }
}
