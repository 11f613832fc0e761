extension ServiceEntry {
    static let specFields = FieldSet([
        "hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo",
        "subjectAltNames",
    ])
    private static let selectorFields = FieldSet(["labels"])

    init(metadata: ResourceMetadata, _ reader: inout YAMLReader, _ spec: YAMLObject) {
        self.init(
            metadata: metadata,
            hosts: reader.strings(spec, "hosts"),
            addresses: reader.strings(spec, "addresses"),
            ports: reader.messages(spec, "ports", fields: Port.fields, Port.init),
            location: reader.enumeration(spec, "location", Location.self) ?? .meshExternal,
            resolution: reader.enumeration(spec, "resolution", Resolution.self) ?? .none,
            endpoints: reader.messages(spec, "endpoints", fields: Endpoint.fields, Endpoint.init),
            workloadSelector: reader.message(spec, "workloadSelector", fields: Self.selectorFields) {
                reader,
                selector in
                reader.stringMap(selector, "labels")
            },
            exportTo: reader.strings(spec, "exportTo"),
            subjectAltNames: reader.strings(spec, "subjectAltNames")
        )
    }
}

extension ServiceEntry.Endpoint {
    static let fields = FieldSet(["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(address: reader.string(object, "address"), ports: reader.uint32Map(object, "ports"))
        labels = reader.stringMap(object, "labels")
        network = reader.string(object, "network")
        locality = reader.string(object, "locality")
        weight = reader.uint32(object, "weight")
        serviceAccount = reader.string(object, "serviceAccount")
    }
}
