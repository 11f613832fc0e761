/// Istio's service registry as a gateway sees it: every ServiceEntry host and every Kubernetes Service as a
/// `model.Service` (pilot/pkg/serviceregistry/serviceentry/conversion.go and kube/conversion.go), ordered and
/// scoped as istiod's push context does (`initServiceRegistry`, `servicesExportedToNamespace`,
/// `DefaultSidecarScopeForGateway`). Pure: built from a snapshot and the compile options.
struct ServiceRegistry {
    /// Services the gateway proxy sees, by host.
    private(set) var visible: [String: RegistryService] = [:]
    /// Every service of the registry, in Istio's order, visible or not (to say why a host has no cluster).
    private(set) var all: [RegistryService] = []
    /// Services that lost their host to another at the gateway, with the one that won.
    private(set) var conflicts: [(loser: RegistryService, winner: RegistryService)] = []
    /// EndpointSlices by the namespace and name of the Service they serve.
    private var slices: [ResourceRef: [EndpointSlice]] = [:]

    init(snapshot: ConfigSnapshot, options: CompileOptions) {
        var services: [RegistryService] = []
        for (entry, created) in snapshot.serviceEntries {
            for host in entry.hosts {
                services.append(RegistryService(serviceEntry: entry, host: host, created: created))
            }
        }
        for (service, created) in snapshot.services {
            services.append(RegistryService(service: service.defaulted, created: created, options: options))
        }
        // `SortServicesByCreationTime`: creation time, then name (a ServiceEntry's is its host), then namespace.
        all = services.enumerated().sorted { a, b in
            (a.element.created, a.element.orderName, a.element.namespace, a.offset)
                < (b.element.created, b.element.orderName, b.element.namespace, b.offset)
        }.map(\.element)
        for slice in snapshot.endpointSlices {
            // Istio's Kubernetes registry skips multi-cluster slices and FQDN slices.
            guard let serviceName = slice.serviceName,
                slice.metadata.labels[EndpointSlice.multiClusterServiceNameLabel] == nil,
                slice.addressType != "FQDN"
            else { continue }
            slices[ResourceRef(namespace: slice.metadata.namespace, name: serviceName), default: []].append(slice)
        }
        // `servicesExportedToNamespace`: those private to or exported to the gateway's namespace, then the
        // public ones; each list in creation order. The first service of a host wins, except that a
        // Kubernetes Service takes a host from a ServiceEntry ("domain squatting" protection).
        let gatewayNamespace = options.gatewayNamespace
        let exported = all.filter { $0.visibility.isExported(to: gatewayNamespace) }
        let publicServices = all.filter { $0.visibility == .public }
        for service in exported + publicServices {
            guard let existing = visible[service.hostname] else {
                visible[service.hostname] = service
                continue
            }
            if existing.isKubernetes || !service.isKubernetes {
                if existing.canMerge(service) {
                    visible[service.hostname] = existing.merging(service)
                } else {
                    conflicts.append((loser: service, winner: existing))
                }
            } else {
                conflicts.append((loser: existing, winner: service))
                visible[service.hostname] = service
            }
        }
    }

    /// The services of a host the gateway cannot see, for a missing cluster's reason.
    func hidden(_ host: String) -> [RegistryService] {
        all.filter { $0.hostname == host && visible[host]?.id != $0.id }
    }

    /// The endpoints of a Kubernetes Service for one of its ports, from its EndpointSlices: each address of
    /// each endpoint on the slice port named like the service port (EDS matches ports by name). Duplicates
    /// across slices count once, as in Istio's `endpointSliceCache`.
    func endpoints(of service: ResourceRef, portName: String) -> (ready: [EndpointPlan], notReady: Int) {
        var ready: [EndpointPlan] = []
        var notReady = 0
        var seen: Set<String> = []
        for slice in slices[service] ?? [] {
            for port in slice.ports where (port.name ?? "") == portName {
                let number = port.port ?? 0
                for endpoint in slice.endpoints {
                    for address in endpoint.addresses where seen.insert(address).inserted {
                        if endpoint.conditions.isHealthy {
                            ready.append(EndpointPlan(address: address, port: number, needsResolution: false))
                        } else {
                            notReady += 1
                        }
                    }
                }
            }
        }
        return (ready, notReady)
    }

    /// Whether any EndpointSlice names the Service.
    func hasSlices(_ service: ResourceRef) -> Bool { !(slices[service] ?? []).isEmpty }
}

/// Which namespaces may see a service: `exportTo` of a ServiceEntry, the `networking.istio.io/exportTo`
/// annotation of a Service (`*` public, `.` its own namespace, `~` no one, or namespace names).
enum Visibility: Hashable {
    case `public`
    case none
    case namespaces(Set<String>)

    /// Istio's reading of an `exportTo` list (empty means the mesh default, public).
    init(exportTo: [String], namespace: String) {
        if exportTo.isEmpty || exportTo.contains("*") {
            self = .public
        } else if exportTo.contains("~") {
            self = .none
        } else {
            self = .namespaces(Set(exportTo.map { $0 == "." ? namespace : $0 }))
        }
    }

    /// Visible to `viewer` by name (its own namespace, or exported to it), not as a public service.
    func isExported(to viewer: String) -> Bool {
        if case .namespaces(let names) = self { return names.contains(viewer) }
        return false
    }
}

