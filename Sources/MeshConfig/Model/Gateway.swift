/// `networking.istio.io` Gateway: the ports the proxy listens on and the hosts each serves.
///
/// Fields follow the proto (proto3 zero values: an unset string is `""`, an unset number `0`), so validation can
/// apply Istio's rules exactly.
public struct Gateway: Sendable, Hashable {
    public var metadata: ResourceMetadata
    public var servers: [Server]
    public var selector: [String: String]

    public init(metadata: ResourceMetadata, servers: [Server] = [], selector: [String: String] = [:]) {
        self.metadata = metadata
        self.servers = servers
        self.selector = selector
    }

    public struct Server: Sendable, Hashable {
        public var port: Port?
        public var bind: String
        public var hosts: [String]
        public var tls: TLSSettings?
        public var name: String
        public var defaultEndpoint: String

        public init(
            port: Port?,
            bind: String = "",
            hosts: [String],
            tls: TLSSettings? = nil,
            name: String = "",
            defaultEndpoint: String = ""
        ) {
            self.port = port
            self.bind = bind
            self.hosts = hosts
            self.tls = tls
            self.name = name
            self.defaultEndpoint = defaultEndpoint
        }
    }
    /// Istio's `Port` message, shared with ServiceEntry.
    public typealias Port = IstioPort

    /// `ServerTLSSettings`. PASSTHROUGH is the zero value, so `tls: {}` means PASSTHROUGH.
    public struct TLSSettings: Sendable, Hashable {
        public var httpsRedirect: Bool = false
        public var mode: TLSMode = .passthrough
        public var serverCertificate: String = ""
        public var privateKey: String = ""
        public var caCertificates: String = ""
        public var caCrl: String = ""
        public var credentialName: String = ""
        public var credentialNames: [String] = []
        public var caCertCredentialName: String = ""
        public var tlsCertificates: [TLSCertificate] = []
        public var subjectAltNames: [String] = []
        public var verifyCertificateSpki: [String] = []
        public var verifyCertificateHash: [String] = []
        public var minProtocolVersion: TLSProtocolVersion = .auto
        public var maxProtocolVersion: TLSProtocolVersion = .auto
        public var cipherSuites: [String] = []
        public var insecureSkipVerify: Bool?

        public init() {}
    }

    public struct TLSCertificate: Sendable, Hashable {
        public var serverCertificate: String = ""
        public var privateKey: String = ""
        public var caCertificates: String = ""

        public init() {}
    }

    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case passthrough = "PASSTHROUGH"
        case simple = "SIMPLE"
        case mutual = "MUTUAL"
        case autoPassthrough = "AUTO_PASSTHROUGH"
        case istioMutual = "ISTIO_MUTUAL"
        case optionalMutual = "OPTIONAL_MUTUAL"

        /// Whether the proxy would have to decrypt to serve this mode.
        public var terminatesTLS: Bool { self != .passthrough && self != .autoPassthrough }
    }

    public enum TLSProtocolVersion: String, Sendable, Hashable, CaseIterable {
        case auto = "TLS_AUTO"
        case v1_0 = "TLSV1_0"
        case v1_1 = "TLSV1_1"
        case v1_2 = "TLSV1_2"
        case v1_3 = "TLSV1_3"
    }
}

extension Gateway {
    public var id: ResourceID { ResourceID(kind: .gateway, namespace: metadata.namespace, name: metadata.name) }
}
