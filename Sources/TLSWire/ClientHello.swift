/// What a ClientHello says that a passthrough proxy routes and logs on.
///
/// The proxy never decrypts, so this is the client's offer as sent: nothing here is negotiated.
public struct ClientHello: Hashable, Sendable {
    /// The first `host_name` of the `server_name` extension, lower-cased, trailing dot kept (as Envoy does);
    /// `nil` when the extension is absent or carries no `host_name` entry. With ECH this is the outer name.
    public var serverName: String?
    /// The ALPN protocol names in the client's order; empty when the extension is absent. Names are decoded as
    /// UTF-8 (invalid bytes become U+FFFD); registered names are ASCII.
    public var alpn: [String]
    /// `legacy_version` of the ClientHello message (0x0303 for TLS 1.2 and 1.3 clients).
    public var legacyVersion: TLSProtocolVersion
    /// The `supported_versions` extension, GREASE values left out; empty when the extension is absent.
    public var supportedVersions: [TLSProtocolVersion]
    /// Whether the client sent an `encrypted_client_hello` extension (0xfe0d).
    public var hasEncryptedClientHello: Bool
    /// The record-layer version of the first record (often 0x0301 for compatibility).
    public var recordVersion: TLSProtocolVersion
    /// How many stream bytes were read to finish: record headers included, up to the ClientHello's last byte.
    public var bytesExamined: Int
    /// How many TLS records carried the ClientHello message (more than one when it was fragmented).
    public var recordCount: Int
    /// How many cipher suites the client offered (GREASE included).
    public var cipherSuiteCount: Int
    /// The extension types in wire order, GREASE included.
    public var extensionTypes: [TLSExtensionType]

    public init(
        serverName: String?,
        alpn: [String] = [],
        legacyVersion: TLSProtocolVersion = .tls1_2,
        supportedVersions: [TLSProtocolVersion] = [],
        hasEncryptedClientHello: Bool = false,
        recordVersion: TLSProtocolVersion = .tls1_0,
        bytesExamined: Int = 0,
        recordCount: Int = 1,
        cipherSuiteCount: Int = 0,
        extensionTypes: [TLSExtensionType] = []
    ) {
        self.serverName = serverName
        self.alpn = alpn
        self.legacyVersion = legacyVersion
        self.supportedVersions = supportedVersions
        self.hasEncryptedClientHello = hasEncryptedClientHello
        self.recordVersion = recordVersion
        self.bytesExamined = bytesExamined
        self.recordCount = recordCount
        self.cipherSuiteCount = cipherSuiteCount
        self.extensionTypes = extensionTypes
    }

    /// The highest version the client offered: the largest of `supportedVersions`, else `legacyVersion`.
    public var highestOfferedVersion: TLSProtocolVersion { supportedVersions.max() ?? legacyVersion }
}
