/// Why a stream does not start with a ClientHello the proxy can route on.
///
/// Offsets count bytes from the start of the stream (record headers included), so a log line can point into a
/// capture of the connection.
public enum ClientHelloError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stream does not start with a plausible TLS handshake record header.
    case notTLS(NotTLSReason)
    /// The ClientHello needs more than `limit` stream bytes. Reported as soon as a length makes it certain.
    case tooLarge(limit: Int)
    /// The bytes are TLS but break a length, a range or a rule of RFC 8446 / RFC 6066 / RFC 7301.
    case malformed(reason: String, offset: Int)
    /// The ClientHello's `legacy_version` is below TLS 1.0 (SSL 3.0 is prohibited by RFC 7568 and has no SNI).
    case unsupportedVersion(TLSProtocolVersion)
    /// An SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2): TLS-aware, but it cannot carry extensions, so
    /// there is never an SNI. `offeredVersion` is the highest version the client claims (e.g. TLS 1.0).
    case sslv2CompatibleHello(offeredVersion: TLSProtocolVersion)
    /// The first handshake message is not a ClientHello (type 1), e.g. a server's or a stray message.
    case unexpectedHandshakeType(UInt8)

    /// Why the first bytes are not a TLS handshake record.
    public enum NotTLSReason: Hashable, Sendable, CustomStringConvertible {
        /// The first byte is not 22 (handshake). Alert, change_cipher_spec and application_data records land here.
        case contentType(UInt8)
        /// A handshake content type, but the record's major version is not 3.
        case recordVersion(TLSProtocolVersion)

        public var description: String {
            switch self {
            case .contentType(let byte):
                "first byte \(Self.hex(byte))\(Self.name(ofContentType: byte)) is not a TLS handshake record (0x16)"
            case .recordVersion(let version):
                "record version \(version) after a handshake content type is not TLS (major version 3)"
            }
        }

        private static func name(ofContentType byte: UInt8) -> String {
            switch byte {
            case 20: " (TLS change_cipher_spec record)"
            case 21: " (TLS alert record)"
            case 23: " (TLS application_data record)"
            case 0x21...0x7E: " ('\(Character(Unicode.Scalar(byte)))')"
            default: ""
            }
        }

        private static func hex(_ byte: UInt8) -> String {
            byte < 16 ? "0x0" + String(byte, radix: 16) : "0x" + String(byte, radix: 16)
        }
    }

    public var description: String {
        switch self {
        case .notTLS(let reason): "not TLS: \(reason)"
        case .tooLarge(let limit): "ClientHello larger than the \(limit)-byte limit"
        case .malformed(let reason, let offset): "malformed ClientHello at stream offset \(offset): \(reason)"
        case .unsupportedVersion(let version): "unsupported ClientHello version \(version) (TLS 1.0 or later needed)"
        case .sslv2CompatibleHello(let version):
            "SSL 2.0-compatible ClientHello (offering \(version)) has no extensions, so no SNI"
        case .unexpectedHandshakeType(let type): "first handshake message has type \(type), not ClientHello (1)"
        }
    }
}
