/// The resource kinds FrontProxy reads, with their API groups and the spellings `kubectl` accepts for them.
///
/// Istio's three networking kinds, and the two Kubernetes kinds Istio's service registry reads: `Service`
/// (core `v1`) and `EndpointSlice` (`discovery.k8s.io/v1`).
public enum ResourceKind: String, Sendable, CaseIterable, Hashable, Codable {
    case gateway = "Gateway"
    case virtualService = "VirtualService"
    case serviceEntry = "ServiceEntry"
    case service = "Service"
    case endpointSlice = "EndpointSlice"

    /// Istio's networking API group.
    public static let istioGroup = "networking.istio.io"

    /// The API group (`""` for the Kubernetes core group).
    public var group: String {
        switch self {
        case .gateway, .virtualService, .serviceEntry: Self.istioGroup
        case .service: ""
        case .endpointSlice: "discovery.k8s.io"
        }
    }

    /// The API versions served for the kind (one proto serves Istio's three).
    public var versions: [String] {
        switch self {
        case .gateway, .virtualService, .serviceEntry: ["v1alpha3", "v1beta1", "v1"]
        case .service, .endpointSlice: ["v1"]
        }
    }

    /// Whether the kind is one of Istio's (validated with Istio's rules) rather than a Kubernetes one
    /// (validated with the API server's).
    public var isIstioKind: Bool { group == Self.istioGroup }

    /// The kind in `apiVersion` form: `networking.istio.io/v1`, `v1`, `discovery.k8s.io/v1`.
    public func apiVersion(_ version: String) -> String {
        group.isEmpty ? version : "\(group)/\(version)"
    }

    /// The lower-case singular `kubectl` prints in `gateway.networking.istio.io/front-proxy created`.
    public var resourceName: String {
        switch self {
        case .gateway: "gateway"
        case .virtualService: "virtualservice"
        case .serviceEntry: "serviceentry"
        case .service: "service"
        case .endpointSlice: "endpointslice"
        }
    }

    /// The lower-case plural, as in the API path (`gateways`, `services`, `endpointslices`).
    public var pluralName: String {
        switch self {
        case .serviceEntry: "serviceentries"
        default: resourceName + "s"
        }
    }

    /// The singular qualified by its group, as `kubectl` prints it: `gateway.networking.istio.io`, `service`
    /// (the core group is never written), `endpointslice.discovery.k8s.io`.
    public var qualifiedName: String {
        group.isEmpty ? resourceName : "\(resourceName).\(group)"
    }

    /// The plural qualified by its group: `gateways.networking.istio.io`, `services`.
    public var qualifiedPluralName: String {
        group.isEmpty ? pluralName : "\(pluralName).\(group)"
    }

    /// The kind a document's `apiVersion` group and `kind` name; nil for kinds FrontProxy does not read.
    public init?(group: String, kind: String) {
        guard let known = Self(rawValue: kind), known.group == group else { return nil }
        self = known
    }

    /// Parses a kind the way `kubectl` does: singular, plural, short name or fully qualified
    /// (`gw`, `gateways`, `gateway.networking.istio.io`, `svc`, `endpointslices.discovery.k8s.io`),
    /// case-insensitively.
    public init?(kubectlName name: String) {
        var name = name.lowercased()
        for kind in Self.allCases where !kind.group.isEmpty && name.hasSuffix("." + kind.group) {
            name.removeLast(kind.group.count + 1)
            guard let parsed = Self(shortName: name), parsed.group == kind.group else { return nil }
            self = parsed
            return
        }
        guard let parsed = Self(shortName: name) else { return nil }
        self = parsed
    }

    private init?(shortName name: String) {
        switch name {
        case "gateway", "gateways", "gw": self = .gateway
        case "virtualservice", "virtualservices", "vs": self = .virtualService
        case "serviceentry", "serviceentries", "se": self = .serviceEntry
        case "service", "services", "svc": self = .service
        case "endpointslice", "endpointslices": self = .endpointSlice
        default: return nil
        }
    }
}
