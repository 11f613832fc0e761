/// A TLS protocol version as it appears on the wire (`legacy_version`, record version, `supported_versions`).
public struct TLSProtocolVersion: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ssl3 = TLSProtocolVersion(rawValue: 0x0300)
    public static let tls1_0 = TLSProtocolVersion(rawValue: 0x0301)
    public static let tls1_1 = TLSProtocolVersion(rawValue: 0x0302)
    public static let tls1_2 = TLSProtocolVersion(rawValue: 0x0303)
    public static let tls1_3 = TLSProtocolVersion(rawValue: 0x0304)

    public init(major: UInt8, minor: UInt8) { self.rawValue = UInt16(major) << 8 | UInt16(minor) }

    /// 3 for SSL 3.0 and every TLS version.
    public var major: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    public var minor: UInt8 { UInt8(truncatingIfNeeded: rawValue) }

    /// GREASE values (RFC 8701) look like `0x?A?A`; clients sprinkle them into version lists.
    public var isGREASE: Bool { rawValue & 0x0F0F == 0x0A0A && rawValue >> 8 == rawValue & 0xFF }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .ssl3: "SSLv3"
        case .tls1_0: "TLSv1.0"
        case .tls1_1: "TLSv1.1"
        case .tls1_2: "TLSv1.2"
        case .tls1_3: "TLSv1.3"
        default: "0x" + String(rawValue, radix: 16, uppercase: false)
        }
    }
}
