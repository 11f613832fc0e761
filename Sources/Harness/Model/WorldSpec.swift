import FrontProxy
import TestWorld

/// The world a scenario stands up before its first step.
public struct WorldSpec: Sendable {
    public var dns: [DNSNameSpec] = []
    public var upstreams: [UpstreamSpec] = []
    public var proxy = ProxySpec()
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
}
