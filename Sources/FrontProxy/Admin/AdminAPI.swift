import Foundation
import MeshConfig
import NIOCore
import NIOHTTP1

/// The admin API of a running proxy (`serve --admin`):
///
/// - `GET /ready`: `LIVE` once serving.
/// - `POST /apply` (YAML body): `kubectl apply`; `POST /delete` (YAML body): `kubectl delete -f`.
/// - `DELETE /config/{kind}/{namespace}/{name}`: `kubectl delete`.
/// - `GET /config/{kind}[/{namespace}[/{name}]]`: the applied resources as YAML.
/// - `GET /config_dump`: applied resources and the compiled plan, as JSON.
/// - `GET /listeners`: `name::address` per listener, as Envoy's admin prints them.
/// - `GET /stats/prometheus`: Istio's TCP metrics.
public struct AdminAPI: AdminRequestResponder {
    private let controlPlane: ControlPlane
    private let runtime: ProxyRuntime
    private let metrics: IstioMetrics

    public init(controlPlane: ControlPlane, runtime: ProxyRuntime, metrics: IstioMetrics) {
        self.controlPlane = controlPlane
        self.runtime = runtime
        self.metrics = metrics
    }

    public func respond(to request: AdminRequest) async -> AdminResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        switch (request.method, segments.first, segments.count) {
        case (.GET, "ready", 1):
            return AdminResponse(body: "LIVE\n")
        case (.POST, "apply", 1):
            let outcome = await controlPlane.apply(yaml: Self.text(request.body), file: "<admin>")
            return Self.response(outcome)
        case (.POST, "delete", 1):
            let outcome = await controlPlane.delete(yaml: Self.text(request.body), file: "<admin>")
            return Self.response(outcome)
        case (.DELETE, "config", 4):
            guard let kind = ResourceKind(kubectlName: segments[1]) else { return Self.unknownKind(segments[1]) }
            let outcome = await controlPlane.delete(ResourceID(kind: kind, namespace: segments[2], name: segments[3]))
            return Self.response(outcome, failure: .notFound)
        case (.GET, "config", 2...4):
            guard let kind = ResourceKind(kubectlName: segments[1]) else { return Self.unknownKind(segments[1]) }
            let namespace = segments.count > 2 ? segments[2] : nil
            let name = segments.count > 3 ? segments[3] : nil
            let found = await controlPlane.resources(kind: kind, name: name, namespace: namespace)
            if let name, found.isEmpty {
                let resource = kind.qualifiedPluralName
                return AdminResponse(
                    status: .notFound,
                    body: "Error from server (NotFound): \(resource) \"\(name)\" not found\n"
                )
            }
            return AdminResponse(
                contentType: "application/yaml",
                body: found.map(\.document.yaml).joined(separator: "---\n")
            )
        case (.GET, "config_dump", 1):
            return AdminResponse(contentType: "application/json", body: await configDump())
        case (.GET, "listeners", 1):
            let lines = runtime.boundListeners.values.sorted { $0.plan.name < $1.plan.name }
                .map { "\($0.plan.name)::\($0.localAddress.ipAddress ?? "?"):\($0.localAddress.port ?? 0)\n" }
            return AdminResponse(body: lines.joined())
        case (.GET, "stats", 2) where segments[1] == "prometheus":
            return AdminResponse(contentType: "text/plain; version=0.0.4", body: metrics.exposition())
        default:
            return AdminResponse(
                status: .notFound,
                body: "no admin endpoint \(request.method) \(request.path)\n"
            )
        }
    }

    private static func text(_ body: [UInt8]) -> String { String(decoding: body, as: UTF8.self) }

    private static func unknownKind(_ kind: String) -> AdminResponse {
        AdminResponse(
            status: .badRequest,
            body: "error: the server doesn't have a resource type \"\(kind)\" (gateway, virtualservice, serviceentry)\n"
        )
    }

    private static func response(
        _ outcome: ControlPlane.ChangeOutcome,
        failure: HTTPResponseStatus = .unprocessableEntity
    ) -> AdminResponse {
        let body =
            outcome.lines.map { $0 + "\n" }.joined()
            + outcome.warnings.map { "Warning: \($0)\n" }.joined()
            + outcome.errors.map { "error: \($0)\n" }.joined()
        return AdminResponse(status: outcome.succeeded ? .ok : failure, body: body)
    }

    /// The applied resources and the plan compiled from them.
    private func configDump() async -> String {
        let resources = await controlPlane.resources(kind: nil, name: nil, namespace: nil)
        let plan = runtime.currentPlan
        let bound = runtime.boundListeners
        let dump: [String: Any] = [
            "generation": await controlPlane.generation,
            "resources": resources.map { stored in
                [
                    "kind": stored.id.kind.rawValue, "namespace": stored.id.namespace, "name": stored.id.name,
                    "yaml": stored.document.yaml,
                ]
            },
            "listeners": plan.listeners.map { listener -> [String: Any] in
                [
                    "name": listener.name, "port": listener.port, "protocol": listener.protocol.rawValue,
                    "address": bound[listener.name].map { "\($0.localAddress)" } ?? NSNull(),
                    "chains": listener.chains.map { chain -> [String: Any] in
                        [
                            "id": chain.id, "serverNames": chain.serverNames, "source": chain.source.description,
                            "destinations": chain.destinations.map { ["cluster": $0.name, "weight": $0.weight] },
                        ]
                    },
                ]
            },
            "clusters": plan.clusters.values.sorted { $0.name < $1.name }.map { cluster -> [String: Any] in
                [
                    "name": cluster.name, "type": cluster.resolution.rawValue,
                    "endpoints": cluster.endpoints.map(\.description),
                    "service": cluster.source.description, "protocol": cluster.protocol,
                ]
            },
            "missingClusters": plan.missingClusters,
            "warnings": plan.warnings.map(\.description),
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: dump, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
