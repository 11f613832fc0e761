extension IstioValidation {
    /// `ValidateServiceEntry`. FrontProxy has no IP auto-allocation, so the TCP-address warning applies.
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
                findings.warning(DomainRules.partialWildcard(host), at: path)
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
            if se.addresses.isEmpty && (port.protocol.isEmpty || port.protocol == "TCP") {
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
            // Refused by FrontProxySupport before it could matter; Istio's DYNAMIC_DNS rules are not modelled.
            break
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
            for (index, host) in se.hosts.enumerated() {
                if let problem = DomainRules.fqdn(host) {
                    findings.error(
                        "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for "
                            + "resolution mode \(mode), \(problem)",
                        at: "spec.hosts[\(index)]"
                    )
                }
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
        if endpoint.address.isEmpty {
            findings.error("address is required", at: path + ".address")
        } else if endpoint.address.hasPrefix("unix://") {
            if !endpoint.ports.isEmpty {
                findings.error("unix endpoint \(endpoint.address) must not include ports", at: path + ".ports")
            }
        } else if !IPAddress.isValid(endpoint.address) {
            findings.error(
                "endpoint address \(quoted(endpoint.address)) is not a valid IP address",
                at: path + ".address"
            )
        }
        for problem in LabelRules.validate(endpoint.labels) { findings.error(problem, at: path + ".labels") }
        findings.append(endpointPorts(endpoint, portNames: portNames, at: path))
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
