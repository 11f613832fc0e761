extension IstioValidation {
    /// The label that opts a ServiceEntry out of IP auto-allocation.
    static let autoAllocationLabel = "networking.istio.io/enable-autoallocate-ip"

    /// `ShouldV2AutoAllocateIPFromConfig`: Istio assigns an address (on by default since 1.25,
    /// `PILOT_ENABLE_IP_AUTOALLOCATE`) unless the resolution is NONE, the entry opts out with its label, or it
    /// has addresses of its own.
    static func autoAllocatesAddress(_ se: ServiceEntry) -> Bool {
        se.resolution != .none && se.metadata.labels[autoAllocationLabel]?.lowercased() != "false"
            && se.addresses.isEmpty
    }

    /// `ValidateServiceEntry` (Istio 1.30).
    static func validate(_ serviceEntry: ServiceEntry) -> [Diagnostic] {
        var findings = Findings()
        let se = serviceEntry
        if let selector = se.workloadSelector {
            for (key, value) in selector.sorted(by: { $0.key < $1.key }) {
                if key.isEmpty {
                    findings.error(
                        "empty key is not supported in selector: \(quoted("\(key)=\(value)"))",
                        at: "spec.workloadSelector"
                    )
                }
                if key.contains("*") || value.contains("*") {
                    findings.error(
                        "wildcard is not supported in selector: \(quoted("\(key)=\(value)"))",
                        at: "spec.workloadSelector"
                    )
                }
            }
            // Istio returns the selector's errors alone.
            if findings.diagnostics.hasErrors { return findings.diagnostics }
            if selector.isEmpty {
                findings.warning(
                    "service entry: workload selector specified without labels, will be applied to all services in "
                        + "namespace",
                    at: "spec.workloadSelector"
                )
            }
            if !se.endpoints.isEmpty {
                findings.error("only one of WorkloadSelector or Endpoints is allowed in Service Entry", at: "spec")
            }
        }
        if se.hosts.isEmpty { findings.error("service entry must have at least one host", at: "spec.hosts") }
        for (index, host) in se.hosts.enumerated() {
            let path = "spec.hosts[\(index)]"
            if host == "*" {
                findings.error("invalid host \(host)", at: path)
            } else {
                findings.error(DomainRules.wildcardDomain(host), at: path)
                if se.resolution != .dynamicDNS { findings.warning(DomainRules.partialWildcard(host), at: path) }
            }
        }
        var cidrFound = false
        for (index, address) in se.addresses.enumerated() {
            cidrFound = cidrFound || address.contains("/")
            findings.error(IPAddress.validateSubnet(address), at: "spec.addresses[\(index)]")
        }
        if cidrFound && se.resolution != .none && se.resolution != .static {
            findings.error("CIDR addresses are allowed only for NONE/STATIC resolution types", at: "spec.addresses")
        }
        let autoAllocation = autoAllocatesAddress(se)
        var portNames: Set<String> = []
        var portNumbers: Set<Int> = []
        for (index, port) in se.ports.enumerated() {
            let path = "spec.ports[\(index)]"
            if !portNames.insert(port.name).inserted {
                findings.error("service entry port name \(quoted(port.name)) already defined", at: path + ".name")
            }
            if !portNumbers.insert(port.number).inserted {
                findings.error("service entry port \(port.number) already defined", at: path + ".number")
            }
            if port.targetPort != 0 { findings.error(portRange(port.targetPort), at: path + ".targetPort") }
            if se.addresses.isEmpty && !autoAllocation && (port.protocol.isEmpty || port.protocol == "TCP") {
                findings.warning(
                    "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not "
                        + "enabled",
                    at: path + ".protocol"
                )
            }
            if !HostName.isDNS1123Label(port.name) {
                findings.error("invalid port name: \(port.name)", at: path + ".name")
            }
            if !port.protocol.isEmpty && IstioProtocol(port.protocol) == .unsupported {
                findings.error("unsupported protocol: \(port.protocol)", at: path + ".protocol")
            }
            findings.error(portRange(port.number), at: path + ".number")
        }

        switch se.resolution {
        case .none:
            if !se.endpoints.isEmpty {
                findings.error("no endpoints should be provided for resolution type none", at: "spec.endpoints")
            }
            if se.workloadSelector != nil {
                findings.warning("workloadSelector should not be set when resolution mode is NONE", at: "spec")
            }
        case .static:
            for (index, endpoint) in se.endpoints.enumerated() {
                findings.append(staticEndpoint(endpoint, portNames: portNames, at: "spec.endpoints[\(index)]"))
            }
        case .dns, .dnsRoundRobin:
            findings.append(dnsEndpoints(se, portNames: portNames))
        case .dynamicDNS:
            // FrontProxySupport refuses DYNAMIC_DNS too; Istio's own rules come first.
            findings.append(dynamicDNS(se))
        }

        if se.resolution != .none && se.hosts.count > 1 {
            if se.ports.contains(where: { !IstioProtocol($0.protocol).isHTTP && !IstioProtocol($0.protocol).isTLS }) {
                findings.error("multiple hosts provided with non-HTTP, non-TLS ports", at: "spec.ports")
            }
        }
        for problem in ExportToRules.validate(se.exportTo, namespace: se.metadata.namespace, isServiceEntry: true) {
            findings.error(problem, at: "spec.exportTo")
        }
        return findings.diagnostics
    }

    private static func dnsEndpoints(_ se: ServiceEntry, portNames: Set<String>) -> Findings {
        var findings = Findings()
        let mode = se.resolution.rawValue
        if se.endpoints.isEmpty {
            // Istio reports the first host that is not an FQDN only.
            if let (index, problem) = se.hosts.enumerated().lazy.compactMap({ index, host in
                DomainRules.fqdn(host).map { (index, $0) }
            }).first {
                findings.error(
                    "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for "
                        + "resolution mode \(mode), \(problem)",
                    at: "spec.hosts[\(index)]"
                )
            }
        }
        if se.resolution == .dnsRoundRobin && se.endpoints.count > 1 {
            findings.error("there must only be 0 or 1 endpoint for resolution mode \(mode)", at: "spec.endpoints")
        }
        for (index, endpoint) in se.endpoints.enumerated() {
            let path = "spec.endpoints[\(index)]"
            if !IPAddress.isValid(endpoint.address) && DomainRules.fqdn(endpoint.address) != nil {
                findings.error(
                    "endpoint address \(quoted(endpoint.address)) is not a valid FQDN or an IP address",
                    at: path + ".address"
                )
            }
            for problem in LabelRules.validate(endpoint.labels) { findings.error(problem, at: path + ".labels") }
            findings.append(endpointPorts(endpoint, portNames: portNames, at: path))
        }
        if !se.addresses.isEmpty && se.hosts.count > 1 && se.ports.contains(where: { IstioProtocol($0.protocol).isTCP })
        {
            findings.warning(
                "service entry can not have more than one host specified simultaneously with address and tcp port",
                at: "spec.hosts"
            )
        }
        return findings
    }

    /// `validateWorkloadEntry` for inline STATIC endpoints: addresses must be IPs (or unix sockets).
    private static func staticEndpoint(
        _ endpoint: ServiceEntry.Endpoint,
        portNames: Set<String>,
        at path: String
    ) -> Findings {
        var findings = Findings()
        let address = endpoint.address
        if address.isEmpty {
            // Without a network Istio stops at this error; with one, the endpoint is reached through it.
            guard !endpoint.network.isEmpty else {
                findings.error("address is required", at: path + ".address")
                return findings
            }
            findings.warning("address is unset with network \(quoted(endpoint.network))", at: path + ".address")
        }
        let unix = address.hasPrefix("unix://")
        if unix {
            findings.error(unixAddressProblem(String(address.dropFirst("unix://".count))), at: path + ".address")
            if !endpoint.ports.isEmpty {
                findings.error("unix endpoint \(address) must not include ports", at: path + ".ports")
            }
        } else if !address.isEmpty && !IPAddress.isValid(address) {
            findings.error("endpoint address \(quoted(address)) is not a valid IP address", at: path + ".address")
        }
        findings.append(endpointPorts(endpoint, portNames: portNames, at: path))
        for problem in LabelRules.validate(endpoint.labels) { findings.error(problem, at: path + ".labels") }
        if unix && portNames.count != 1 {
            findings.error("exactly 1 service port required for unix endpoints", at: path)
        }
        return findings
    }

    /// `ValidateUnixAddress`: an absolute file path, or an abstract socket (`@name`).
    static func unixAddressProblem(_ address: String) -> String? {
        if address.isEmpty { return "unix address must not be empty" }
        if address.hasPrefix("@") { return nil }
        return !address.hasPrefix("/") || address.hasSuffix("/") ? "\(address) is not an absolute path to a file" : nil
    }

    /// The `DYNAMIC_DNS` case of `ValidateServiceEntry`.
    private static func dynamicDNS(_ se: ServiceEntry) -> Findings {
        var findings = Findings()
        let mode = se.resolution.rawValue
        if se.hosts.isEmpty {
            findings.error("at least one wildcard host must be provided for resolution type \(mode)", at: "spec.hosts")
        }
        for (index, host) in se.hosts.enumerated() where !HostName.isWildcard(host) {
            findings.error("host must be wildcarded for resolution mode \(mode)", at: "spec.hosts[\(index)]")
        }
        if !se.addresses.isEmpty {
            // Istio's text runs "generated" and "from" together.
            findings.error(
                "addresses cannot be set for resolution type \(mode). HTTP route domains will only be generated"
                    + "from the hosts field values",
                at: "spec.addresses"
            )
        }
        if !se.endpoints.isEmpty {
            findings.error(
                "endpoints cannot be set for resolution type \(mode). Destination IP address determined from hosts"
                    + "field values",
                at: "spec.endpoints"
            )
        }
        for (index, port) in se.ports.enumerated()
        where ![IstioProtocol.http, .tls, .grpc, .http2].contains(IstioProtocol(port.protocol)) {
            findings.error(
                "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type \(mode)",
                at: "spec.ports[\(index)].protocol"
            )
        }
        if se.location == .meshInternal, let waypoint = se.metadata.labels["istio.io/use-waypoint"], !waypoint.isEmpty,
            waypoint.lowercased() != "none"
        {
            findings.error(
                "location MESH_INTERNAL with resolution type \(mode) is not supported when using waypoints",
                at: "spec.location"
            )
        }
        return findings
    }

    /// An endpoint's named ports: each must name a port of the entry, be a DNS-1123 label and be in range.
    private static func endpointPorts(
        _ endpoint: ServiceEntry.Endpoint,
        portNames: Set<String>,
        at path: String
    ) -> Findings {
        var findings = Findings()
        for (name, port) in endpoint.ports.sorted(by: { $0.key < $1.key }) {
            if !portNames.contains(name) {
                findings.error("endpoint port \(port) is not defined by the service entry", at: path + ".ports")
            }
            if !HostName.isDNS1123Label(name) { findings.error("invalid port name: \(name)", at: path + ".ports") }
            findings.error(portRange(port), at: path + ".ports.\(name)")
        }
        return findings
    }
}
