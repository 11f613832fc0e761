/// The parts of Kubernetes `metadata` FrontProxy uses. Other standard metadata fields are accepted and ignored.
public struct ResourceMetadata: Sendable, Hashable {
    /// The namespace a resource without one lands in, as with `kubectl` in the default context.
    public static let defaultNamespace = "default"

    public var name: String
    public var namespace: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// `creationTimestamp` as written in the document (a `kubectl get -o yaml` dump has one); nil when absent.
    /// The store stamps a resource without one with the time it is first applied.
    public var creationTimestamp: CreationTimestamp?

    public init(
        name: String,
        namespace: String = Self.defaultNamespace,
        labels: [String: String] = [:],
        annotations: [String: String] = [:],
        creationTimestamp: CreationTimestamp? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.creationTimestamp = creationTimestamp
    }
}
