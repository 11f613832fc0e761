/// Who reports telemetry: the gateway workload, as Istio's ingress gateway described itself.
public struct TelemetryIdentity: Sendable, Hashable {
    /// `sourceApp` / `source_app` (the pod's `app` label).
    public var app: String
    /// `sourceWorkload` / `source_workload`.
    public var workload: String
    /// `sourceNamespace` / `source_workload_namespace`.
    public var namespace: String
    /// `sourceName`: the pod name.
    public var podName: String

    public init(app: String, workload: String, namespace: String, podName: String) {
        self.app = app
        self.workload = workload
        self.namespace = namespace
        self.podName = podName
    }

    /// Istio's ingress gateway in `istio-system`, with `podName` as the pod.
    public static func istioIngressGateway(podName: String = "istio-ingressgateway-frontproxy") -> TelemetryIdentity {
        TelemetryIdentity(
            app: "istio-ingressgateway",
            workload: "istio-ingressgateway",
            namespace: "istio-system",
            podName: podName
        )
    }

    /// `sourceOwner`: the deployment that owns the pod.
    public var owner: String { "kubernetes://apis/apps/v1/namespaces/\(namespace)/deployments/\(workload)" }
}
