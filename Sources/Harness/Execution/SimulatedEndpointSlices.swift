import MeshConfig

/// The harness's stand-in for Kubernetes' EndpointSlice controller: for every Service with a selector, the
/// EndpointSlices the cluster would hold for the world's pods (pkg/controller/endpointslice): one slice per
/// address family and set of resolved ports, each pod's IP an endpoint, `ready` from the pod (or true for a
/// Service that publishes not-ready addresses), a placeholder slice without endpoints when no pod matches.
/// Pure: Services and pods in, slices out.
enum SimulatedEndpointSlices {
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let controllerName = "endpointslice-controller.k8s.io"

    /// The slices for these Services, in a stable order.
    static func slices(for services: [KubernetesService], pods: [PodSpec]) -> [EndpointSlice] {
        services.flatMap { slices(for: $0.defaulted, pods: pods) }
    }

    private static func slices(for service: KubernetesService, pods: [PodSpec]) -> [EndpointSlice] {
        guard let selector = service.selector, !selector.isEmpty, service.type != KubernetesService.typeExternalName
        else { return [] }
        let selected = pods.filter { pod in
            pod.namespace == service.metadata.namespace && selector.allSatisfy { pod.labels[$0.key] == $0.value }
        }
        // Group pods by address family and resolved ports, keeping their order.
        var groups: [(key: String, addressType: String, ports: [EndpointSlice.Port], pods: [PodSpec])] = []
        for pod in selected {
            // Pod IPs are loopback literals the world decoder checked: a colon means IPv6 (::1).
            let addressType = pod.ip.contains(":") ? "IPv6" : "IPv4"
            let ports = service.ports.compactMap { port -> EndpointSlice.Port? in
                let number: Int?
                switch port.targetPort {
                case .int(let value): number = value
                case .string(let name): number = pod.ports[name]
                case nil: number = port.port
                }
                // A pod without the named port gets no endpoint for it, as `podutil.FindPort` fails.
                return number.map {
                    EndpointSlice.Port(
                        name: port.name,
                        protocol: port.protocol,
                        port: $0,
                        appProtocol: port.appProtocol
                    )
                }
            }
            let key = addressType + ports.map { "\($0.name ?? "")=\($0.port ?? 0)" }.joined(separator: ",")
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].pods.append(pod)
            } else {
                groups.append((key, addressType, ports, [pod]))
            }
        }
        var metadata = ResourceMetadata(name: "", namespace: service.metadata.namespace)
        metadata.labels = [
            EndpointSlice.serviceNameLabel: service.metadata.name, managedByLabel: controllerName,
        ]
        guard !groups.isEmpty else {
            metadata.name = sliceName(service, group: "placeholder")
            return [EndpointSlice(metadata: metadata, addressType: "IPv4")]
        }
        return groups.map { group in
            var sliceMetadata = metadata
            sliceMetadata.name = sliceName(service, group: group.key)
            return EndpointSlice(
                metadata: sliceMetadata,
                addressType: group.addressType,
                endpoints: group.pods.map { pod in
                    EndpointSlice.Endpoint(
                        addresses: [pod.ip],
                        conditions: EndpointSlice.Conditions(
                            ready: pod.ready || service.publishNotReadyAddresses,
                            serving: pod.ready,
                            terminating: false
                        ),
                        targetRef: EndpointSlice.TargetRef(kind: "Pod", namespace: pod.namespace, name: pod.name)
                    )
                },
                ports: group.ports
            )
        }
    }

    /// `<service>-<5 characters>`, as the controller's `generateName` makes it, but derived from the Service
    /// and the group so a scenario's slices keep their names from one run to the next.
    private static func sliceName(_ service: KubernetesService, group: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(service.metadata.namespace)/\(service.metadata.name)/\(group)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var suffix = ""
        for _ in 0..<5 {
            suffix.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return "\(service.metadata.name)-\(suffix)"
    }

    /// The slices as the YAML documents the controller would write (JSON-quoted strings, which YAML reads as
    /// they are).
    static func yaml(_ slices: [EndpointSlice]) -> String {
        slices.map { slice in
            var lines = [
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice", "metadata:",
                "  name: \(quoted(slice.metadata.name))", "  namespace: \(quoted(slice.metadata.namespace))",
                "  labels:",
            ]
            for (key, value) in slice.metadata.labels.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(quoted(key)): \(quoted(value))")
            }
            lines.append("addressType: \(slice.addressType)")
            lines.append("endpoints:" + (slice.endpoints.isEmpty ? " []" : ""))
            for endpoint in slice.endpoints {
                lines.append("- addresses: [\(endpoint.addresses.map(quoted).joined(separator: ", "))]")
                let conditions = endpoint.conditions
                lines.append(
                    "  conditions: {ready: \(conditions.ready ?? true), serving: \(conditions.serving ?? true), "
                        + "terminating: \(conditions.terminating ?? false)}"
                )
                if let reference = endpoint.targetRef {
                    lines.append(
                        "  targetRef: {kind: \(reference.kind), namespace: \(quoted(reference.namespace)), "
                            + "name: \(quoted(reference.name))}"
                    )
                }
            }
            lines.append("ports:" + (slice.ports.isEmpty ? " []" : ""))
            for port in slice.ports {
                var fields = ["name: \(quoted(port.name ?? ""))", "port: \(port.port ?? 0)"]
                fields.append("protocol: \(port.protocol ?? "TCP")")
                if let appProtocol = port.appProtocol { fields.append("appProtocol: \(quoted(appProtocol))") }
                lines.append("- {\(fields.joined(separator: ", "))}")
            }
            return lines.joined(separator: "\n") + "\n"
        }.joined(separator: "---\n")
    }

    /// A YAML double-quoted scalar.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
