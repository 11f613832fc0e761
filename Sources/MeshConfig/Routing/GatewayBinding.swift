/// How VirtualServices bind to gateways and servers (`resolveGatewayName`, `pickMatchingGatewayHosts`,
/// `l4SingleMatch` in istiod).
enum GatewayBinding {
    /// Resolves a gateway reference of a VirtualService in `namespace` to `ns/name` (`mesh` stays `mesh`).
    static func resolve(_ name: String, in namespace: String) -> String {
        if name == "mesh" { return name }
        guard let slash = name.firstIndex(of: "/") else {
            guard let dot = name.firstIndex(of: ".") else { return "\(namespace)/\(name)" }
            // Legacy FQDN form: name.ns.svc.cluster.local -> ns/name.
            let rest = name[name.index(after: dot)...]
            let namespacePart = rest.firstIndex(of: ".").map { rest[..<$0] } ?? rest
            return "\(namespacePart)/\(name[..<dot])"
        }
        if name[..<slash] == "." { return "\(namespace)/\(name[name.index(after: slash)...])" }
        return name
    }

    /// Whether the VirtualService names this gateway (`ns/name`) in its `gateways`.
    static func isBound(_ virtualService: VirtualService, to gateway: String) -> Bool {
        virtualService.gateways.contains { resolve($0, in: virtualService.metadata.namespace) == gateway }
    }

    /// Whether one of the VirtualService's hosts matches one of the server's hosts, honouring the `ns/` prefix.
    static func hostsMatch(server: Gateway.Server, gatewayNamespace: String, virtualService: VirtualService) -> Bool {
        for serverHost in server.hosts {
            var dnsName = serverHost
            if let slash = serverHost.firstIndex(of: "/") {
                let namespace = String(serverHost[..<slash])
                dnsName = String(serverHost[serverHost.index(after: slash)...])
                let effective = namespace == "." ? gatewayNamespace : namespace
                if effective != "*" && effective != virtualService.metadata.namespace { continue }
            }
            if virtualService.hosts.contains(where: { HostName.matches(dnsName, $0) }) { return true }
        }
        return false
    }

    /// A match applies to a server when its `port` is unset or equal, and its `gateways` unset or naming it.
    static func matchApplies(
        port: Int,
        gateways: [String],
        serverPort: Int,
        gateway: String,
        vsNamespace: String
    ) -> Bool {
        (port == 0 || port == serverPort)
            && (gateways.isEmpty || gateways.contains { resolve($0, in: vsNamespace) == gateway })
    }
}
