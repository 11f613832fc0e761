/// What a synthetic TLS 1.3 ClientHello carries, and how it is cut into records.
public struct ClientHelloSpec: Sendable, Hashable {
    /// The SNI; nil sends no server_name extension.
    public var serverName: String?
    public var alpn: [String]
    /// Offer an X25519MLKEM768 key share (1,216 bytes) before X25519, as post-quantum browsers do.
    public var postQuantum: Bool
    /// Bytes of a padding extension (RFC 7685), to reach a given size.
    public var padding: Int
    /// The largest fragment per TLS record; nil puts the whole handshake message in one record.
    public var recordSize: Int?

    public init(
        serverName: String?,
        alpn: [String] = [],
        postQuantum: Bool = false,
        padding: Int = 0,
        recordSize: Int? = nil
    ) {
        self.serverName = serverName
        self.alpn = alpn
        self.postQuantum = postQuantum
        self.padding = padding
        self.recordSize = recordSize
    }
}

/// Builds ClientHello bytes for route cases and raw clients: well-formed enough for any SNI reader (and
/// for OpenSSL to parse), with fresh random, session id and key shares so each connection is unique.
public enum ClientHelloBuilder {
    /// The handshake message (type 1) alone.
    public static func handshakeMessage(
        _ spec: ClientHelloSpec,
        random: () -> UInt8 = { UInt8.random(in: 0...255) }
    ) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03]
        body += (0..<32).map { _ in random() }
        body += [32] + (0..<32).map { _ in random() }
        body += u16(6) + [0x13, 0x01, 0x13, 0x02, 0x13, 0x03]
        body += [0x01, 0x00]
        var extensions: [UInt8] = []
        if let serverName = spec.serverName {
            let name = Array(serverName.utf8)
            let list = [0x00] + u16(name.count) + name
            extensions += ext(0x0000, u16(list.count) + list)
        }
        extensions += ext(0x000a, u16(6) + [0x11, 0xEC, 0x00, 0x1D, 0x00, 0x17])
        extensions += ext(0x000d, u16(8) + [0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03])
        extensions += ext(0x002b, [4, 0x03, 0x04, 0x03, 0x03])
        extensions += ext(0x002d, [1, 0x01])
        var shares: [UInt8] = []
        if spec.postQuantum { shares += [0x11, 0xEC] + u16(1216) + (0..<1216).map { _ in random() } }
        shares += [0x00, 0x1D] + u16(32) + (0..<32).map { _ in random() }
        extensions += ext(0x0033, u16(shares.count) + shares)
        if !spec.alpn.isEmpty {
            let list = spec.alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            extensions += ext(0x0010, u16(list.count) + list)
        }
        if spec.padding > 0 { extensions += ext(0x0015, [UInt8](repeating: 0, count: spec.padding)) }
        body += u16(extensions.count) + extensions
        return [0x01] + u24(body.count) + body
    }

    /// The ClientHello as TLS records (content type 22), split at `recordSize`.
    public static func records(_ spec: ClientHelloSpec) -> [UInt8] {
        let message = handshakeMessage(spec)
        let size = max(1, min(spec.recordSize ?? 16_384, 16_384))
        var records: [UInt8] = []
        var offset = 0
        while offset < message.count {
            let fragment = message[offset..<min(offset + size, message.count)]
            records += [0x16, 0x03, 0x01] + u16(fragment.count) + fragment
            offset += fragment.count
        }
        return records
    }

    private static func ext(_ type: Int, _ data: [UInt8]) -> [UInt8] { u16(type) + u16(data.count) + data }
    private static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    private static func u24(_ value: Int) -> [UInt8] {
        [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
