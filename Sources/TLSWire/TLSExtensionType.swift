/// A TLS extension type code point (IANA "TLS ExtensionType Values").
public struct TLSExtensionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let serverName = TLSExtensionType(rawValue: 0)
    public static let supportedGroups = TLSExtensionType(rawValue: 10)
    public static let signatureAlgorithms = TLSExtensionType(rawValue: 13)
    public static let applicationLayerProtocolNegotiation = TLSExtensionType(rawValue: 16)
    public static let padding = TLSExtensionType(rawValue: 21)
    public static let sessionTicket = TLSExtensionType(rawValue: 35)
    public static let preSharedKey = TLSExtensionType(rawValue: 41)
    public static let supportedVersions = TLSExtensionType(rawValue: 43)
    public static let keyShare = TLSExtensionType(rawValue: 51)
    /// RFC 9849 Encrypted Client Hello; when present, the `server_name` is the outer (public) name.
    public static let encryptedClientHello = TLSExtensionType(rawValue: 0xfe0d)

    /// GREASE values (RFC 8701) look like `0x?A?A`; clients send them so servers keep tolerating unknown values.
    public var isGREASE: Bool { rawValue & 0x0F0F == 0x0A0A && rawValue >> 8 == rawValue & 0xFF }

    public var description: String {
        switch self {
        case .serverName: "server_name"
        case .supportedGroups: "supported_groups"
        case .signatureAlgorithms: "signature_algorithms"
        case .applicationLayerProtocolNegotiation: "application_layer_protocol_negotiation"
        case .padding: "padding"
        case .sessionTicket: "session_ticket"
        case .preSharedKey: "pre_shared_key"
        case .supportedVersions: "supported_versions"
        case .keyShare: "key_share"
        case .encryptedClientHello: "encrypted_client_hello"
        default: "0x" + String(rawValue, radix: 16, uppercase: false)
        }
    }
}
