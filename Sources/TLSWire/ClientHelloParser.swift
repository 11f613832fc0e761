/// The fields of a ClientHello message; the reader adds what it knows about records and stream bytes.
struct ParsedClientHello {
    var serverName: String?
    var alpn: [String] = []
    var legacyVersion: TLSProtocolVersion
    var supportedVersions: [TLSProtocolVersion] = []
    var hasEncryptedClientHello = false
    var cipherSuiteCount: Int
    var extensionTypes: [TLSExtensionType] = []
}

/// Parses one complete ClientHello handshake message (RFC 8446 §4.1.2), validating every length against its
/// container. Pure: it sees only the message bytes, once, so its work is linear in the message length.
enum ClientHelloParser {
    /// RFC 6066 caps nothing, but OpenSSL and BoringSSL reject longer host names, so no upstream accepts them.
    static let maximumHostNameLength = 255
    /// Real clients send a handful; a cap keeps a 16 KiB hello from becoming thousands of strings.
    static let maximumALPNNames = 64

    /// `parse(message:)` as a value.
    static func result(message: UnsafeRawBufferPointer) -> Result<ParsedClientHello, MessageParseFailure> {
        Result { () throws(MessageParseFailure) in try parse(message: message) }
    }

    /// - Parameter message: the whole handshake message, 4-byte header included.
    static func parse(message: UnsafeRawBufferPointer) throws(MessageParseFailure) -> ParsedClientHello {
        var reader = ByteReader(message, from: 4)
        let legacyVersion = TLSProtocolVersion(rawValue: try reader.readUInt16("legacy_version"))
        guard legacyVersion.major == 3, legacyVersion >= .tls1_0 else {
            throw .unsupportedVersion(legacyVersion)
        }
        try reader.skip(32, "random")
        let sessionIDLength = Int(try reader.readUInt8("legacy_session_id length"))
        guard sessionIDLength <= 32 else {
            throw reader.failure("legacy_session_id length \(sessionIDLength) exceeds 32", at: reader.position - 1)
        }
        try reader.skip(sessionIDLength, "legacy_session_id")
        let cipherSuitesLength = Int(try reader.readUInt16("cipher_suites length"))
        guard cipherSuitesLength >= 2, cipherSuitesLength % 2 == 0 else {
            throw reader.failure(
                "cipher_suites length \(cipherSuitesLength) is not a positive even number",
                at: reader.position - 2
            )
        }
        try reader.skip(cipherSuitesLength, "cipher_suites")
        let compressionLength = Int(try reader.readUInt8("legacy_compression_methods length"))
        guard compressionLength >= 1 else {
            throw reader.failure("legacy_compression_methods is empty", at: reader.position - 1)
        }
        try reader.skip(compressionLength, "legacy_compression_methods")

        var hello = ParsedClientHello(legacyVersion: legacyVersion, cipherSuiteCount: cipherSuitesLength / 2)
        // A ClientHello may end here: TLS 1.0 clients without extensions are valid (RFC 5246 §7.4.1.2).
        guard !reader.isEmpty else { return hello }
        let extensionsLength = Int(try reader.readUInt16("extensions length"))
        guard extensionsLength == reader.remaining else {
            throw reader.failure(
                "extensions length \(extensionsLength) does not match the \(reader.remaining) bytes left in the "
                    + "ClientHello",
                at: reader.position - 2
            )
        }
        try parseExtensions(&reader, into: &hello)
        return hello
    }

    private static func parseExtensions(
        _ reader: inout ByteReader,
        into hello: inout ParsedClientHello
    ) throws(MessageParseFailure) {
        hello.extensionTypes.reserveCapacity(countEntries(reader.unreadBytes))
        var seen = SeenExtensionTypes()
        while !reader.isEmpty {
            let start = reader.position
            let type = TLSExtensionType(rawValue: try reader.readUInt16("extension type"))
            let length = Int(try reader.readUInt16("extension length"))
            var data = try reader.readSlice(length, "extension data")
            if hello.extensionTypes.last == .preSharedKey {
                throw reader.failure("pre_shared_key is not the last extension (RFC 8446 §4.2.11)", at: start)
            }
            if !seen.insert(type) {
                throw reader.failure("duplicate \(type) extension (RFC 8446 §4.2)", at: start)
            }
            hello.extensionTypes.append(type)
            switch type {
            case .serverName:
                hello.serverName = try parseServerName(&data)
            case .applicationLayerProtocolNegotiation:
                hello.alpn = try parseALPN(&data)
            case .supportedVersions:
                hello.supportedVersions = try parseSupportedVersions(&data)
            case .encryptedClientHello:
                hello.hasEncryptedClientHello = true
            default:
                break
            }
        }
    }

