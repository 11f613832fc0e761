extension VirtualService.HTTPRoute {
    static let fields = FieldSet([
        "name", "match", "route", "redirect", "directResponse", "delegate", "rewrite", "timeout", "retries", "fault",
        "mirror", "mirrors", "mirrorPercent", "mirrorPercentage", "corsPolicy", "headers",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        typealias VS = VirtualService
        self.init(
            name: reader.string(object, "name"),
            match: reader.messages(object, "match", fields: VS.HTTPMatch.fields, VS.HTTPMatch.init),
            route: reader.messages(
                object,
                "route",
                fields: VS.RouteDestination.httpFields,
                VS.RouteDestination.init
            )
        )
        redirect = reader.message(object, "redirect", fields: VS.HTTPRedirect.fields, VS.HTTPRedirect.init)
        directResponse = reader.message(
            object,
            "directResponse",
            fields: VS.HTTPDirectResponse.fields,
            VS.HTTPDirectResponse.init
        )
        delegate = reader.message(object, "delegate", fields: VS.Delegate.fields, VS.Delegate.init)
        rewrite = reader.message(object, "rewrite", fields: VS.HTTPRewrite.fields, VS.HTTPRewrite.init)
        timeout = reader.duration(object, "timeout")
        retries = reader.message(object, "retries", fields: VS.HTTPRetry.fields, VS.HTTPRetry.init)
        fault = reader.message(object, "fault", fields: VS.HTTPFaultInjection.fields, VS.HTTPFaultInjection.init)
        mirror = reader.message(object, "mirror", fields: VS.Destination.fields, VS.Destination.init)
        mirrorPercent = reader.optionalUInt32(object, "mirrorPercent")
        mirrorPercentage = reader.percent(object, "mirrorPercentage")
        mirrors = reader.messages(object, "mirrors", fields: VS.HTTPMirrorPolicy.fields, VS.HTTPMirrorPolicy.init)
        corsPolicy = reader.message(object, "corsPolicy", fields: VS.CorsPolicy.fields, VS.CorsPolicy.init)
        headers = reader.message(object, "headers", fields: VS.Headers.fields, VS.Headers.init)
    }
}

extension VirtualService.HTTPMatch {
    static let fields = FieldSet([
        "name", "uri", "scheme", "method", "authority", "headers", "port", "sourceLabels", "gateways", "queryParams",
        "ignoreUriCase", "withoutHeaders", "sourceNamespace", "statPrefix",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        typealias StringMatch = VirtualService.StringMatch
        self.init(name: reader.string(object, "name"), port: reader.uint32(object, "port"))
        uri = reader.stringMatch(object, "uri")
        scheme = reader.stringMatch(object, "scheme")
        method = reader.stringMatch(object, "method")
        authority = reader.stringMatch(object, "authority")
        headers = reader.keyMatches(object, "headers")
        withoutHeaders = reader.keyMatches(object, "withoutHeaders")
        queryParams = reader.keyMatches(object, "queryParams")
        gateways = reader.strings(object, "gateways")
        ignoreUriCase = reader.bool(object, "ignoreUriCase") ?? false
        sourceLabels = reader.stringMap(object, "sourceLabels")
        sourceNamespace = reader.string(object, "sourceNamespace")
        statPrefix = reader.string(object, "statPrefix")
    }
}

extension VirtualService.StringMatch {
    static let fields = FieldSet(["exact", "prefix", "regex"])

    /// A oneof: at most one of its fields; none at all means "no condition" (for a header: "present").
    static func read(_ reader: inout YAMLReader, _ object: YAMLObject) -> Self? {
        let present = ["exact", "prefix", "regex"].filter { object.has($0) }
        guard present.count <= 1 else {
            reader.error("only one of exact, prefix, regex may be set", at: object.path, line: object.line)
            return nil
        }
        switch present.first {
        case "exact": return .exact(reader.string(object, "exact"))
        case "prefix": return .prefix(reader.string(object, "prefix"))
        case "regex": return .regex(reader.string(object, "regex"))
        default: return nil
        }
    }
}

extension VirtualService.HTTPRedirect {
    static let fields = FieldSet(["uri", "prefixRewrite", "authority", "port", "derivePort", "scheme", "redirectCode"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            uri: reader.string(object, "uri"),
            prefixRewrite: reader.string(object, "prefixRewrite"),
            authority: reader.string(object, "authority"),
            scheme: reader.string(object, "scheme"),
            redirectCode: reader.uint32(object, "redirectCode")
        )
        if object.has("port") && object.has("derivePort") {
            reader.error("only one of port, derivePort may be set", at: object.path, line: object.line)
        } else if object.has("port") {
            port = .number(reader.uint32(object, "port"))
        } else if let derive = reader.enumeration(object, "derivePort", PortSelection.self) {
            port = .derive(derive)
        }
    }
}

extension VirtualService.HTTPDirectResponse {
    static let fields = FieldSet(["status", "body"])
    private static let bodyFields = FieldSet(["string", "bytes"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(status: reader.uint32(object, "status"))
        body =
            reader.message(object, "body", fields: Self.bodyFields) { reader, body -> Body? in
                switch (body.has("string"), body.has("bytes")) {
                case (true, true):
                    reader.error("only one of string, bytes may be set", at: body.path, line: body.line)
                    return nil
                case (true, false): return .string(reader.string(body, "string"))
                case (false, true): return reader.base64(body, "bytes").map(Body.bytes)
                case (false, false): return nil
                }
            } ?? nil
    }
}

extension VirtualService.Delegate {
    static let fields = FieldSet(["name", "namespace"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(name: reader.string(object, "name"), namespace: reader.string(object, "namespace"))
    }
}

extension VirtualService.HTTPRewrite {
    static let fields = FieldSet(["uri", "authority", "uriRegexRewrite"])
    private static let regexFields = FieldSet(["match", "rewrite"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            uri: reader.string(object, "uri"),
            authority: reader.string(object, "authority"),
            uriRegexRewrite: reader.message(object, "uriRegexRewrite", fields: Self.regexFields) { reader, regex in
                RegexRewrite(match: reader.string(regex, "match"), rewrite: reader.string(regex, "rewrite"))
            }
        )
    }
}

extension VirtualService.HTTPRetry {
    static let fields = FieldSet([
        "attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        reader.refuse(
            object,
            ["retryIgnorePreviousHosts", "backoff"],
            because: "FrontProxy retries with Envoy's default host selection and back-off"
        )
        self.init(
            attempts: reader.int32(object, "attempts"),
            perTryTimeout: reader.duration(object, "perTryTimeout"),
            retryOn: reader.string(object, "retryOn")
        )
        retryRemoteLocalities = reader.bool(object, "retryRemoteLocalities")
    }
}

extension VirtualService.HTTPFaultInjection {
    static let fields = FieldSet(["delay", "abort"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            delay: reader.message(object, "delay", fields: Delay.fields, Delay.init),
            abort: reader.message(object, "abort", fields: Abort.fields, Abort.init)
        )
    }
}

extension VirtualService.HTTPFaultInjection.Delay {
    static let fields = FieldSet(["fixedDelay", "exponentialDelay", "percentage", "percent"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(fixedDelay: reader.duration(object, "fixedDelay"), percentage: reader.percent(object, "percentage"))
        exponentialDelay = reader.duration(object, "exponentialDelay")
        percent = reader.int32(object, "percent")
    }
}

extension VirtualService.HTTPFaultInjection.Abort {
    static let fields = FieldSet(["httpStatus", "grpcStatus", "http2Error", "percentage"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        let present = ["httpStatus", "grpcStatus", "http2Error"].filter { object.has($0) }
        let error: ErrorType?
        if present.count > 1 {
            reader.error(
                "only one of httpStatus, grpcStatus, http2Error may be set",
                at: object.path,
                line: object.line
            )
            error = nil
        } else {
            switch present.first {
            case "httpStatus": error = .httpStatus(reader.int32(object, "httpStatus"))
            case "grpcStatus": error = .grpcStatus(reader.string(object, "grpcStatus"))
            case "http2Error": error = .http2Error(reader.string(object, "http2Error"))
            default: error = nil
            }
        }
        self.init(error: error, percentage: reader.percent(object, "percentage"))
    }
}

extension VirtualService.HTTPMirrorPolicy {
    static let fields = FieldSet(["destination", "percentage"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init(
            destination: reader.message(
                object,
                "destination",
                fields: VirtualService.Destination.fields,
                VirtualService.Destination.init
            ),
            percentage: reader.percent(object, "percentage")
        )
    }
}

extension VirtualService.CorsPolicy {
    static let fields = FieldSet([
        "allowOrigin", "allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge", "allowCredentials",
        "unmatchedPreflights",
    ])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        self.init()
        allowOrigin = reader.strings(object, "allowOrigin")
        allowOrigins =
            reader.messages(
                object,
                "allowOrigins",
                fields: VirtualService.StringMatch.fields,
                VirtualService.StringMatch.read
            ).compactMap { $0 }
        allowMethods = reader.strings(object, "allowMethods")
        allowHeaders = reader.strings(object, "allowHeaders")
        exposeHeaders = reader.strings(object, "exposeHeaders")
        maxAge = reader.duration(object, "maxAge")
        allowCredentials = reader.bool(object, "allowCredentials")
        unmatchedPreflights =
            reader.enumeration(object, "unmatchedPreflights", UnmatchedPreflights.self) ?? .unspecified
    }
}

extension VirtualService.Headers {
    static let fields = FieldSet(["request", "response"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        typealias Operations = VirtualService.HeaderOperations
        self.init(
            request: reader.message(object, "request", fields: Operations.fields, Operations.init),
            response: reader.message(object, "response", fields: Operations.fields, Operations.init)
        )
    }
}

extension VirtualService.HeaderOperations {
    static let fields = FieldSet(["set", "add", "remove"])

    init(_ reader: inout YAMLReader, _ object: YAMLObject) {
        func values(_ map: [String: String]) -> [VirtualService.HeaderValue] {
            map.sorted { $0.key < $1.key }.map { VirtualService.HeaderValue(name: $0.key, value: $0.value) }
        }
        self.init(
            set: values(reader.stringMap(object, "set")),
            add: values(reader.stringMap(object, "add")),
            remove: reader.strings(object, "remove")
        )
    }
}

extension YAMLReader {
    /// A `StringMatch` field; nil when absent, or present without a match type.
    mutating func stringMatch(_ object: YAMLObject, _ field: String) -> VirtualService.StringMatch? {
        message(object, field, fields: VirtualService.StringMatch.fields, VirtualService.StringMatch.read) ?? nil
    }

    /// A `map<string, StringMatch>` field (headers, query parameters), sorted by key.
    mutating func keyMatches(_ object: YAMLObject, _ field: String) -> [VirtualService.KeyMatch] {
        messageMap(object, field, fields: VirtualService.StringMatch.fields, VirtualService.StringMatch.read)
            .sorted { $0.key < $1.key }
            .map { VirtualService.KeyMatch(key: $0.key, value: $0.value) }
    }

    /// A `Percent` message (`{value: 12.5}`).
    mutating func percent(_ object: YAMLObject, _ field: String) -> VirtualService.Percent? {
        message(object, field, fields: FieldSet(["value"])) { reader, percent in
            VirtualService.Percent(reader.double(percent, "value"))
        }
    }
}
