/// What a listener serves, from its gateway servers' protocol.
public enum ListenerProtocol: String, Sendable, Hashable {
    /// HTTPS/TLS servers in PASSTHROUGH or AUTO_PASSTHROUGH mode: chains chosen by SNI.
    case tls = "TLS"
    /// Plain HTTP servers: one chain, requests routed by Host and path (`virtualHosts`).
    case http = "HTTP"
    /// Opaque TCP servers: one catch-all chain from the first matching VirtualService `tcp` rule.
    case tcp = "TCP"
}

/// A gateway server a listener was built from.
public struct ServerSource: Sendable, Hashable, CustomStringConvertible {
    public var gateway: ResourceRef
    public var serverIndex: Int

    public var description: String { "Gateway \(gateway) server #\(serverIndex)" }
}

/// One listener: a (bind, port) pair with its filter chains, named like Envoy's (`0.0.0.0_443`).
public struct ListenerPlan: Sendable, Hashable {
    public var name: String
    public var bind: String
    public var port: Int
    public var `protocol`: ListenerProtocol
    public var chains: [FilterChainPlan]
    /// For HTTP listeners: virtual hosts in lookup order.
    public var virtualHosts: [VirtualHostPlan]
    public var servers: [ServerSource]
    private var index: ServerNameIndex
    private var virtualHostIndex: VirtualHostIndex

    public init(
        bind: String,
        port: Int,
        protocol: ListenerProtocol,
        chains: [FilterChainPlan],
        virtualHosts: [VirtualHostPlan] = [],
        servers: [ServerSource] = []
    ) {
        self.name = "\(bind)_\(port)"
        self.bind = bind
        self.port = port
        self.protocol = `protocol`
        self.chains = chains
        self.virtualHosts = virtualHosts
        self.servers = servers
        self.index = ServerNameIndex(chains: chains)
        self.virtualHostIndex = VirtualHostIndex(virtualHosts: virtualHosts)
    }

    /// The chain a connection with this SNI (nil: no SNI, or not TLS) uses, as Envoy chooses: exact name, then
    /// the longest `*.suffix`, then the catch-all. nil means no chain matched (`NR`, `filter_chain_not_found`).
    public func chain(forServerName serverName: String?) -> FilterChainPlan? {
        chainIndex(forServerName: serverName).map { chains[$0] }
    }

    /// The position in `chains` of the chain `chain(forServerName:)` returns.
    public func chainIndex(forServerName serverName: String?) -> Int? {
        index.chainIndex(forServerName: serverName)
    }

    /// For HTTP listeners: the virtual host for a Host header, as Envoy's `findVirtualHost` with
    /// `ignore_port_in_host_matching`: the port cut off, lower-cased, then an exact domain, the longest `*.suffix`
    /// (never matching an empty label), then `*`. nil: 404 `NR` `route_not_found`.
    public func virtualHost(forHost host: String) -> VirtualHostPlan? {
        virtualHostIndex.index(forHost: host).map { virtualHosts[$0] }
    }
}

/// Envoy's virtual-host lookup, precomputed: exact domains in a dictionary, `*.suffix` wildcards by suffix
/// length, longest first, then the `*` host.
struct VirtualHostIndex: Sendable, Hashable {
    private var exact: [String: Int] = [:]
    /// (suffix without the `*`, virtual host), longest suffix first.
    private var suffixes: [(suffix: String, index: Int)] = []
    private var catchAll: Int?

    init(virtualHosts: [VirtualHostPlan]) {
        for (index, virtualHost) in virtualHosts.enumerated() {
            for domain in virtualHost.domains {
                if domain == "*" {
                    catchAll = catchAll ?? index
                } else if domain.hasPrefix("*") {
                    suffixes.append((String(domain.dropFirst()), index))
                } else if exact[domain] == nil {
                    exact[domain] = index
                }
            }
        }
        suffixes.sort { $0.suffix.utf8.count > $1.suffix.utf8.count }
    }

    func index(forHost host: String) -> Int? {
        let name = HostHeader.portStart(in: host).map { host[..<$0] } ?? host[...]
        let lowered = String(name).asciiLowercased()
        if let found = exact[lowered] { return found }
        let length = lowered.utf8.count
        for (suffix, index) in suffixes where suffix.utf8.count < length && lowered.hasSuffix(suffix) {
            return index
        }
        return catchAll
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.exact == rhs.exact && lhs.catchAll == rhs.catchAll
            && lhs.suffixes.elementsEqual(rhs.suffixes) { $0.suffix == $1.suffix && $0.index == $1.index }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(exact)
        hasher.combine(catchAll)
    }
}
