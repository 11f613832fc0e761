/// A document of a kind FrontProxy does not read (a Deployment, a ConfigMap, a DestinationRule): left out
/// of the configuration, and counted rather than warned about one by one, so a whole config repo (Kustomize
/// or Helm output) can be read without noise.
public struct SkippedDocument: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// `metadata.name` and `metadata.namespace` as written (empty when absent).
    public var name: String
    public var namespace: String
    public var origin: DocumentOrigin?
    public var line: Int?

    public init(
        apiVersion: String,
        kind: String,
        name: String,
        namespace: String,
        origin: DocumentOrigin? = nil,
        line: Int? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.origin = origin
        self.line = line
    }

    /// Kinds of Istio's own API groups and of the Gateway API: they change what a gateway does, so the
    /// summary names them apart from Deployments and ConfigMaps.
    public var changesRouting: Bool {
        let group = apiVersion.split(separator: "/").dropLast().joined(separator: "/")
        return group.hasSuffix("istio.io") || group == "gateway.networking.k8s.io"
    }

    /// `file:line: document N: Deployment default/my-nginx (apps/v1) not read`
    public var description: String {
        var location = ""
        if let origin {
            location = (line.map { "\(origin.file):\($0)" } ?? origin.file) + ": document \(origin.document): "
        }
        let qualified = namespace.isEmpty ? name : "\(namespace)/\(name)"
        return "\(location)\(kind)\(qualified.isEmpty ? "" : " " + qualified) (\(apiVersion)) not read"
    }

    /// One line for a set of skipped documents, counted by kind: nil when there are none.
    ///
    /// `not read: 5 documents of kinds FrontProxy does not read: ConfigMap ×1, Deployment ×2, Secret ×2
    /// (-v lists them)`; kinds that would change routing are named apart.
    public static func summary(_ skipped: [SkippedDocument], listHint: String = "-v lists them") -> String? {
        guard !skipped.isEmpty else { return nil }
        func counts(_ documents: [SkippedDocument]) -> String {
            var byKind: [String: Int] = [:]
            for document in documents { byKind[document.kind, default: 0] += 1 }
            return byKind.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
        let plain = skipped.filter { !$0.changesRouting }
        let routing = skipped.filter(\.changesRouting)
        var parts: [String] = []
        if !plain.isEmpty { parts.append(counts(plain)) }
        if !routing.isEmpty { parts.append("Istio kinds whose effect is not simulated: " + counts(routing)) }
        let noun = skipped.count == 1 ? "document" : "documents"
        return "not read: \(skipped.count) \(noun) of kinds FrontProxy does not read: "
            + parts.joined(separator: "; ") + (listHint.isEmpty ? "" : " (\(listHint))")
    }
}
