extension ResourceMetadata {
    static let fields = FieldSet(["name", "namespace", "labels", "annotations", "creationTimestamp"] + tolerated)

    /// Kubernetes' JSON names only (the API server decodes JSON, not protobuf's JSON mapping).
    static let kubernetesFields = FieldSet(
        kubernetes: ["name", "namespace", "labels", "annotations", "creationTimestamp"] + tolerated
    )

    /// Standard Kubernetes metadata a saved object (`kubectl get -o yaml`) carries; accepted, not used.
    private static let tolerated = [
        "uid", "resourceVersion", "generation", "managedFields", "finalizers", "ownerReferences", "generateName",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        let namespace = reader.string(object, "namespace")
        self.init(
            name: reader.string(object, "name"),
            namespace: namespace.isEmpty ? Self.defaultNamespace : namespace,
            labels: reader.stringMap(object, "labels"),
            annotations: reader.stringMap(object, "annotations"),
            creationTimestamp: reader.timestamp(object, "creationTimestamp")
        )
    }
}
