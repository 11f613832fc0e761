import Foundation
import MeshConfig

/// The seed's three resources, read from `Fixtures/front-proxy`.
enum Seed {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/front-proxy").path

    static func yaml(_ file: String) -> String {
        (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
    }

    static let gateway = yaml("gateway.yaml")
    static let virtualService = yaml("virtualservice.yaml")
    static let serviceEntry = yaml("serviceentry.yaml")
}

/// Loads YAML text as one file named `test.yaml`.
func load(_ yaml: String) -> [LoadedDocument] {
    ConfigLoader.load(yaml: yaml, file: "test.yaml")
}

/// A store with each YAML text applied in order (every document must be accepted).
func store(_ yamls: String...) -> ConfigStore {
    var store = ConfigStore()
    for yaml in yamls { _ = store.apply(yaml: yaml, file: "test.yaml") }
    return store
}

func plan(_ yamls: String...) -> RoutePlan {
    var store = ConfigStore()
    for yaml in yamls { _ = store.apply(yaml: yaml, file: "test.yaml") }
    return RouteCompiler.compile(store.snapshot)
}

extension RouteDecision {
    /// The single cluster name of a routed decision, for compact expectations.
    var routedCluster: String? {
        if case .routed(_, _, let clusters) = self, clusters.count == 1 { return clusters[0].name }
        return nil
    }

    /// The single cluster a chain chose, whether it exists (routed) or not (NC).
    var chosenCluster: String? {
        switch self {
        case .routed(_, _, let clusters), .noCluster(_, _, let clusters):
            return clusters.count == 1 ? clusters[0].name : nil
        default:
            return nil
        }
    }

    var isNoListener: Bool {
        if case .noListener = self { return true }
        return false
    }
}

/// A Gateway with one server per port on hosts `*` (PASSTHROUGH TLS unless the protocol is plain).
func gatewayYAML(name: String = "gw", namespace: String = "default", ports: [(Int, String)] = [(443, "TLS")]) -> String
{
    var lines = [
        "apiVersion: networking.istio.io/v1", "kind: Gateway", "metadata: {name: \(name), namespace: \(namespace)}",
        "spec:", "  servers:",
    ]
    for (number, proto) in ports {
        lines.append("  - port: {number: \(number), name: p\(number), protocol: \(proto)}")
        lines.append("    hosts: [\"*\"]")
        if proto == "TLS" || proto == "HTTPS" { lines.append("    tls: {mode: PASSTHROUGH}") }
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A ServiceEntry for `host` on port 443 with DNS resolution.
func serviceEntryYAML(name: String, host: String, port: Int = 443) -> String {
    """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: \(name)}
    spec:
      hosts: [\(host)]
      ports: [{number: \(port), name: https, protocol: TLS}]
      resolution: DNS
    """
}

/// A VirtualService with one TLS rule per (sniHosts, destination host).
func tlsVirtualServiceYAML(
    name: String,
    gateways: [String] = ["gw"],
    rules: [(sni: [String], host: String)],
    matchExtra: String = ""
) -> String {
    var lines = [
        "apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata: {name: \(name)}", "spec:",
        "  hosts: [\"*\"]", "  gateways: [\(gateways.joined(separator: ", "))]", "  tls:",
    ]
    for rule in rules {
        let sni = rule.sni.map { "\"\($0)\"" }.joined(separator: ", ")
        lines.append("  - match: [{sniHosts: [\(sni)]\(matchExtra)}]")
        lines.append("    route: [{destination: {host: \(rule.host)}}]")
    }
    return lines.joined(separator: "\n") + "\n"
}
