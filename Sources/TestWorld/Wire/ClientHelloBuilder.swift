/// What a synthetic TLS 1.3 ClientHello carries, and how it is cut into records: the shape scenario steps
/// and route cases describe.
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

/// Builds ClientHello bytes field by field — for parser tests that state exactly which field is odd, and,
/// from a `ClientHelloSpec`, for the harness's raw clients and route cases (well-formed enough for any SNI
/// reader and for OpenSSL, with fresh random, session id and key shares so each connection is unique).
/// The one ClientHello builder of the package.
public struct ClientHelloBuilder: Sendable {
    public struct Extension: Sendable, Hashable {
        public var type: UInt16
        public var data: [UInt8]

        public init(type: UInt16, data: [UInt8]) {
            self.type = type
            self.data = data
        }
    }

    public var recordVersion: UInt16 = 0x0301
    public var handshakeType: UInt8 = 1
    public var legacyVersion: UInt16 = 0x0303
    public var random = [UInt8](repeating: 0x5A, count: 32)
    public var sessionID = [UInt8](repeating: 0xE1, count: 32)
    public var cipherSuites: [UInt16] = [0x1301, 0x1302, 0xC02F]
    public var compressionMethods: [UInt8] = [0]
    /// `nil` leaves the extensions block out entirely (a TLS 1.0-style hello).
    public var extensions: [Extension]? = []

    public init() {}

    /// A typical TLS 1.3 hello for `serverName` offering h2 and http/1.1.
    public static func modern(serverName: String = "www.example.com") -> ClientHelloBuilder {
        var builder = ClientHelloBuilder()
        builder.extensions = [
            .serverName(serverName),
            .alpn(["h2", "http/1.1"]),
            .supportedVersions([0x0304, 0x0303]),
            .keyShare([(0x001D, 32)]),
        ]
        return builder
    }

    /// The hello a browser-like TLS 1.3 client sends for `spec`, with `randomByte` filling the random, the
    /// session id and the key shares.
    public init(_ spec: ClientHelloSpec, randomByte: () -> UInt8 = { UInt8.random(in: 0...255) }) {
        random = (0..<32).map { _ in randomByte() }
        sessionID = (0..<32).map { _ in randomByte() }
        cipherSuites = [0x1301, 0x1302, 0x1303]
        var extensions: [Extension] = []
        if let serverName = spec.serverName { extensions.append(.serverName(serverName)) }
        extensions.append(
            Extension(type: 0x000A, data: Self.vector16(Self.u16(0x11EC) + Self.u16(0x001D) + Self.u16(0x0017)))
        )
        extensions.append(
            Extension(type: 0x000D, data: Self.vector16([0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03]))
        )
        extensions.append(.supportedVersions([0x0304, 0x0303]))
        extensions.append(Extension(type: 0x002D, data: [1, 0x01]))
        var shares: [(group: UInt16, key: [UInt8])] = []
        if spec.postQuantum { shares.append((0x11EC, (0..<1216).map { _ in randomByte() })) }
        shares.append((0x001D, (0..<32).map { _ in randomByte() }))
        extensions.append(
            Extension(type: 51, data: Self.vector16(shares.flatMap { Self.u16($0.group) + Self.vector16($0.key) }))
        )
        if !spec.alpn.isEmpty { extensions.append(.alpn(spec.alpn)) }
        if spec.padding > 0 { extensions.append(.padding(spec.padding)) }
        self.extensions = extensions
    }

    /// The handshake message: 4-byte header and body.
    public var message: [UInt8] {
        var body = Self.u16(legacyVersion) + random + Self.vector8(sessionID)
        body += Self.vector16(cipherSuites.flatMap(Self.u16)) + Self.vector8(compressionMethods)
        if let extensions {
            body += Self.vector16(extensions.flatMap { Self.u16($0.type) + Self.vector16($0.data) })
        }
        return [handshakeType] + Self.u24(body.count) + body
    }

    /// The message in records of at most `fragmentSize` payload bytes each.
    public func records(fragmentSize: Int = 16_384) -> [UInt8] {
        Self.records(of: message, fragmentSize: fragmentSize, version: recordVersion)
    }

    public var bytes: [UInt8] { records() }

    /// The hello for `spec` as TLS records, split at its `recordSize`.
    public static func records(_ spec: ClientHelloSpec) -> [UInt8] {
        ClientHelloBuilder(spec).records(fragmentSize: max(1, min(spec.recordSize ?? 16_384, 16_384)))
    }

    /// The handshake message for `spec` alone.
    public static func handshakeMessage(
        _ spec: ClientHelloSpec,
        randomByte: () -> UInt8 = { UInt8.random(in: 0...255) }
    ) -> [UInt8] {
        ClientHelloBuilder(spec, randomByte: randomByte).message
    }

    public static func records(of payload: [UInt8], fragmentSize: Int, version: UInt16 = 0x0301) -> [UInt8] {
        stride(from: 0, to: payload.count, by: fragmentSize).flatMap { start in
            record(Array(payload[start..<min(start + fragmentSize, payload.count)]), version: version)
        }
    }

    public static func record(_ payload: [UInt8], type: UInt8 = 22, version: UInt16 = 0x0301) -> [UInt8] {
        [type] + u16(version) + u16(UInt16(payload.count)) + payload
    }

    // MARK: - Wire primitives (TLS's big-endian integers and length-prefixed vectors)

    public static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    public static func u24(_ value: Int) -> [UInt8] {
        [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    public static func vector8(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count)] + bytes }

    public static func vector16(_ bytes: [UInt8]) -> [UInt8] { u16(UInt16(bytes.count)) + bytes }
}

extension ClientHelloBuilder.Extension {
    public static func serverName(_ name: String) -> Self { serverNameEntries([(0, name)]) }

    /// A server_name list of (name_type, name) entries.
    public static func serverNameEntries(_ entries: [(UInt8, String)]) -> Self {
        Self(
            type: 0,
            data: ClientHelloBuilder.vector16(
                entries.flatMap { [$0.0] + ClientHelloBuilder.vector16(Array($0.1.utf8)) }
            )
        )
    }

    public static func alpn(_ names: [String]) -> Self { alpnRaw(names.map { Array($0.utf8) }) }

    public static func alpnRaw(_ names: [[UInt8]]) -> Self {
        Self(type: 16, data: ClientHelloBuilder.vector16(names.flatMap(ClientHelloBuilder.vector8)))
    }

    public static func supportedVersions(_ versions: [UInt16]) -> Self {
        Self(type: 43, data: ClientHelloBuilder.vector8(versions.flatMap(ClientHelloBuilder.u16)))
    }

    /// key_share with one entry per (group, key length); 0x11EC X25519MLKEM768 has a 1216-byte share.
    public static func keyShare(_ shares: [(group: UInt16, length: Int)]) -> Self {
        Self(
            type: 51,
            data: ClientHelloBuilder.vector16(
                shares.flatMap {
                    ClientHelloBuilder.u16($0.group)
                        + ClientHelloBuilder.vector16([UInt8](repeating: 0x33, count: $0.length))
                }
            )
        )
    }

    public static func padding(_ count: Int) -> Self { Self(type: 21, data: [UInt8](repeating: 0, count: count)) }

    public static func empty(_ type: UInt16) -> Self { Self(type: type, data: []) }
}
