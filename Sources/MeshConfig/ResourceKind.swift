/// The Istio resource kinds FrontProxy understands, with the spellings `kubectl` accepts for them.
public enum ResourceKind: String, Sendable, CaseIterable, Hashable, Codable {
    case gateway = "Gateway"
    case virtualService = "VirtualService"
    case serviceEntry = "ServiceEntry"

    /// The API group every kind here belongs to.
    public static let group = "networking.istio.io"

    /// The API versions served for these kinds (one proto serves all three).
    public static let versions = ["v1alpha3", "v1beta1", "v1"]

    /// The lower-case plural `kubectl` prints in `gateway.networking.istio.io/front-proxy created`.
    public var resourceName: String {
        switch self {
        case .gateway: "gateway"
        case .virtualService: "virtualservice"
        case .serviceEntry: "serviceentry"
        }
    }

    /// Parses a kind the way `kubectl` does: singular, plural, short name or fully qualified
    /// (`gw`, `gateways`, `gateway.networking.istio.io`), case-insensitively.
    public init?(kubectlName name: String) {
        var name = name.lowercased()
        let suffix = "." + Self.group
        if name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        switch name {
        case "gateway", "gateways", "gw": self = .gateway
        case "virtualservice", "virtualservices", "vs": self = .virtualService
        case "serviceentry", "serviceentries", "se": self = .serviceEntry
        default: return nil
        }
    }
}
