extension IstioPort {
    static let fields = FieldSet(["number", "protocol", "name", "targetPort"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            number: reader.uint32(object, "number"),
            protocol: reader.string(object, "protocol"),
            name: reader.string(object, "name"),
            targetPort: reader.uint32(object, "targetPort")
        )
    }
}
