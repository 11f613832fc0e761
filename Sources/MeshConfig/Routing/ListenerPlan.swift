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

    /// For HTTP listeners: the virtual host for a `Host` header (port and case ignored): exact domain, then the
    /// longest wildcard, then `*`.
    public func virtualHost(forHost host: String) -> VirtualHostPlan? {
        var name = Substring(host.asciiLowercased())
        if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]"),
            name[name.index(after: colon)...].allSatisfy(\.isNumber)
        {
            name = name[..<colon]
        }
        if let exact = virtualHosts.first(where: { $0.domains.contains(String(name)) }) { return exact }
        var best: (VirtualHostPlan, Int)?
        for virtualHost in virtualHosts {
            for domain in virtualHost.domains where domain.hasPrefix("*") && domain != "*" {
                if name.hasSuffix(domain.dropFirst()), domain.count > (best?.1 ?? 0) {
                    best = (virtualHost, domain.count)
                }
            }
        }
        return best?.0 ?? virtualHosts.first { $0.domains.contains("*") }
    }
}

/// An HTTP virtual host: the domains it answers and its routes, first match wins.
public struct VirtualHostPlan: Sendable, Hashable {
    public var domains: [String]
    public var routes: [HTTPRoutePlan]

    public init(domains: [String], routes: [HTTPRoutePlan]) {
        self.domains = domains
        self.routes = routes
    }

    /// The first route matching a request path and authority.
    public func route(forPath path: String, authority: String) -> HTTPRoutePlan? {
        routes.first { $0.matches(path: path, authority: authority) }
    }
}

/// One HTTP route: conditions on the request and weighted destinations.
public struct HTTPRoutePlan: Sendable, Hashable {
    public var uri: VirtualService.StringMatch?
    public var authority: VirtualService.StringMatch?
    public var destinations: [WeightedCluster]
    public var source: RouteSource

    public init(
        uri: VirtualService.StringMatch?,
        authority: VirtualService.StringMatch?,
        destinations: [WeightedCluster],
        source: RouteSource
    ) {
        self.uri = uri
        self.authority = authority
        self.destinations = destinations
        self.source = source
    }

    public func matches(path: String, authority requestAuthority: String) -> Bool {
        Self.matches(uri, path) && Self.matches(authority, requestAuthority)
    }

    private static func matches(_ condition: VirtualService.StringMatch?, _ value: String) -> Bool {
        switch condition {
        case nil: true
        case .exact(let exact): value == exact
        case .prefix(let prefix): value.hasPrefix(prefix)
        }
    }
}
