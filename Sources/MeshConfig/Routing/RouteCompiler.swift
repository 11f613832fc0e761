/// Turns a configuration snapshot into a `RoutePlan`, following how istiod builds gateway listeners for
/// PASSTHROUGH servers (reference §4). Pure: same snapshot, same plan.
public enum RouteCompiler {
    public static func compile(_ snapshot: ConfigSnapshot) -> RoutePlan {
        var compilation = RouteCompilation(snapshot: snapshot)
        return compilation.run()
    }
}

/// The state of one compile (HTTP listeners in RouteCompilation+HTTP.swift).
struct RouteCompilation {
    typealias Entry = (server: Gateway.Server, index: Int, gateway: Gateway)

    let snapshot: ConfigSnapshot
    /// VirtualServices in Istio's order: creation, then name, then namespace.
    let virtualServices: [VirtualService]
    var clusters: [String: ClusterPlan] = [:]
    var missingClusters: [String: String] = [:]
    var warnings: [Diagnostic] = []

    init(snapshot: ConfigSnapshot) {
        self.snapshot = snapshot
        self.virtualServices = snapshot.virtualServices.sorted {
            ($0.creationIndex, $0.0.metadata.name, $0.0.metadata.namespace)
                < ($1.creationIndex, $1.0.metadata.name, $1.0.metadata.namespace)
        }.map(\.0)
    }

    mutating func run() -> RoutePlan {
        var listeners: [ListenerPlan] = []
        var omitted: [OmittedListener] = []
        for (bind, port, entries) in serversByListener() {
            guard let protocolKind = listenerProtocol(entries[0].server) else { continue }
            let compatible = entries.filter { entry in
                guard listenerProtocol(entry.server) == protocolKind else {
                    warn(
                        "Gateway \(ref(entry.gateway)) server #\(entry.index) skipped: port \(port) already serves "
                            + "\(protocolKind.rawValue)"
                    )
                    return false
                }
                return true
            }
            let listener: ListenerPlan
            switch protocolKind {
            case .tls: listener = tlsListener(bind: bind, port: port, entries: compatible)
            case .tcp: listener = tcpListener(bind: bind, port: port, entries: compatible)
            case .http: listener = httpListener(bind: bind, port: port, entries: compatible)
            }
            if listener.chains.isEmpty || (protocolKind == .http && listener.virtualHosts.isEmpty) {
                omitted.append(
                    OmittedListener(
                        name: listener.name,
                        bind: bind,
                        port: port,
                        reason: "listener \(listener.name) has no filter chain: no VirtualService bound to "
                            + compatible.map { "Gateway \(ref($0.gateway))" }.joined(separator: ", ")
                            + " has a \(protocolKind == .tls ? "tls" : protocolKind == .tcp ? "tcp" : "http") route "
                            + "for its hosts on port \(port)"
                    )
                )
            } else {
                listeners.append(listener)
            }
        }
        return RoutePlan(
            generation: snapshot.generation,
            listeners: listeners,
            clusters: clusters,
            missingClusters: missingClusters,
            omittedListeners: omitted,
            warnings: warnings
        )
    }

    // MARK: Listeners

    /// Gateway servers grouped by (bind, port), in gateway creation order then server order.
    func serversByListener() -> [(bind: String, port: Int, entries: [Entry])] {
        var groups: [(bind: String, port: Int, entries: [Entry])] = []
        for (gateway, _) in snapshot.gateways {
            for (index, server) in gateway.servers.enumerated() {
                guard let port = server.port else { continue }
                let bind = server.bind.isEmpty ? "0.0.0.0" : server.bind
                if let group = groups.firstIndex(where: { $0.bind == bind && $0.port == port.number }) {
                    groups[group].entries.append((server, index, gateway))
                } else {
                    groups.append((bind, port.number, [(server, index, gateway)]))
                }
            }
        }
        return groups
    }

