import InternetAddress

/// The Kubernetes API server's validation of the Service and EndpointSlice fields FrontProxy reads, with its
/// messages (`ValidateService` in pkg/apis/core/validation, `ValidateEndpointSlice` in
/// pkg/apis/discovery/validation), run on the object after the API server's defaulting, as the server does.
/// Fields FrontProxy accepts but does not read (`sessionAffinity`, `externalTrafficPolicy`, ...) are not
/// validated.
public enum KubernetesValidation {
    public static func validate(_ resource: Resource, options: ConfigLoader.Options = .init()) -> [Diagnostic] {
        let errors: [FieldError]
        switch resource {
        case .service(let service): errors = validate(service.defaulted)
        case .endpointSlice(let slice): errors = validate(slice, options: options)
        case .gateway, .virtualService, .serviceEntry: errors = []
        }
        return errors.map(\.diagnostic)
    }

    /// `ValidateObjectMeta` for a namespaced object: the name by its kind's rule, the namespace, labels and
    /// annotation keys.
    static func objectMeta(_ metadata: ResourceMetadata, name: (String) -> [String]) -> [FieldError] {
        var errors: [FieldError] = []
        if !metadata.name.isEmpty {
            errors += name(metadata.name).map { .invalid("metadata.name", .string(metadata.name), $0) }
        }
        errors += KubernetesNames.dns1123Label(metadata.namespace).map {
            .invalid("metadata.namespace", .string(metadata.namespace), $0)
        }
        errors += KubernetesNames.labels(metadata.labels, at: "metadata.labels")
        errors += KubernetesNames.annotations(metadata.annotations, at: "metadata.annotations")
        return errors
    }

    private static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    private static let portProtocols = ["SCTP", "TCP", "UDP"]

