extension VirtualService {
    /// `ResolveVirtualServiceShortnames`: the VirtualService with its hosts and every destination host (HTTP
    /// routes, mirrors, TCP and TLS routes) qualified as Istio qualifies short names, with this
    /// VirtualService's namespace: `my-nginx` in `default` is `my-nginx.default.svc.cluster.local`.
    /// (Gateway references are resolved where they are matched, `GatewayBinding.resolve`.)
    func resolvingShortNames(_ options: CompileOptions) -> VirtualService {
        let namespace = metadata.namespace
        func qualify(_ destination: Destination?) -> Destination? {
            guard var destination else { return nil }
            destination.host = options.fullyQualified(destination.host, namespace: namespace)
            return destination
        }
        func qualify(_ routes: [RouteDestination]) -> [RouteDestination] {
            routes.map { route in
                var route = route
                route.destination = qualify(route.destination)
                return route
            }
        }
        var resolved = self
        resolved.hosts = hosts.map { options.fullyQualified($0, namespace: namespace) }
        for index in resolved.http.indices {
            resolved.http[index].route = qualify(resolved.http[index].route)
            resolved.http[index].mirror = qualify(resolved.http[index].mirror)
            for mirror in resolved.http[index].mirrors.indices {
                resolved.http[index].mirrors[mirror].destination = qualify(
                    resolved.http[index].mirrors[mirror].destination
                )
            }
        }
        for index in resolved.tcp.indices { resolved.tcp[index].route = qualify(resolved.tcp[index].route) }
        for index in resolved.tls.indices { resolved.tls[index].route = qualify(resolved.tls[index].route) }
        return resolved
    }
}