    func listenerProtocol(_ server: Gateway.Server) -> ListenerProtocol? {
        let proto = IstioProtocol(server.port?.protocol ?? "")
        if proto.isTLS {
            return server.tls?.mode.terminatesTLS == false ? .tls : nil
        }
        if proto.isHTTP { return .http }
        return proto == .unsupported || proto == .udp ? nil : .tcp
    }

    func ref(_ gateway: Gateway) -> ResourceRef {
        ResourceRef(namespace: gateway.metadata.namespace, name: gateway.metadata.name)
    }

    func ref(_ virtualService: VirtualService) -> ResourceRef {
        ResourceRef(namespace: virtualService.metadata.namespace, name: virtualService.metadata.name)
    }

    /// VirtualServices that apply to a server: bound to its gateway, exported to it, with a matching host; in
    /// istiod's order (`VirtualServicesForGateway`): those private to the gateway's namespace, then those
    /// exported to it by name, then public ones, each group by creation.
    func virtualServices(for entry: Entry) -> [VirtualService] {
        let gatewayName = ref(entry.gateway).description
        let namespace = entry.gateway.metadata.namespace
        func bucket(_ vs: VirtualService) -> Int {
            if vs.exportTo.contains("*") || vs.exportTo.isEmpty { return 2 }
            if vs.exportTo.contains(".") && vs.metadata.namespace == namespace { return 0 }
            return 1
        }
        let bound = virtualServices.filter { vs in
            GatewayBinding.isBound(vs, to: gatewayName)
                && ExportToRules.isVisible(
                    vs.exportTo,
                    from: vs.metadata.namespace,
                    to: entry.gateway.metadata.namespace
                )
                && GatewayBinding.hostsMatch(
                    server: entry.server,
                    gatewayNamespace: entry.gateway.metadata.namespace,
                    virtualService: vs
                )
        }
        // A stable sort keeps creation order inside each group.
        return bound.enumerated().sorted { (bucket($0.element), $0.offset) < (bucket($1.element), $1.offset) }
            .map(\.element)
    }

    mutating func tlsListener(bind: String, port: Int, entries: [Entry]) -> ListenerPlan {
        let name = "\(bind)_\(port)"
        var chains: [FilterChainPlan] = []
        var claimed: Set<String> = []
        var added: Set<String> = []
        for entry in entries {
            let gatewayName = ref(entry.gateway).description
            if entry.server.tls?.mode == .autoPassthrough {
                chains += autoPassthroughChains(listener: name, entry: entry, claimed: &claimed)
                continue
            }
            for vs in virtualServices(for: entry) {
                for (ruleIndex, rule) in vs.tls.enumerated() where !rule.route.isEmpty {
                    for (matchIndex, match) in rule.match.enumerated() {
                        guard
                            GatewayBinding.matchApplies(
                                port: match.port,
                                gateways: match.gateways,
                                serverPort: port,
                                gateway: gatewayName,
                                vsNamespace: vs.metadata.namespace
                            )
                        else { continue }
                        let source = RouteSource(
                            resource: ref(vs),
                            kind: .tls,
                            ruleIndex: ruleIndex,
                            matchIndex: matchIndex
                        )
                        let id = "\(name)/\(source.resource)/tls/\(ruleIndex)/\(matchIndex)"
                        // The same rule reached again through another server of this listener is the same chain.
                        guard added.insert(id).inserted else { continue }
                        let sniHosts = match.sniHosts.map { $0.asciiLowercased() }
                        let duplicates = sniHosts.filter { claimed.contains($0) }
                        guard duplicates.isEmpty else {
                            warn(
                                "skipping VirtualService \(vs.metadata.name) rule #\(ruleIndex) on server port \(port) "
                                    + "of gateway \(gatewayName), duplicate SNI host names: "
                                    + "[\(duplicates.joined(separator: " "))]"
                            )
                            continue
                        }
                        claimed.formUnion(sniHosts)
                        chains.append(
                            FilterChainPlan(
                                id: id,
                                serverNames: sniHosts.contains("*") ? [] : sniHosts.sorted(),
                                routeName: routeName(rule.route, vs),
                                destinations: destinations(rule.route, serverPort: port, gateway: entry.gateway),
                                source: source
                            )
                        )
                    }
                }
            }
        }
        return ListenerPlan(bind: bind, port: port, protocol: .tls, chains: chains, servers: sources(entries))
    }

