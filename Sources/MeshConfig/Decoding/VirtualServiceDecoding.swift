extension VirtualService {
    static let specFields = FieldSet(["hosts", "gateways", "http", "tls", "tcp", "exportTo"])

    init(metadata: ResourceMetadata, _ reader: inout YAMLReader, _ spec: YAMLObject) {
        self.init(
            metadata: metadata,
            hosts: reader.strings(spec, "hosts"),
            gateways: reader.strings(spec, "gateways"),
            http: reader.messages(spec, "http", fields: HTTPRoute.fields, HTTPRoute.init),
            tls: reader.messages(spec, "tls", fields: TLSRoute.fields, TLSRoute.init),
            tcp: reader.messages(spec, "tcp", fields: TCPRoute.fields, TCPRoute.init),
            exportTo: reader.strings(spec, "exportTo")
        )
    }
}

extension VirtualService.TLSRoute {
    static let fields = FieldSet(["match", "route"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            match: reader.messages(
                object,
                "match",
                fields: VirtualService.TLSMatch.fields,
                VirtualService.TLSMatch.init
            ),
            route: reader.messages(
                object,
                "route",
                fields: VirtualService.RouteDestination.fields,
                VirtualService.RouteDestination.init
            )
        )
    }
}

extension VirtualService.TLSMatch {
    static let fields = FieldSet([
        "sniHosts", "destinationSubnets", "port", "sourceLabels", "gateways", "sourceNamespace",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            sniHosts: reader.strings(object, "sniHosts"),
            port: reader.uint32(object, "port"),
            gateways: reader.strings(object, "gateways")
        )
        destinationSubnets = reader.strings(object, "destinationSubnets")
        sourceLabels = reader.stringMap(object, "sourceLabels")
        sourceNamespace = reader.string(object, "sourceNamespace")
    }
}

extension VirtualService.TCPRoute {
    static let fields = FieldSet(["match", "route"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            match: reader.messages(object, "match", fields: VirtualService.L4Match.fields, VirtualService.L4Match.init),
            route: reader.messages(
                object,
                "route",
                fields: VirtualService.RouteDestination.fields,
                VirtualService.RouteDestination.init
            )
        )
    }
}

extension VirtualService.L4Match {
    static let fields = FieldSet([
        "destinationSubnets", "port", "sourceSubnet", "sourceLabels", "gateways", "sourceNamespace",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(port: reader.uint32(object, "port"), gateways: reader.strings(object, "gateways"))
        destinationSubnets = reader.strings(object, "destinationSubnets")
        sourceSubnet = reader.string(object, "sourceSubnet")
        sourceLabels = reader.stringMap(object, "sourceLabels")
        sourceNamespace = reader.string(object, "sourceNamespace")
    }
}

extension VirtualService.RouteDestination {
    static let fields = FieldSet(["destination", "weight"])
    /// `HTTPRouteDestination` also has `headers`.
    static let httpFields = FieldSet(["destination", "weight", "headers"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            destination: reader.message(
                object,
                "destination",
                fields: VirtualService.Destination.fields,
                VirtualService.Destination.init
            ),
            weight: reader.int32(object, "weight"),
            headers: reader.message(
                object,
                "headers",
                fields: VirtualService.Headers.fields,
                VirtualService.Headers.init
            )
        )
    }
}

extension VirtualService.Destination {
    static let fields = FieldSet(["host", "subset", "port"])
    private static let portFields = FieldSet(["number"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        reader.refuse(object, ["subset"], because: "DestinationRule subsets are out of scope for now")
        self.init(
            host: reader.string(object, "host"),
            subset: reader.string(object, "subset"),
            port: reader.message(object, "port", fields: Self.portFields) { reader, port in
                reader.uint32(port, "number")
            }
        )
    }
}