    /// How many (type, length, data) entries the extensions block holds, counting only entries that fit, so the
    /// list of types is allocated once at its final size.
    private static func countEntries(_ bytes: UnsafeRawBufferPointer) -> Int {
        var position = 0
        var count = 0
        while position + 4 <= bytes.count {
            position += 4 + (Int(bytes[position + 2]) << 8 | Int(bytes[position + 3]))
            count += 1
        }
        return count
    }

    /// RFC 6066 §3: a list of (name_type, name); the first `host_name` (type 0) is the SNI. A second `host_name`
    /// is forbidden; entries of other types are skipped (each has a 2-byte length on the wire).
    private static func parseServerName(_ data: inout ByteReader) throws(MessageParseFailure) -> String? {
        let listLength = Int(try data.readUInt16("server_name list length"))
        guard listLength == data.remaining, listLength > 0 else {
            throw data.failure(
                "server_name list length \(listLength) does not fill its extension (\(data.remaining) bytes)",
                at: data.position - 2
            )
        }
        var hostName: String?
        while !data.isEmpty {
            let entryStart = data.position
            let nameType = try data.readUInt8("server_name name_type")
            let nameLength = Int(try data.readUInt16("server_name name length"))
            let name = try data.readSlice(nameLength, "server_name name")
            guard nameType == 0 else { continue }
            guard hostName == nil else {
                throw data.failure("second host_name in server_name (RFC 6066 §3)", at: entryStart)
            }
            hostName = try validatedHostName(name, entryStart: entryStart)
        }
        return hostName
    }

    /// Host names must be non-empty printable ASCII (IDNs travel as A-labels), at most 255 bytes; returned
    /// lower-cased because DNS names compare case-insensitively and routes are keyed on the lower-cased form.
    private static func validatedHostName(
        _ name: ByteReader,
        entryStart: Int
    ) throws(MessageParseFailure) -> String {
        let bytes = name.unreadBytes
        guard !bytes.isEmpty else { throw name.failure("empty host_name", at: entryStart) }
        guard bytes.count <= maximumHostNameLength else {
            throw name.failure(
                "host_name of \(bytes.count) bytes exceeds \(maximumHostNameLength)",
                at: entryStart
            )
        }
        for (index, byte) in bytes.enumerated() where !(0x21...0x7E).contains(byte) {
            throw name.failure(
                "host_name byte \(byte) is not printable ASCII",
                at: name.position + index
            )
        }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }

    /// RFC 7301 §3.1: ProtocolNameList <2..2^16-1>, each ProtocolName <1..2^8-1>. Empty lists and empty names
    /// are rejected (they only serve to amplify work), and so is a list longer than `maximumALPNNames`.
    private static func parseALPN(_ data: inout ByteReader) throws(MessageParseFailure) -> [String] {
        let listLength = Int(try data.readUInt16("ALPN protocol_name_list length"))
        guard listLength == data.remaining, listLength > 0 else {
            throw data.failure(
                "ALPN list length \(listLength) does not fill its extension (\(data.remaining) bytes) or is zero",
                at: data.position - 2
            )
        }
        var names: [String] = []
        while !data.isEmpty {
            let nameLength = Int(try data.readUInt8("ALPN protocol name length"))
            guard nameLength > 0 else { throw data.failure("empty ALPN protocol name", at: data.position - 1) }
            guard names.count < maximumALPNNames else {
                throw data.failure("more than \(maximumALPNNames) ALPN protocol names", at: data.position - 1)
            }
            let name = try data.readSlice(nameLength, "ALPN protocol name")
            names.append(String(decoding: name.unreadBytes, as: UTF8.self))
        }
        return names
    }

    /// RFC 8446 §4.2.1, ClientHello form: versions <2..254>, two bytes each. GREASE values are dropped.
    private static func parseSupportedVersions(
        _ data: inout ByteReader
    ) throws(MessageParseFailure) -> [TLSProtocolVersion] {
        let listLength = Int(try data.readUInt8("supported_versions length"))
        guard listLength == data.remaining, listLength >= 2, listLength % 2 == 0 else {
            throw data.failure(
                "supported_versions length \(listLength) is not a positive even number filling its extension "
                    + "(\(data.remaining) bytes)",
                at: data.position - 1
            )
        }
        var versions: [TLSProtocolVersion] = []
        versions.reserveCapacity(listLength / 2)
        while !data.isEmpty {
            let version = TLSProtocolVersion(rawValue: try data.readUInt16("supported_versions entry"))
            if !version.isGREASE { versions.append(version) }
        }
        return versions
    }
}