    /// AUTO_PASSTHROUGH: one chain per mesh-internal ServiceEntry host and port matching the server's hosts, for
    /// SNI `outbound_.<port>_._.<host>`; no VirtualService involved.
    mutating func autoPassthroughChains(
        listener: String,
        entry: Entry,
        claimed: inout Set<String>
    )
        -> [FilterChainPlan]
    {
        var chains: [FilterChainPlan] = []
        let dnsNames = entry.server.hosts.map { host in host.split(separator: "/").last.map(String.init) ?? host }
        for (serviceEntry, _) in snapshot.serviceEntries where serviceEntry.location == .meshInternal {
            for host in serviceEntry.hosts where dnsNames.contains(where: { HostName.matches($0, host) }) {
                for (portIndex, port) in serviceEntry.ports.enumerated() {
                    let serverName = "outbound_.\(port.number)_._.\(host)".asciiLowercased()
                    guard claimed.insert(serverName).inserted else { continue }
                    let cluster = ClusterPlan.name(port: port.number, host: host)
                    resolveCluster(
                        cluster,
                        host: host,
                        port: port.number,
                        gatewayNamespace: entry.gateway.metadata.namespace
                    )
                    let source = RouteSource(
                        resource: ResourceRef(
                            namespace: serviceEntry.metadata.namespace,
                            name: serviceEntry.metadata.name
                        ),
                        kind: .autoPassthrough,
                        ruleIndex: portIndex,
                        matchIndex: nil
                    )
                    chains.append(
                        FilterChainPlan(
                            id: "\(listener)/\(source.resource)/auto/\(host)/\(port.number)",
                            serverNames: [serverName],
                            destinations: [WeightedCluster(name: cluster, weight: 100)],
                            source: source
                        )
                    )
                }
            }
        }
        return chains
    }

    /// Opaque TCP: the first `tcp` rule (in VirtualService order) whose matches apply becomes the one chain.
    mutating func tcpListener(bind: String, port: Int, entries: [Entry]) -> ListenerPlan {
        let name = "\(bind)_\(port)"
        for entry in entries {
            let gatewayName = ref(entry.gateway).description
            for vs in virtualServices(for: entry) {
                for (ruleIndex, rule) in vs.tcp.enumerated() {
                    let matchIndex: Int?
                    if rule.match.isEmpty {
                        matchIndex = nil
                    } else if let index = rule.match.firstIndex(where: {
                        GatewayBinding.matchApplies(
                            port: $0.port,
                            gateways: $0.gateways,
                            serverPort: port,
                            gateway: gatewayName,
                            vsNamespace: vs.metadata.namespace
                        )
                    }) {
                        matchIndex = index
                    } else {
                        continue
                    }
                    let source = RouteSource(
                        resource: ref(vs),
                        kind: .tcp,
                        ruleIndex: ruleIndex,
                        matchIndex: matchIndex
                    )
                    let chain = FilterChainPlan(
                        id: "\(name)/\(source.resource)/tcp/\(ruleIndex)/\(matchIndex.map(String.init) ?? "-")",
                        serverNames: [],
                        routeName: routeName(rule.route, vs),
                        destinations: destinations(rule.route, serverPort: port, gateway: entry.gateway),
                        source: source
                    )
                    return ListenerPlan(
                        bind: bind,
                        port: port,
                        protocol: .tcp,
                        chains: [chain],
                        servers: sources(entries)
                    )
                }
            }
        }
        return ListenerPlan(bind: bind, port: port, protocol: .tcp, chains: [], servers: sources(entries))
    }

    func sources(_ entries: [Entry]) -> [ServerSource] {
        entries.map { ServerSource(gateway: ref($0.gateway), serverIndex: $0.index) }
    }

    // MARK: Destinations and clusters

