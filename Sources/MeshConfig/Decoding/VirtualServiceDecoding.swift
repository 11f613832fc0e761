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

extension VirtualService.HTTPRoute {
    /// HTTPRoute fields FrontProxy recognises but does not implement; they are refused, never ignored.
    private static let refused = [
        "redirect", "directResponse", "delegate", "rewrite", "timeout", "retries", "fault", "mirror", "mirrors",
        "mirrorPercent", "mirrorPercentage", "corsPolicy", "headers",
    ]
    static let fields = FieldSet(["name", "match", "route"] + refused)

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        reader.refuse(object, Self.refused, because: "FrontProxy routes HTTP by host, path and port only")
        self.init(
            name: reader.string(object, "name"),
            match: reader.messages(
                object,
                "match",
                fields: VirtualService.HTTPMatch.fields,
                VirtualService.HTTPMatch.init
            ),
            route: reader.messages(
                object,
                "route",
                fields: VirtualService.RouteDestination.httpFields,
                VirtualService.RouteDestination.init
            )
        )
    }
}

extension VirtualService.HTTPMatch {
    private static let refused = [
        "scheme", "method", "headers", "queryParams", "ignoreUriCase", "withoutHeaders", "statPrefix",
    ]
    static let fields = FieldSet(
        ["name", "uri", "authority", "port", "gateways", "sourceLabels", "sourceNamespace"] + refused
    )

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        reader.refuse(object, Self.refused, because: "FrontProxy matches HTTP requests by uri, authority and port")
        self.init(
            name: reader.string(object, "name"),
            uri: reader.message(
                object,
                "uri",
                fields: VirtualService.StringMatch.fields,
                VirtualService.StringMatch.read
            )
                ?? nil,
            authority: reader.message(
                object,
                "authority",
                fields: VirtualService.StringMatch.fields,
                VirtualService.StringMatch.read
            ) ?? nil,
            port: reader.uint32(object, "port")
        )
        gateways = reader.strings(object, "gateways")
        sourceLabels = reader.stringMap(object, "sourceLabels")
        sourceNamespace = reader.string(object, "sourceNamespace")
    }
}

extension VirtualService.StringMatch {
    static let fields = FieldSet(["exact", "prefix", "regex"])

    /// A oneof: at most one of its fields; none at all means "no condition".
    static func read(_ reader: inout YAMLReader, _ object: YAMLObject) -> Self? {
        reader.refuse(object, ["regex"], because: "FrontProxy matches HTTP by exact or prefix strings only")
        let present = ["exact", "prefix", "regex"].filter { object.has($0) }
        guard present.count <= 1 else {
            reader.error("only one of exact, prefix, regex may be set", at: object.path, line: object.line)
            return nil
        }
        switch present.first {
        case "exact": return .exact(reader.string(object, "exact"))
        case "prefix": return .prefix(reader.string(object, "prefix"))
        default: return nil
        }
    }
}

extension VirtualService.RouteDestination {
    static let fields = FieldSet(["destination", "weight"])
    /// `HTTPRouteDestination` also has `headers`, which FrontProxy refuses.
    static let httpFields = FieldSet(["destination", "weight", "headers"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        reader.refuse(object, ["headers"], because: "FrontProxy does not rewrite HTTP headers")
        self.init(
            destination: reader.message(
                object,
                "destination",
                fields: VirtualService.Destination.fields,
                VirtualService.Destination.init
            ),
            weight: reader.int32(object, "weight")
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
