/// Turns a configuration snapshot into a `RoutePlan`, following how istiod builds gateway listeners for
/// PASSTHROUGH servers (reference §4). Pure: same snapshot and options, same plan.
public enum RouteCompiler {
    public static func compile(_ snapshot: ConfigSnapshot, options: CompileOptions = CompileOptions()) -> RoutePlan {
        var compilation = RouteCompilation(snapshot: snapshot, options: options)
        return compilation.run()
    }
}

/// The state of one compile (HTTP listeners in RouteCompilation+HTTP.swift).
struct RouteCompilation {
    typealias Entry = (server: Gateway.Server, index: Int, gateway: Gateway)

    let snapshot: ConfigSnapshot
    let options: CompileOptions
    /// VirtualServices in Istio's order (creation, then name, then namespace), short names qualified.
    let virtualServices: [VirtualService]
    /// ServiceEntries and Kubernetes Services as the gateway proxy's namespace sees them.
    let registry: ServiceRegistry
    var clusters: [String: ClusterPlan] = [:]
    var missingClusters: [String: String] = [:]
    var warnings: [Diagnostic] = []

    init(snapshot: ConfigSnapshot, options: CompileOptions) {
        self.snapshot = snapshot
        self.options = options
        self.virtualServices = snapshot.virtualServices.map { $0.resolvingShortNames(options) }
        self.registry = ServiceRegistry(snapshot: snapshot, options: options)
    }

