/// What a compile needs that the configuration does not say: where the gateway proxy runs and the cluster's
/// DNS suffix.
public struct CompileOptions: Sendable, Hashable {
    /// The namespace the gateway proxy (its pod) runs in. Istio judges `exportTo` of VirtualServices,
    /// ServiceEntries and Services against it, not against the Gateway resource's namespace.
    public var gatewayNamespace: String
    /// The suffix of Kubernetes Service hosts, `NAME.NAMESPACE.svc.<clusterDomain>`.
    public var clusterDomain: String

    public static let defaultGatewayNamespace = "istio-system"
    public static let defaultClusterDomain = "cluster.local"

    public init(
        gatewayNamespace: String = Self.defaultGatewayNamespace,
        clusterDomain: String = Self.defaultClusterDomain
    ) {
        self.gatewayNamespace = gatewayNamespace
        self.clusterDomain = clusterDomain
    }

    /// What is wrong with the options, if anything: the namespace must be a namespace name, the domain a DNS
    /// name.
    public var problem: String? {
        if let problem = KubernetesNames.dns1123Label(gatewayNamespace).first {
            return "gateway namespace \(quoted(gatewayNamespace)): \(problem)"
        }
        let labels = clusterDomain.split(separator: ".", omittingEmptySubsequences: false)
        if clusterDomain.isEmpty || labels.contains(where: { !KubernetesNames.matchesDNS1123Label($0) }) {
            return "cluster domain \(quoted(clusterDomain)) is not a DNS name such as cluster.local"
        }
        return nil
    }

    /// `kube.ServiceHostname`: `NAME.NAMESPACE.svc.<clusterDomain>`.
    public func hostname(service name: String, namespace: String) -> String {
        "\(name).\(namespace).svc.\(clusterDomain)"
    }

    /// `ResolveShortnameToFQDN`: a name without a dot (other than `*` and IP literals) is a Kubernetes
    /// Service of the referring resource's namespace; a name with a dot is taken as written.
    public func fullyQualified(_ host: String, namespace: String) -> String {
        guard !host.isEmpty, host != "*", !IPAddress.isValid(host), !host.contains(".") else { return host }
        return "\(host).\(namespace).svc.\(clusterDomain)"
    }
}
