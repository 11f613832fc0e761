/// The parts of Kubernetes `metadata` FrontProxy uses. Other standard metadata fields are accepted and ignored.
public struct ResourceMetadata: Sendable, Hashable {
    /// The namespace a resource without one lands in, as with `kubectl` in the default context.
    public static let defaultNamespace = "default"

    public var name: String
    public var namespace: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        name: String,
        namespace: String = Self.defaultNamespace,
        labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}
