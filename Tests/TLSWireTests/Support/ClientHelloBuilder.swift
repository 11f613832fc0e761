/// Builds ClientHello bytes field by field, so a test can state exactly which field is odd.
struct ClientHelloBuilder {
    struct Extension {
        var type: UInt16
        var data: [UInt8]
    }

    var recordVersion: UInt16 = 0x0301
    var handshakeType: UInt8 = 1
    var legacyVersion: UInt16 = 0x0303
    var random = [UInt8](repeating: 0x5A, count: 32)
    var sessionID = [UInt8](repeating: 0xE1, count: 32)
    var cipherSuites: [UInt16] = [0x1301, 0x1302, 0xC02F]
    var compressionMethods: [UInt8] = [0]
    /// `nil` leaves the extensions block out entirely (a TLS 1.0-style hello).
    var extensions: [Extension]? = []

    /// A typical TLS 1.3 hello for `serverName` offering h2 and http/1.1.
    static func modern(serverName: String = "www.example.com") -> ClientHelloBuilder {
        var builder = ClientHelloBuilder()
        builder.extensions = [
            .serverName(serverName),
            .alpn(["h2", "http/1.1"]),
            .supportedVersions([0x0304, 0x0303]),
            .keyShare([(0x001D, 32)]),
        ]
        return builder
    }

    /// The handshake message: 4-byte header and body.
    var message: [UInt8] {
        var body = u16(legacyVersion) + random + vector8(sessionID)
        body += vector16(cipherSuites.flatMap(u16)) + vector8(compressionMethods)
        if let extensions {
            body += vector16(extensions.flatMap { u16($0.type) + vector16($0.data) })
        }
        return [handshakeType] + u24(body.count) + body
    }

    /// The message in records of at most `fragmentSize` payload bytes each.
    func records(fragmentSize: Int = 16_384) -> [UInt8] {
        Self.records(of: message, fragmentSize: fragmentSize, version: recordVersion)
    }

    var bytes: [UInt8] { records() }

    static func records(of payload: [UInt8], fragmentSize: Int, version: UInt16 = 0x0301) -> [UInt8] {
        stride(from: 0, to: payload.count, by: fragmentSize).flatMap { start in
            record(Array(payload[start..<min(start + fragmentSize, payload.count)]), version: version)
        }
    }

    static func record(_ payload: [UInt8], type: UInt8 = 22, version: UInt16 = 0x0301) -> [UInt8] {
        [type] + u16(version) + u16(UInt16(payload.count)) + payload
    }
}

extension ClientHelloBuilder.Extension {
    static func serverName(_ name: String) -> Self { serverNameEntries([(0, name)]) }

    /// A server_name list of (name_type, name) entries.
    static func serverNameEntries(_ entries: [(UInt8, String)]) -> Self {
        Self(type: 0, data: vector16(entries.flatMap { [$0.0] + vector16(Array($0.1.utf8)) }))
    }

    static func alpn(_ names: [String]) -> Self { alpnRaw(names.map { Array($0.utf8) }) }

    static func alpnRaw(_ names: [[UInt8]]) -> Self { Self(type: 16, data: vector16(names.flatMap(vector8))) }

    static func supportedVersions(_ versions: [UInt16]) -> Self {
        Self(type: 43, data: vector8(versions.flatMap(u16)))
    }

    /// key_share with one entry per (group, key length); 0x11EC X25519MLKEM768 has a 1216-byte share.
    static func keyShare(_ shares: [(group: UInt16, length: Int)]) -> Self {
        Self(
            type: 51,
            data: vector16(shares.flatMap { u16($0.group) + vector16([UInt8](repeating: 0x33, count: $0.length)) })
        )
    }

    static func padding(_ count: Int) -> Self { Self(type: 21, data: [UInt8](repeating: 0, count: count)) }

    static func empty(_ type: UInt16) -> Self { Self(type: type, data: []) }
}

func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

func u24(_ value: Int) -> [UInt8] { [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }

func vector8(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count)] + bytes }

func vector16(_ bytes: [UInt8]) -> [UInt8] { u16(UInt16(bytes.count)) + bytes }