/// One service of the registry (`model.Service`).
struct RegistryService: Hashable {
    /// The resource it came from.
    var source: ServiceSource
    var hostname: String
    var namespace: String
    /// The name Istio orders services by: a ServiceEntry's host, a Service's name.
    var orderName: String
    var created: CreationTimestamp
    var ports: [RegistryPort]
    var resolution: Resolution
    var visibility: Visibility
    /// `MeshExternal`: a ServiceEntry's `MESH_EXTERNAL`, or an ExternalName Service.
    var meshExternal: Bool
    /// For a Kubernetes ExternalName Service: the host it aliases.
    var externalName: String?
    /// For ServiceEntries: the entries (several when Istio merges same-host entries of one namespace).
    var serviceEntries: [ServiceEntry]
    /// For a Kubernetes Service: its selector's labels, compared when merging.
    var labelSelector: [String: String]?

    enum Resolution: Hashable {
        /// `ClientSideLB`: a Kubernetes Service with a cluster IP (EDS), or a STATIC ServiceEntry.
        case clientSideLB
        /// `DNSLB` / `DNSRoundRobinLB`: DNS ServiceEntries.
        case dns
        case dnsRoundRobin
        /// `Passthrough`: a headless Service or a NONE ServiceEntry (EDS at a gateway, which has no original
        /// destination to pass through to).
        case passthrough
        /// `Alias`: an ExternalName Service; it gets no cluster of its own.
        case alias
        case dynamicDNS
    }

    var isKubernetes: Bool { source.kind == .service }

    var id: String { "\(source)|\(hostname)" }

    init(serviceEntry entry: ServiceEntry, host: String, created: CreationTimestamp) {
        source = ServiceSource(kind: .serviceEntry, resource: entry.metadata.ref)
        hostname = host
        namespace = entry.metadata.namespace
        orderName = host
        self.created = created
        ports = entry.ports.map { port in
            RegistryPort(
                name: port.name,
                number: port.number,
                protocol: IstioProtocol(port.protocol),
                targetPort: port.targetPort == 0 ? nil : .int(port.targetPort)
            )
        }
        switch entry.resolution {
        case .none: resolution = .passthrough
        case .static: resolution = .clientSideLB
        case .dns: resolution = .dns
        case .dnsRoundRobin: resolution = .dnsRoundRobin
        case .dynamicDNS: resolution = .dynamicDNS
        }
        visibility = Visibility(exportTo: entry.exportTo, namespace: entry.metadata.namespace)
        meshExternal = entry.location == .meshExternal
        externalName = nil
        serviceEntries = [entry]
        labelSelector = entry.workloadSelector
    }

    /// `ConvertService` on a defaulted Service.
    init(service: KubernetesService, created: CreationTimestamp, options: CompileOptions) {
        source = ServiceSource(kind: .service, resource: service.metadata.ref)
        hostname = options.hostname(service: service.metadata.name, namespace: service.metadata.namespace)
        namespace = service.metadata.namespace
        orderName = service.metadata.name
        self.created = created
        ports = service.ports.map { port in
            RegistryPort(
                name: port.name,
                number: port.port,
                protocol: IstioProtocol(
                    kubernetesPort: port.port,
                    name: port.name,
                    protocol: port.protocol,
                    appProtocol: port.appProtocol
                ),
                targetPort: port.targetPort
            )
        }
        resolution = .clientSideLB
        externalName = nil
        if service.isExternalName {
            externalName = service.externalName
            resolution = .alias
        }
        if service.isHeadless { resolution = .passthrough }
        visibility = Visibility(exportTo: service.exportTo, namespace: service.metadata.namespace)
        meshExternal = externalName != nil
        serviceEntries = []
        labelSelector = service.selector
    }

    /// `canMergeServices`: same namespace, resolution, registry and selector (labels are not compared here).
    func canMerge(_ other: RegistryService) -> Bool {
        namespace == other.namespace && resolution == other.resolution && source.kind == other.source.kind
            && labelSelector == other.labelSelector && source.kind == .serviceEntry
    }

    /// Two same-host ServiceEntries of one namespace as one service: the ports of both (the earlier's first),
    /// the endpoints of both.
    func merging(_ other: RegistryService) -> RegistryService {
        var merged = self
        for port in other.ports where !merged.ports.contains(where: { $0.number == port.number }) {
            merged.ports.append(port)
        }
        merged.serviceEntries += other.serviceEntries
        return merged
    }
}

/// A service port of the registry (`model.Port`), with the protocol Istio chose for it.
struct RegistryPort: Hashable {
    var name: String
    var number: Int
    var `protocol`: IstioProtocol
    /// A ServiceEntry's `targetPort`, or a Service's.
    var targetPort: IntOrString?
}

/// The resource a service, and so a cluster, came from.
public struct ServiceSource: Sendable, Hashable, CustomStringConvertible {
    /// `.serviceEntry` or `.service`.
    public var kind: ResourceKind
    public var resource: ResourceRef

    public init(kind: ResourceKind, resource: ResourceRef) {
        self.kind = kind
        self.resource = resource
    }

    /// `ServiceEntry default/google`, `Service default/my-nginx`.
    public var description: String { "\(kind.rawValue) \(resource)" }

    public var namespace: String { resource.namespace }
}

extension ResourceMetadata {
    var ref: ResourceRef { ResourceRef(namespace: namespace, name: name) }
}
