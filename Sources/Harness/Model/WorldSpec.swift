import FrontProxy
import MeshConfig
import TestWorld

/// The world a scenario stands up before its first step.
public struct WorldSpec: Sendable {
    public var dns: [DNSNameSpec] = []
    public var upstreams: [UpstreamSpec] = []
    /// The cluster's pods behind Kubernetes Services: the harness's EndpointSlice controller gives each
    /// Service the pods its selector picks, as the cluster's controller would.
    public var pods: [PodSpec] = []
    /// Paths (relative to the scenario's working directory) where the scenario CA's certificate is written,
    /// for `curl --cacert` (a page's `openssl req -x509 ... -out example_certs/example.com.crt`).
    public var caFiles: [String] = []
    public var proxy = ProxySpec()
}

/// A simulated pod: a loopback address (where world upstreams listen) with the labels Services select it by.
public struct PodSpec: Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var labels: [String: String]
    /// The pod IP: a loopback address; the Service's target port on it is a world upstream.
    public var ip: String
    /// Ready pods get connections; a pod that is not ready is listed as not ready in its EndpointSlice.
    public var ready: Bool
    /// Named container ports, for Services whose `targetPort` is a name.
    public var ports: [String: Int]
    public var line: Int?

    /// Pod names and namespaces are DNS labels.
    static func isDNSLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last) && bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D }
    }
}

/// What the stub DNS server serves for one name.
public struct DNSNameSpec: Sendable {
    public var name: String
    public var records: [DNSRecordSpec]
    public var fault: DNSFaultSpec?
}

public struct DNSRecordSpec: Sendable, Hashable {
    public var record: StubDNSRecord
}

public struct DNSFaultSpec: Sendable, Hashable {
    public var fault: StubDNSFault
}

/// A fake upstream at a simulated loopback address.
public struct UpstreamSpec: Sendable {
    public var name: String
    public var address: SimulatedAddress
    public var tls: UpstreamTLSSpec?
    public var behavior: UpstreamBehavior
    public var alpn: [String]
    public var fault: UpstreamFaultSpec?
    public var line: Int?
}

public struct UpstreamTLSSpec: Sendable, Hashable {
    public var serverNames: [String]
    public var algorithm: PrivateKey.Algorithm
    public var validity: Validity
}

public struct UpstreamFaultSpec: Sendable, Hashable {
    public var fault: UpstreamFault
}

/// Proxy settings for the scenario's runtime.
public struct ProxySpec: Sendable {
    public var accessLogFormat: AccessLogFormat = .istio2019
    /// Gateway server ports given a `$GATEWAY_PORT_<N>` variable before they first listen; nil: the ports of
    /// every Gateway the scenario applies. (Every gateway port listens on an ephemeral port of the
    /// scenario's loopback IP.)
    public var ports: [Int]?
    public var connectTimeout: Duration = .seconds(2)
    public var idleTimeout: Duration? = .seconds(60)
    public var clientHelloTimeout: Duration = .seconds(2)
    public var drainTime: Duration = .milliseconds(200)
    public var maximumConnectionsPerCluster: Int?
    public var maximumClientHelloLength = 16_384
    /// Where the gateway proxy runs (`--gateway-namespace`) and the cluster domain (`--cluster-domain`).
    public var compile = CompileOptions()
}
