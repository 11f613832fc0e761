extension KubernetesService {
    static let topLevelFields = FieldSet(kubernetes: ["apiVersion", "kind", "metadata", "spec", "status"])

    /// Every field of `ServiceSpec`; the ones Istio's registry does not read are accepted and left unread.
    static let specFields = FieldSet(kubernetes: [
        "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
        "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
        "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
        "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
    ])

    init(metadata: ResourceMetadata, _ reader: inout YAMLReader, _ spec: YAMLObject) {
        let selector: [String: String]? = spec.has("selector") ? reader.stringMap(spec, "selector") : nil
        self.init(
            metadata: metadata,
            type: reader.string(spec, "type"),
            ports: reader.messages(spec, "ports", fields: Port.fields, Port.init),
            selector: selector,
            clusterIP: reader.string(spec, "clusterIP"),
            clusterIPs: reader.strings(spec, "clusterIPs"),
            externalName: reader.string(spec, "externalName"),
            publishNotReadyAddresses: reader.bool(spec, "publishNotReadyAddresses") ?? false
        )
    }
}

extension KubernetesService.Port {
    static let fields = FieldSet(kubernetes: ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            name: reader.string(object, "name"),
            protocol: reader.string(object, "protocol"),
            appProtocol: reader.optionalString(object, "appProtocol"),
            port: reader.int32(object, "port"),
            targetPort: reader.intOrString(object, "targetPort"),
            nodePort: reader.int32(object, "nodePort")
        )
    }
}

extension EndpointSlice {
    /// An EndpointSlice has no `spec`: its fields sit beside `metadata`.
    static let topLevelFields = FieldSet(kubernetes: [
        "apiVersion", "kind", "metadata", "addressType", "endpoints", "ports",
    ])

    init(metadata: ResourceMetadata, _ reader: inout YAMLReader, _ document: YAMLObject) {
        self.init(
            metadata: metadata,
            addressType: reader.string(document, "addressType"),
            endpoints: reader.messages(document, "endpoints", fields: Endpoint.fields, Endpoint.init),
            ports: reader.messages(document, "ports", fields: Port.fields, Port.init)
        )
    }
}

extension EndpointSlice.Endpoint {
    static let fields = FieldSet(kubernetes: [
        "addresses", "conditions", "hostname", "targetRef", "deprecatedTopology", "nodeName", "zone", "hints",
    ])
    private static let conditionFields = FieldSet(kubernetes: ["ready", "serving", "terminating"])
    private static let targetRefFields = FieldSet(kubernetes: [
        "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        let conditions =
            reader.message(object, "conditions", fields: Self.conditionFields) { reader, conditions in
                EndpointSlice.Conditions(
                    ready: reader.bool(conditions, "ready"),
                    serving: reader.bool(conditions, "serving"),
                    terminating: reader.bool(conditions, "terminating")
                )
            } ?? EndpointSlice.Conditions()
        let targetRef = reader.message(object, "targetRef", fields: Self.targetRefFields) { reader, reference in
            EndpointSlice.TargetRef(
                kind: reader.string(reference, "kind"),
                namespace: reader.string(reference, "namespace"),
                name: reader.string(reference, "name")
            )
        }
        self.init(
            addresses: reader.strings(object, "addresses"),
            conditions: conditions,
            hostname: reader.optionalString(object, "hostname"),
            nodeName: reader.optionalString(object, "nodeName"),
            zone: reader.optionalString(object, "zone"),
            targetRef: targetRef
        )
    }
}

extension EndpointSlice.Port {
    static let fields = FieldSet(kubernetes: ["name", "protocol", "port", "appProtocol"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            name: reader.optionalString(object, "name"),
            protocol: reader.optionalString(object, "protocol"),
            port: reader.optionalInt32(object, "port"),
            appProtocol: reader.optionalString(object, "appProtocol")
        )
    }
}