    /// `ValidateService` on a defaulted Service.
    static func validate(_ service: KubernetesService) -> [FieldError] {
        var errors = objectMeta(service.metadata, name: KubernetesNames.dns1035Label)
        let headless = service.clusterIPs.count == 1 && service.clusterIPs[0] == "None"
        if service.ports.isEmpty && !headless && service.type != KubernetesService.typeExternalName {
            errors.append(.required("spec.ports"))
        }
        switch service.type {
        case KubernetesService.typeLoadBalancer, KubernetesService.typeNodePort:
            if headless {
                errors.append(
                    .invalid(
                        "spec.clusterIPs[0]",
                        .string("None"),
                        "may not be set to 'None' for \(service.type) services"
                    )
                )
            }
        case KubernetesService.typeExternalName:
            if !service.clusterIPs.isEmpty {
                errors.append(.forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
            }
            // The value (a CNAME) may have a trailing dot to denote it as fully qualified.
            var name = Substring(service.externalName)
            if name.last == "." { name.removeLast() }
            if name.isEmpty {
                errors.append(.required("spec.externalName"))
            } else {
                errors += KubernetesNames.dns1123Subdomain(String(name)).map {
                    .invalid("spec.externalName", .string(String(name)), $0)
                }
            }
        default:
            break
        }
        var portNames: Set<String> = []
        for (index, port) in service.ports.enumerated() {
            errors += servicePort(
                port,
                nameRequired: service.ports.count > 1,
                names: &portNames,
                at: "spec.ports[\(index)]"
            )
        }
        if let selector = service.selector {
            errors += KubernetesNames.labels(selector, at: "spec.selector")
        }
        if service.type != KubernetesService.typeExternalName {
            errors += clusterIPs(service)
        }
        if !serviceTypes.contains(service.type) {
            errors.append(.notSupported("spec.type", .string(service.type), serviceTypes))
        }
        if service.type == KubernetesService.typeClusterIP {
            for (index, port) in service.ports.enumerated() where port.nodePort != 0 {
                errors.append(.forbidden("spec.ports[\(index)].nodePort", "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts: Set<String> = []
        for (index, port) in service.ports.enumerated() where port.nodePort != 0 {
            if !nodePorts.insert("\(port.protocol)/\(port.nodePort)").inserted {
                errors.append(.duplicate("spec.ports[\(index)].nodePort", .integer(port.nodePort)))
            }
        }
        var ports: Set<String> = []
        for (index, port) in service.ports.enumerated() where !ports.insert("\(port.protocol)/\(port.port)").inserted {
            // The key is a `core.ServicePort` with only protocol and port set, printed as JSON.
            let key =
                "{\"Name\":\"\",\"Protocol\":\(FieldError.Value.jsonString(port.protocol)),\"AppProtocol\":null,"
                + "\"Port\":\(port.port),\"TargetPort\":0,\"NodePort\":0}"
            errors.append(.duplicate("spec.ports[\(index)]", .json(key)))
        }
        return errors
    }

    /// `validateServicePort`.
    private static func servicePort(
        _ port: KubernetesService.Port,
        nameRequired: Bool,
        names: inout Set<String>,
        at path: String
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if nameRequired && port.name.isEmpty {
            errors.append(.required(path + ".name"))
        } else if !port.name.isEmpty {
            errors += KubernetesNames.dns1123Label(port.name).map { .invalid(path + ".name", .string(port.name), $0) }
            if !names.insert(port.name).inserted { errors.append(.duplicate(path + ".name", .string(port.name))) }
        }
        errors += KubernetesNames.portNumber(port.port).map { .invalid(path + ".port", .integer(port.port), $0) }
        if port.protocol.isEmpty {
            errors.append(.required(path + ".protocol"))
        } else if !portProtocols.contains(port.protocol) {
            errors.append(.notSupported(path + ".protocol", .string(port.protocol), portProtocols))
        }
        switch port.targetPort {
        case .int(let number):
            errors += KubernetesNames.portNumber(number).map { .invalid(path + ".targetPort", .integer(number), $0) }
        case .string(let name):
            errors += KubernetesNames.portName(name).map { .invalid(path + ".targetPort", .string(name), $0) }
        case nil:
            break
        }
        if let appProtocol = port.appProtocol {
            errors += KubernetesNames.qualifiedName(appProtocol).map {
                .invalid(path + ".appProtocol", .string(appProtocol), $0)
            }
        }
        return errors
    }

    /// `ValidateServiceClusterIPsRelatedFields`, for the addresses (IP families are not read).
    private static func clusterIPs(_ service: KubernetesService) -> [FieldError] {
        var errors: [FieldError] = []
        let ips = service.clusterIPs
        if !service.clusterIP.isEmpty {
            if ips.isEmpty {
                errors.append(.required("spec.clusterIPs"))
            } else if ips[0] != service.clusterIP {
                errors.append(.invalid("spec.clusterIPs", .strings(ips), "first value must match `clusterIP`"))
            }
        } else if !ips.isEmpty {
            errors.append(.invalid("spec.clusterIPs", .strings(ips), "must be empty when `clusterIP` is not specified"))
        }
        var invalid = false
        for (index, ip) in ips.enumerated() {
            if index == 0 && ip == "None" {
                if ips.count > 1 {
                    invalid = true
                    errors.append(.invalid("spec.clusterIPs", .strings(ips), "'None' must be the first and only value"))
                }
                continue
            }
            let problems = KubernetesNames.ipAddress(ip)
            invalid = invalid || !problems.isEmpty
            errors += problems.map { .invalid("spec.clusterIPs[\(index)]", .string(ip), $0) }
        }
        if ips.count > 2 { errors.append(.invalid("spec.clusterIPs", .strings(ips), "may only hold up to 2 values")) }
        if !invalid && ips.count == 2 {
            let families = ips.map { IPLiteral.parse($0)?.count }
            if families[0] == families[1] {
                errors.append(
                    .invalid("spec.clusterIPs", .strings(ips), "may specify no more than one IP for each IP family")
                )
            }
        }
        return errors
    }

    private static let addressTypes = ["FQDN", "IPv4", "IPv6"]

    /// `ValidateEndpointSlice` on a defaulted slice (port names default to "", protocols to TCP).
    static func validate(_ slice: EndpointSlice, options: ConfigLoader.Options) -> [FieldError] {
        var errors = objectMeta(slice.metadata, name: { KubernetesNames.dns1123Subdomain($0) })
        if slice.addressType.isEmpty {
            errors.append(.required("addressType"))
        } else if !addressTypes.contains(slice.addressType) {
            errors.append(.notSupported("addressType", .string(slice.addressType), addressTypes))
        }
        if slice.endpoints.count > 1000 {
            errors.append(.tooMany("endpoints", actual: slice.endpoints.count, maximum: 1000))
        } else {
            for (index, endpoint) in slice.endpoints.enumerated() {
                errors += self.endpoint(
                    endpoint,
                    addressType: slice.addressType,
                    options: options,
                    at: "endpoints[\(index)]"
                )
            }
        }
        if slice.ports.count > 20000 {
            errors.append(.tooMany("ports", actual: slice.ports.count, maximum: 20000))
        } else {
            var names: Set<String> = []
            for (index, port) in slice.ports.enumerated() {
                let path = "ports[\(index)]"
                let name = port.name ?? ""
                if !name.isEmpty {
                    errors += KubernetesNames.dns1123Label(name).map { .invalid(path + ".name", .string(name), $0) }
                }
                if !names.insert(name).inserted {
                    errors.append(.duplicate(path + ".name", .json(FieldError.Value.jsonString(name))))
                }
                let portProtocol = port.protocol ?? "TCP"
                if !portProtocols.contains(portProtocol) {
                    errors.append(.notSupported(path + ".protocol", .string(portProtocol), portProtocols))
                }
                if let appProtocol = port.appProtocol {
                    errors += KubernetesNames.qualifiedName(appProtocol).map {
                        .invalid(path + ".appProtocol", .string(appProtocol), $0)
                    }
                }
            }
        }
        return errors
    }

    private static func endpoint(
        _ endpoint: EndpointSlice.Endpoint,
        addressType: String,
        options: ConfigLoader.Options,
        at path: String
    ) -> [FieldError] {
        var errors: [FieldError] = []
        let addressesPath = path + ".addresses"
        if endpoint.addresses.isEmpty {
            errors.append(.required(addressesPath, "must contain at least 1 address"))
        } else if endpoint.addresses.count > 100 {
            errors.append(.tooMany(addressesPath, actual: endpoint.addresses.count, maximum: 100))
        }
        for (index, address) in endpoint.addresses.enumerated() {
            let addressPath = addressesPath + "[\(index)]"
            switch addressType {
            case "IPv4", "IPv6":
                let bytes = IPLiteral.parse(address)
                let wanted = addressType == "IPv4" ? 4 : 16
                if bytes?.count != wanted {
                    errors.append(.invalid(addressPath, .string(address), "must be a valid \(addressType) address"))
                }
                errors += endpointIP(address, bytes: bytes, options: options).map {
                    .invalid(addressPath, .string(address), $0)
                }
            case "FQDN":
                errors += fullyQualifiedDomainName(address, at: addressPath)
            default:
                break
            }
        }
        if let nodeName = endpoint.nodeName {
            errors += KubernetesNames.dns1123Subdomain(nodeName).map {
                .invalid(path + ".nodeName", .string(nodeName), $0)
            }
        }
        if let hostname = endpoint.hostname {
            errors += KubernetesNames.dns1123Label(hostname).map { .invalid(path + ".hostname", .string(hostname), $0) }
        }
        return errors
    }

    /// `ValidateEndpointIP`: addresses an endpoint can never have.
    private static func endpointIP(_ address: String, bytes: [UInt8]?, options: ConfigLoader.Options) -> [String] {
        guard let bytes else { return ["must be a valid IP address"] }
        var problems: [String] = []
        let v4 =
            bytes.count == 4
            ? bytes : (bytes[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(bytes[12...]) : nil)
        if bytes.allSatisfy({ $0 == 0 }) { problems.append("may not be unspecified (\(address))") }
        let loopback = v4.map { $0[0] == 127 } ?? (bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        if loopback && !options.allowsLoopbackEndpoints {
            problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
        }
        let linkLocal = v4.map { $0[0] == 169 && $0[1] == 254 } ?? (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
        if linkLocal { problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)") }
        let linkLocalMulticast =
            v4.map { $0[0] == 224 && $0[1] == 0 && $0[2] == 0 } ?? (bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02)
        if linkLocalMulticast {
            problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
        }
        return problems
    }

    /// `IsFullyQualifiedDomainName`.
    private static func fullyQualifiedDomainName(_ value: String, at path: String) -> [FieldError] {
        guard !value.isEmpty else { return [.required(path)] }
        var name = Substring(value)
        if name.last == "." { name.removeLast() }
        let problems = KubernetesNames.dns1123Subdomain(String(name))
        guard problems.isEmpty else { return [.invalid(path, .string(String(name)), problems.joined(separator: ","))] }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            return [
                .invalid(path, .string(String(name)), "should be a domain with at least two segments separated by dots")
            ]
        }
        for label in labels {
            let labelProblems = KubernetesNames.dns1123Label(String(label))
            if !labelProblems.isEmpty {
                return [.invalid(path, .string(String(label)), labelProblems.joined(separator: ","))]
            }
        }
        return []
    }
}
