import DNSWire

/// Messages built byte by byte from the RFC 1035 §4.1 layout, so the tests do not trust the encoder.
enum DNSWireFixtures {
    /// `www.example.com` in wire form, 17 bytes.
    static let wwwExampleCom: [UInt8] =
        [3] + Array("www".utf8) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]

    /// Query id 0x1234, RD, one question `www.example.com A IN`.
    static let query: [UInt8] =
        [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] + wwwExampleCom + [
            0x00, 0x01, 0x00, 0x01,
        ]

    /// The answer to `query`: QR AA RD RA; `www.example.com CNAME web.example.com` (TTL 3600) and
    /// `web.example.com A 127.0.10.1` (TTL 60). Every name after the question is compressed: the CNAME owner
    /// points at offset 12, its target is `web` + a pointer to `example.com` (offset 16), and the A record's
    /// owner points at the CNAME target (offset 45).
    static let response: [UInt8] =
        [0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00] + wwwExampleCom + [
            0x00, 0x01, 0x00, 0x01,
        ]
        // answer[0] at 33: name, type CNAME, class IN, TTL 3600, RDLENGTH 6, RDATA at 45
        + [0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x06]
        + [3] + Array("web".utf8) + [0xC0, 0x10]
        // answer[1] at 51: name, type A, class IN, TTL 60, RDLENGTH 4, 127.0.10.1
        + [0xC0, 0x2D, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 127, 0, 10, 1]

    /// A 12-byte header with the given id, flags and counts.
    static func header(
        id: UInt16 = 1,
        flags: UInt16 = 0x8180,
        qd: UInt16 = 0,
        an: UInt16 = 0,
        ns: UInt16 = 0,
        ar: UInt16 = 0
    )
        -> [UInt8]
    {
        [id, flags, qd, an, ns, ar].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func name(_ text: String) throws -> DNSName { try DNSName(text) }
}