    mutating func run() -> RoutePlan {
        for (loser, winner) in registry.conflicts {
            warn(
                "\(loser.source) is not used for host \(loser.hostname) at the gateway: \(winner.source) has it ("
                    + (winner.isKubernetes && !loser.isKubernetes
                        ? "a Kubernetes Service takes a host from a ServiceEntry"
                        : serviceOrder(winner, before: loser)) + ")"
            )
        }
        var listeners: [ListenerPlan] = []
        var omitted: [OmittedListener] = []
        for (bind, port, entries) in serversByListener() {
            guard let protocolKind = listenerProtocol(entries[0].server) else { continue }
            let compatible = entries.filter { entry in
                guard listenerProtocol(entry.server) == protocolKind else {
                    let first = entries[0]
                    warn(
                        "Gateway \(ref(entry.gateway)) server #\(entry.index) skipped: port \(port) already serves "
                            + "\(protocolKind.rawValue) for Gateway \(ref(first.gateway)) server #\(first.index)"
                            + (first.gateway.metadata == entry.gateway.metadata
                                ? "" : " (" + order(first.gateway.id, before: entry.gateway.id) + ")")
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
            warnings: warnings,
            options: options
        )
    }

    // MARK: Listeners

    /// Gateway servers grouped by (bind, port), in Istio's gateway order then server order.
    func serversByListener() -> [(bind: String, port: Int, entries: [Entry])] {
        var groups: [(bind: String, port: Int, entries: [Entry])] = []
        for gateway in snapshot.gateways {
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

    /// How istiod's `VirtualServicesForGateway(proxyNamespace, gateway)` ranks a VirtualService for the gateway
    /// proxy's namespace: 0 private to it, 1 exported to it by name, 2 public; nil when it cannot see it.
    func exportBucket(_ vs: VirtualService) -> Int? {
        let namespace = vs.metadata.namespace
        let proxyNamespace = options.gatewayNamespace
        if vs.exportTo.isEmpty || vs.exportTo.contains("*") { return 2 }
        if namespace == proxyNamespace && (vs.exportTo.contains(".") || vs.exportTo.contains(namespace)) { return 0 }
        if vs.exportTo.contains(proxyNamespace) { return 1 }
        return nil
    }

    /// VirtualServices that apply to a server: bound to its gateway, exported to the gateway proxy's namespace,
    /// with a matching host; in istiod's order (`VirtualServicesForGateway`): those private to that namespace,
    /// then those exported to it by name, then public ones, each group in Istio's creation order.
    func virtualServices(for entry: Entry) -> [VirtualService] {
        let gatewayName = ref(entry.gateway).description
        let bound = virtualServices.compactMap { vs -> (VirtualService, Int)? in
            guard let bucket = exportBucket(vs), GatewayBinding.isBound(vs, to: gatewayName),
                GatewayBinding.hostsMatch(
                    server: entry.server,
                    gatewayNamespace: entry.gateway.metadata.namespace,
                    virtualService: vs
                )
            else { return nil }
            return (vs, bucket)
        }
        // A stable sort keeps creation order inside each group.
        return bound.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
    }

    mutating func tlsListener(bind: String, port: Int, entries: [Entry]) -> ListenerPlan {
        let name = "\(bind)_\(port)"
        var chains: [FilterChainPlan] = []
        /// Each SNI claimed so far, with the VirtualService rule that claimed it (nil: AUTO_PASSTHROUGH).
        var claimed: [String: (vs: VirtualService, rule: Int)?] = [:]
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
                        let duplicates = sniHosts.filter { claimed[$0] != nil }
                        guard duplicates.isEmpty else {
                            warn(
                                "skipping VirtualService \(vs.metadata.name) rule #\(ruleIndex) on server port \(port) "
                                    + "of gateway \(gatewayName), duplicate SNI host names: "
                                    + "[\(duplicates.joined(separator: " "))]"
                                    + duplicateOwner(duplicates[0], claimed: claimed, loser: vs)
                            )
                            continue
                        }
                        for host in sniHosts { claimed[host] = (vs, ruleIndex) }
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

    /// Who claimed a duplicate SNI first, and why it comes first in Istio's order: the loser and the winner by
    /// name, as the rule says.
    func duplicateOwner(
        _ host: String,
        claimed: [String: (vs: VirtualService, rule: Int)?],
        loser: VirtualService
    ) -> String {
        guard let owner = claimed[host] else { return "" }
        guard let (winner, rule) = owner else { return " (an AUTO_PASSTHROUGH server of this port has it)" }
        if winner.metadata == loser.metadata { return " (rule #\(rule) of the same VirtualService has it)" }
        let reason: String
        if let winnerBucket = exportBucket(winner), let loserBucket = exportBucket(loser), winnerBucket != loserBucket {
            let kinds = ["private to", "exported to", "public, visible from"]
            reason =
                "VirtualService \(ref(winner)) is \(kinds[winnerBucket]) the gateway's namespace "
                + "\(options.gatewayNamespace), which comes before \(kinds[loserBucket].split(separator: ",")[0]) ones"
        } else {
            reason = order(winner.id, before: loser.id)
        }
        return "; VirtualService \(ref(winner)) rule #\(rule) has them (\(reason))"
    }

    /// Why one resource comes before another in Istio's order: the earlier `creationTimestamp`, else the name,
    /// else the namespace.
    func order(_ winner: ResourceID, before loser: ResourceID) -> String {
        let winnerTime = snapshot.creationTimestamp(of: winner) ?? .unclocked
        let loserTime = snapshot.creationTimestamp(of: loser) ?? .unclocked
        if winnerTime != loserTime {
            return "\(winner) was created at \(winnerTime), \(loser) at \(loserTime)"
        }
        if winner.name != loser.name {
            return "both created at \(winnerTime): by name \(quoted(winner.name)) comes before \(quoted(loser.name))"
        }
        return "both created at \(winnerTime) with the same name: by namespace \(quoted(winner.namespace)) comes "
            + "before \(quoted(loser.namespace))"
    }

    /// The same for two services of the registry (a ServiceEntry's host is its name in Istio's order).
    func serviceOrder(_ winner: RegistryService, before loser: RegistryService) -> String {
        if winner.visibility != .public && loser.visibility == .public {
            return "\(winner.source) is exported to namespace \(options.gatewayNamespace) by name, which comes before "
                + "public services"
        }
        if winner.created != loser.created {
            return "\(winner.source) was created at \(winner.created), \(loser.source) at \(loser.created)"
        }
        if winner.orderName != loser.orderName {
            return "both created at \(winner.created): by name \(quoted(winner.orderName)) comes before "
                + quoted(loser.orderName)
        }
        return "both created at \(winner.created) with the same name: by namespace \(quoted(winner.namespace)) comes "
            + "before \(quoted(loser.namespace))"
    }

    /// AUTO_PASSTHROUGH: one chain per mesh-internal service (a MESH_INTERNAL ServiceEntry host or a Kubernetes
    /// Service) and port matching the server's hosts, for SNI `outbound_.<port>_._.<host>`; no VirtualService
    /// involved.
    mutating func autoPassthroughChains(
        listener: String,
        entry: Entry,
        claimed: inout [String: (vs: VirtualService, rule: Int)?]
    )
        -> [FilterChainPlan]
    {
        var chains: [FilterChainPlan] = []
        let dnsNames = entry.server.hosts.map { host in host.split(separator: "/").last.map(String.init) ?? host }
        let services = registry.visible.values.filter { !$0.meshExternal && $0.resolution != .alias }
            .sorted { $0.hostname < $1.hostname }
        for service in services where dnsNames.contains(where: { HostName.matches($0, service.hostname) }) {
            for (portIndex, port) in service.ports.enumerated() {
                let serverName = "outbound_.\(port.number)_._.\(service.hostname)".asciiLowercased()
                guard claimed[serverName] == nil else { continue }
                claimed[serverName] = .some(nil)
                let cluster = ClusterPlan.name(port: port.number, host: service.hostname)
                resolveCluster(cluster, host: service.hostname, port: port.number)
                let source = RouteSource(
                    resource: service.source.resource,
                    kind: .autoPassthrough,
                    ruleIndex: portIndex,
                    matchIndex: nil,
                    serviceKind: service.source.kind
                )
                chains.append(
                    FilterChainPlan(
                        id: "\(listener)/\(source.resource)/auto/\(service.hostname)/\(port.number)",
                        serverNames: [serverName],
                        destinations: [WeightedCluster(name: cluster, weight: 100)],
                        source: source
                    )
                )
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
    /// for an ExternalName Service the host it aliases. The cluster is resolved (or recorded as missing) on the
    /// way. The destination's host is already fully qualified.
    mutating func cluster(for destination: VirtualService.Destination, serverPort: Int, gateway: Gateway) -> String {
        let service = registry.visible[destination.host]
        let host = service?.externalName ?? destination.host
        let port = destination.port ?? (service?.ports.count == 1 ? service?.ports[0].number : nil) ?? serverPort
        let name = ClusterPlan.name(port: port, subset: destination.subset, host: host)
        resolveCluster(name, host: host, port: port, aliasedBy: service?.externalName == nil ? nil : service)
        return name
    }

    /// Builds the cluster of a host and port from the service the gateway sees for the host, or records why
    /// there is none (`NC`).
    mutating func resolveCluster(_ name: String, host: String, port: Int, aliasedBy alias: RegistryService? = nil) {
        guard clusters[name] == nil && missingClusters[name] == nil else { return }
        let via = alias.map { " (\($0.source) is an ExternalName alias of \(host))" } ?? ""
        guard let service = registry.visible[host] else {
            let hidden = registry.hidden(host)
            if let first = hidden.first {
                missingClusters[name] =
                    "\(first.source) for \(host) is not exported to namespace \(options.gatewayNamespace), where the "
                    + "gateway runs\(via)"
            } else {
                missingClusters[name] = "no ServiceEntry or Service has host \(host)\(via)"
            }
            return
        }
        guard service.resolution != .alias else {
            missingClusters[name] =
                "\(service.source) is an ExternalName alias of \(service.externalName ?? "?"): an alias has no cluster of "
                + "its own, and Istio follows only one alias\(via)"
            return
        }
        guard let servicePort = service.ports.first(where: { $0.number == port }) else {
            missingClusters[name] = "\(service.source) has no port \(port)\(via)"
            return
        }
        if service.isKubernetes {
            clusters[name] = kubernetesCluster(name, service: service, port: servicePort)
        } else {
            clusters[name] = serviceEntryCluster(name, service: service, port: servicePort)
        }
    }

    /// A ServiceEntry's cluster: STATIC endpoints, DNS names (the host itself when none are listed), or none.
    func serviceEntryCluster(_ name: String, service: RegistryService, port servicePort: RegistryPort) -> ClusterPlan {
        let targetPort: Int
        if case .int(let number) = servicePort.targetPort {
            targetPort = number
        } else {
            targetPort = servicePort.number
        }
        var endpoints = service.serviceEntries.flatMap(\.endpoints).map { endpoint in
            EndpointPlan(
                address: endpoint.address,
                port: endpoint.ports[servicePort.name] ?? targetPort,
                needsResolution: !IPAddress.isValid(endpoint.address),
                weight: endpoint.weight
            )
        }
        let resolution: ClusterResolution
        switch service.resolution {
        case .dns, .dynamicDNS: resolution = .strictDNS
        case .dnsRoundRobin: resolution = .logicalDNS
        case .clientSideLB: resolution = .static
        case .passthrough, .alias: resolution = .none
        }
        if endpoints.isEmpty && (resolution == .strictDNS || resolution == .logicalDNS) {
            endpoints = [EndpointPlan(address: service.hostname, port: targetPort, needsResolution: true)]
        }
        return ClusterPlan(
            name: name,
            host: service.hostname,
            port: servicePort.number,
            subset: "",
            resolution: resolution,
            endpoints: endpoints,
            source: service.source,
            protocol: servicePort.protocol.name
        )
    }

    /// A Kubernetes Service's cluster (EDS, headless ones too: a gateway has no original destination): the
    /// ready endpoints of its EndpointSlices on the slice port named like the service port.
    func kubernetesCluster(_ name: String, service: RegistryService, port servicePort: RegistryPort) -> ClusterPlan {
        let (ready, notReady) = registry.endpoints(of: service.source.resource, portName: servicePort.name)
        return ClusterPlan(
            name: name,
            host: service.hostname,
            port: servicePort.number,
            subset: "",
            resolution: .eds,
            endpoints: ready,
            source: service.source,
            protocol: servicePort.protocol.name,
            notReadyEndpoints: notReady,
            hasEndpointSlices: registry.hasSlices(service.source.resource)
        )
    }

    mutating func warn(_ message: String) {
        warnings.append(.warning(message))
    }
}