    /// Istio's stat prefix for weighted routes; a single destination has none.
    func routeName(_ routes: [VirtualService.RouteDestination], _ vs: VirtualService) -> String? {
        routes.count > 1 ? "\(vs.metadata.name).\(vs.metadata.namespace)" : nil
    }

    /// The weighted clusters of a route: a single destination gets everything; otherwise weight 0 gets nothing.
    mutating func destinations(
        _ routes: [VirtualService.RouteDestination],
        serverPort: Int,
        gateway: Gateway
    ) -> [WeightedCluster] {
        var result: [WeightedCluster] = []
        for route in routes {
            guard let destination = route.destination, routes.count == 1 || route.weight > 0 else { continue }
            let name = cluster(for: destination, serverPort: serverPort, gateway: gateway)
            result.append(WeightedCluster(name: name, weight: routes.count == 1 ? 100 : route.weight))
        }
        return result
    }

    /// `GetDestinationCluster`: the destination's port, else its service's only port, else the server's port;
    /// the cluster is resolved (or recorded as missing) on the way.
    mutating func cluster(for destination: VirtualService.Destination, serverPort: Int, gateway: Gateway) -> String {
        let service = serviceEntry(for: destination.host, gatewayNamespace: gateway.metadata.namespace)
        let port = destination.port ?? (service?.ports.count == 1 ? service?.ports[0].number : nil) ?? serverPort
        let name = ClusterPlan.name(port: port, subset: destination.subset, host: destination.host)
        resolveCluster(name, host: destination.host, port: port, gatewayNamespace: gateway.metadata.namespace)
        return name
    }

    /// The ServiceEntry serving a host, visible from the gateway's namespace; the earliest created wins.
    func serviceEntry(for host: String, gatewayNamespace: String) -> ServiceEntry? {
        snapshot.serviceEntries.map(\.0).first { entry in
            entry.hosts.contains(host)
                && ExportToRules.isVisible(entry.exportTo, from: entry.metadata.namespace, to: gatewayNamespace)
        }
    }

    mutating func resolveCluster(_ name: String, host: String, port: Int, gatewayNamespace: String) {
        guard clusters[name] == nil && missingClusters[name] == nil else { return }
        guard let entry = serviceEntry(for: host, gatewayNamespace: gatewayNamespace) else {
            let hidden = snapshot.serviceEntries.map(\.0).first { $0.hosts.contains(host) }
            missingClusters[name] =
                hidden.map {
                    "ServiceEntry \($0.metadata.namespace)/\($0.metadata.name) for \(host) is not exported to "
                        + "namespace \(gatewayNamespace)"
                } ?? "no ServiceEntry has host \(host)"
            return
        }
        let entryRef = ResourceRef(namespace: entry.metadata.namespace, name: entry.metadata.name)
        guard let servicePort = entry.ports.first(where: { $0.number == port }) else {
            missingClusters[name] = "ServiceEntry \(entryRef) has no port \(port)"
            return
        }
        let targetPort = servicePort.targetPort != 0 ? servicePort.targetPort : servicePort.number
        var endpoints = entry.endpoints.map { endpoint in
            EndpointPlan(
                address: endpoint.address,
                port: endpoint.ports[servicePort.name] ?? targetPort,
                needsResolution: !IPAddress.isValid(endpoint.address),
                weight: endpoint.weight
            )
        }
        let resolution: ClusterResolution
        switch entry.resolution {
        case .dns, .dynamicDNS: resolution = .strictDNS
        case .dnsRoundRobin: resolution = .logicalDNS
        case .static: resolution = .static
        case .none: resolution = .none
        }
        if endpoints.isEmpty && (resolution == .strictDNS || resolution == .logicalDNS) {
            endpoints = [EndpointPlan(address: host, port: targetPort, needsResolution: true)]
        }
        clusters[name] = ClusterPlan(
            name: name,
            host: host,
            port: port,
            subset: "",
            resolution: resolution,
            endpoints: endpoints,
            serviceEntry: entryRef
        )
    }

    mutating func warn(_ message: String) {
        warnings.append(.warning(message))
    }
}
