extension IstioValidation {
    /// `ValidateVirtualService`.
    static func validate(_ virtualService: VirtualService) -> [Diagnostic] {
        var findings = Findings()
        let vs = virtualService
        if vs.hosts.isEmpty {
            // Without hosts this is a delegate VirtualService.
            if !vs.gateways.isEmpty {
                findings.error("delegate virtual service must have no gateways specified", at: "spec.gateways")
            }
            if !vs.tls.isEmpty {
                findings.error("delegate virtual service must have no tls route specified", at: "spec.tls")
            }
            if !vs.tcp.isEmpty {
                findings.error("delegate virtual service must have no tcp route specified", at: "spec.tcp")
            }
        }
        var appliesToMesh = true
        var appliesToGateway = false
        if !vs.gateways.isEmpty {
            findings.append(gatewayNames(vs.gateways, at: "spec.gateways"))
            appliesToGateway = !vs.gateways.contains("mesh")
            appliesToMesh = !appliesToGateway
        }

        if !appliesToGateway {
            for route in vs.http {
                for match in route.match {
                    for header in match.headers + match.withoutHeaders where HeaderRules.isJWTClaim(header.key) {
                        findings.error(
                            "JWT claim based routing (key: \(header.key)) is only supported for gateway, found no "
                                + "gateways: [\(vs.gateways.joined(separator: " "))]",
                            at: "spec.http"
                        )
                    }
                }
            }
        }

        var allHostsValid = true
        let hasSNIHosts = vs.tls.contains { $0.match.contains { !$0.sniHosts.isEmpty } }
        for (index, host) in vs.hosts.enumerated() {
            let problem =
                appliesToGateway
                ? DomainRules.wildcardDomainForGateway(sni: hasSNIHosts, host) : DomainRules.wildcardDomain(host)
            if let problem {
                if !IPAddress.isValid(host) {
                    findings.error(problem, at: "spec.hosts[\(index)]")
                    allHostsValid = false
                }
            } else if appliesToMesh && host == "*" {
                findings.error(
                    "wildcard host * is not allowed for virtual services bound to the mesh gateway",
                    at: "spec.hosts[\(index)]"
                )
                allHostsValid = false
            }
        }
        if allHostsValid {
            for i in vs.hosts.indices {
                for j in vs.hosts.indices where j > i && HostName.matches(vs.hosts[i], vs.hosts[j]) {
                    findings.error(
                        "duplicate hosts in virtual service: \(vs.hosts[i]) & \(vs.hosts[j])",
                        at: "spec.hosts"
                    )
                }
            }
        }
        if vs.http.isEmpty && vs.tcp.isEmpty && vs.tls.isEmpty {
            findings.error("http, tcp or tls must be provided in virtual service", at: "spec")
        }
        for (index, route) in vs.http.enumerated() {
            findings.append(validate(route, delegate: vs.hosts.isEmpty, at: "spec.http[\(index)]"))
        }
        for (index, route) in vs.tls.enumerated() {
            findings.append(validate(route, in: vs, at: "spec.tls[\(index)]"))
        }
        for (index, route) in vs.tcp.enumerated() {
            let path = "spec.tcp[\(index)]"
            for (matchIndex, match) in route.match.enumerated() {
                findings.append(l4Match(match, at: path + ".match[\(matchIndex)]"))
            }
            if route.route.isEmpty { findings.error("TCP route is required", at: path + ".route") }
            findings.append(routeDestinations(route.route, at: path + ".route"))
        }
        for problem in ExportToRules.validate(vs.exportTo, namespace: vs.metadata.namespace, isServiceEntry: false) {
            findings.error(problem, at: "spec.exportTo")
        }
        findings.append(unreachableRules(vs.http.map { ($0.name, $0.match.map(MatchKey.http)) }, at: "spec.http"))
        findings.append(overlappingPrefixes(vs.http, at: "spec.http"))
        findings.append(unreachableRules(vs.tcp.map { ("", $0.match.map(MatchKey.l4)) }, at: "spec.tcp"))
        findings.append(unreachableRules(vs.tls.map { ("", $0.match.map(MatchKey.tls)) }, at: "spec.tls"))
        return findings.diagnostics
    }

    /// `validateTLSRoute` and `validateTLSMatch`.
    private static func validate(_ route: VirtualService.TLSRoute, in vs: VirtualService, at path: String) -> Findings {
        var findings = Findings()
        if route.match.isEmpty {
            findings.error("TLS route must have at least one match condition", at: path + ".match")
        }
        for (index, match) in route.match.enumerated() {
            let matchPath = path + ".match[\(index)]"
            if match.sniHosts.isEmpty {
                findings.error("TLS match must have at least one SNI host", at: matchPath + ".sniHosts")
            }
            for (sniIndex, sniHost) in match.sniHosts.enumerated() {
                findings.append(self.sniHost(sniHost, in: vs, at: matchPath + ".sniHosts[\(sniIndex)]"))
            }
            for subnet in match.destinationSubnets {
                findings.error(IPAddress.validateSubnet(subnet), at: matchPath + ".destinationSubnets")
            }
            if match.port != 0 { findings.error(portRange(match.port), at: matchPath + ".port") }
            for problem in LabelRules.validate(match.sourceLabels) {
                findings.error(problem, at: matchPath + ".sourceLabels")
            }
            findings.append(gatewayNames(match.gateways, at: matchPath + ".gateways"))
        }
        if route.route.isEmpty { findings.error("TLS route is required", at: path + ".route") }
        findings.append(routeDestinations(route.route, at: path + ".route"))
        return findings
    }

    /// `validateSniHost`.
    private static func sniHost(_ sniHost: String, in vs: VirtualService, at path: String) -> Findings {
        var findings = Findings()
        let boundToGateway = !vs.gateways.contains("mesh")
        let problem =
            boundToGateway
            ? DomainRules.wildcardDomainForGateway(sni: true, sniHost) : DomainRules.wildcardDomain(sniHost)
        if let problem {
            if IPAddress.isValid(sniHost) {
                findings.warning(
                    "using an IP address (\(quoted(sniHost))) goes against SNI spec and most clients do not support this",
                    at: path
                )
            } else {
                findings.error(problem, at: path)
            }
            return findings
        }
        if !vs.hosts.contains(where: { HostName.isSubset(sniHost, of: $0) }) {
            findings.error(
                "SNI host \(quoted(sniHost)) is not a compatible subset of any of the virtual service hosts: ["
                    + vs.hosts.joined(separator: ", ") + "]",
                at: path
            )
        }
        return findings
    }

    /// `validateTCPMatch`.
    private static func l4Match(_ match: VirtualService.L4Match, at path: String) -> Findings {
        var findings = Findings()
        for subnet in match.destinationSubnets {
            findings.error(IPAddress.validateSubnet(subnet), at: path + ".destinationSubnets")
        }
        if match.port != 0 { findings.error(portRange(match.port), at: path + ".port") }
        for problem in LabelRules.validate(match.sourceLabels) { findings.error(problem, at: path + ".sourceLabels") }
        findings.append(gatewayNames(match.gateways, at: path + ".gateways"))
        return findings
    }

    /// `validateGatewayNames`. Like Istio, it stops at the first name without a namespace.
    static func gatewayNames(_ names: [String], at path: String) -> Findings {
        var findings = Findings()
        for name in names {
            let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else {
                if name.contains(".") {
                    let labels = name.split(separator: ".", omittingEmptySubsequences: false)
                    let recommended = "\(labels[1])/\(labels[0])"
                    findings.warning(
                        "using legacy gatewayName format \(quoted(name)); prefer the <namespace>/<name> format: "
                            + quoted(recommended),
                        at: path
                    )
                }
                findings.error(DomainRules.fqdn(name), at: path)
                return findings
            }
            if parts[0].isEmpty || parts[1].isEmpty {
                findings.error("config namespace and gateway name cannot be empty", at: path)
            }
            if !HostName.isDNS1123Label(parts[0]) {
                findings.error("invalid value for namespace: \(quoted(parts[0]))", at: path)
            }
            if !HostName.isDNS1123Label(parts[1]) {
                findings.error("invalid value for gateway name: \(quoted(parts[1]))", at: path)
            }
        }
        return findings
    }

    /// `validateRouteDestinations` and `validateDestination`.
    private static func routeDestinations(_ routes: [VirtualService.RouteDestination], at path: String) -> Findings {
        var findings = Findings()
        var totalWeight = 0
        for (index, route) in routes.enumerated() {
            let routePath = path + "[\(index)]"
            if let destination = route.destination {
                findings.append(self.destination(destination, at: routePath + ".destination"))
            } else {
                findings.error("destination is required", at: routePath)
            }
            if route.weight < 0 { findings.error("weight \(route.weight) < 0", at: routePath + ".weight") }
            totalWeight += route.weight
        }
        if routes.count > 1 && totalWeight == 0 { findings.error("total destination weight = 0", at: path) }
        return findings
    }

    /// `validateDestination`.
    static func destination(_ destination: VirtualService.Destination, at path: String) -> Findings {
        var findings = Findings()
        if destination.host == "*" {
            findings.error("invalid destination host \(destination.host)", at: path + ".host")
        } else {
            findings.error(DomainRules.wildcardDomain(destination.host), at: path + ".host")
        }
        if !destination.subset.isEmpty && !HostName.isDNS1123Label(destination.subset) {
            findings.error("subset name is invalid: \(destination.subset)", at: path + ".subset")
        }
        if let port = destination.port { findings.error(portRange(port), at: path + ".port.number") }
        return findings
    }

    /// A match with its name left out, compared whole as Istio does with its JSON form.
    private enum MatchKey: Hashable {
        case http(VirtualService.HTTPMatch)
        case l4(VirtualService.L4Match)
        case tls(VirtualService.TLSMatch)

        var name: String {
            if case .http(let match) = self { return match.name }
            return ""
        }

        var withoutName: MatchKey {
            guard case .http(var match) = self else { return self }
            match.name = ""
            return .http(match)
        }
    }

    /// `analyzeUnreachable{HTTP,TCP,TLS}Rules` (without the HTTP prefix-overlap analysis).
    private static func unreachableRules(_ rules: [(name: String, matches: [MatchKey])], at path: String) -> Findings {
        var findings = Findings()
        var seen: [MatchKey: Int] = [:]
        var emptyMatchRule: Int?
        func ruleName(_ index: Int) -> String {
            rules[index].name.isEmpty ? "#\(index)" : quoted(rules[index].name)
        }
        for (index, rule) in rules.enumerated() {
            guard !rule.matches.isEmpty else {
                if emptyMatchRule != nil {
                    findings.warning(
                        "virtualService rule \(ruleName(index)) not used (only the last rule can have no matches)",
                        at: path + "[\(index)]"
                    )
                }
                emptyMatchRule = index
                continue
            }
            var duplicates = 0
            for (matchIndex, match) in rule.matches.enumerated() {
                if emptyMatchRule != nil {
                    findings.warning(
                        "virtualService rule \(ruleName(index)) not used (route without matches defined before)",
                        at: path + "[\(index)]"
                    )
                    continue
                }
                if let earlier = seen[match.withoutName] {
                    let matchName = match.name.isEmpty ? "#\(matchIndex)" : quoted(match.name)
                    findings.warning(
                        "virtualService rule \(ruleName(index)) match \(matchName) is not used "
                            + "(duplicate/overlapping match in rule \(ruleName(earlier)))",
                        at: path + "[\(index)].match[\(matchIndex)]"
                    )
                    duplicates += 1
                } else {
                    seen[match.withoutName] = index
                }
            }
            if duplicates == rule.matches.count {
                findings.warning(
                    "virtualService rule \(ruleName(index)) not used (all matches used by prior rules)",
                    at: path + "[\(index)]"
                )
            }
        }
        return findings
    }

    /// The prefix half of `analyzeUnreachableHTTPRules`: a `uri.prefix` match that an earlier one with the same
    /// port, method, authority, headers and query parameters already covers (`/api/v1/product` before
    /// `/api/v1/products`). Only the first match of a duplicate set counts, as in Istio.
    private static func overlappingPrefixes(_ routes: [VirtualService.HTTPRoute], at path: String) -> Findings {
        struct Record {
            var rule: String
            var match: String
            var path: String
            var prefix: String
            var port: Int
            var method: String
            var authority: String
            var headers: [String: String]
            var queryParams: [String: String]
            var withoutHeaders: [String: String]
        }
        func exactOrPrefix(_ match: VirtualService.StringMatch?) -> String {
            switch match {
            case .exact(let value) where !value.isEmpty: "exact:" + value
            case .prefix(let value) where !value.isEmpty: "prefix:" + value
            default: ""
            }
        }
        func keyed(_ matches: [VirtualService.KeyMatch]) -> [String: String] {
            Dictionary(matches.map { ($0.key, exactOrPrefix($0.value)) }, uniquingKeysWith: { first, _ in first })
        }
        var records: [Record] = []
        var seen: Set<MatchKey> = []
        var emptyMatchSeen = false
        for (ruleIndex, route) in routes.enumerated() {
            guard !route.match.isEmpty else {
                emptyMatchSeen = true
                continue
            }
            let rule = route.name.isEmpty ? "#\(ruleIndex)" : quoted(route.name)
            for (matchIndex, match) in route.match.enumerated() {
                guard !emptyMatchSeen, seen.insert(MatchKey.http(match).withoutName).inserted else { continue }
                guard case .prefix(let prefix) = match.uri, !prefix.isEmpty else { continue }
                let method = exactOrPrefix(match.method)
                records.append(
                    Record(
                        rule: rule,
                        match: match.name.isEmpty ? "#\(matchIndex)" : quoted(match.name),
                        path: path + "[\(ruleIndex)].match[\(matchIndex)]",
                        prefix: prefix,
                        port: match.port,
                        method: method.isEmpty ? "exact:GET" : method,
                        authority: exactOrPrefix(match.authority),
                        headers: keyed(match.headers),
                        queryParams: keyed(match.queryParams),
                        withoutHeaders: keyed(match.withoutHeaders)
                    )
                )
            }
        }
        func covers(_ a: [String: String], _ b: [String: String]) -> Bool {
            a.count == b.count
                && a.allSatisfy { key, value in b[key].map { $0 == value || value.hasPrefix($0) } ?? false }
        }
        func covered(_ a: Record, _ b: Record) -> Bool {
            b.prefix.hasPrefix(a.prefix) && a.port == b.port
                && (a.method == b.method || a.method.hasPrefix(b.method))
                && (a.authority == b.authority || a.authority.hasPrefix(b.authority))
                && covers(a.headers, b.headers) && covers(a.queryParams, b.queryParams)
                && covers(a.withoutHeaders, b.withoutHeaders)
        }
        var findings = Findings()
        for (index, earlier) in records.enumerated() {
            for later in records[(index + 1)...] where later.prefix != earlier.prefix && covered(earlier, later) {
                findings.warning(
                    "virtualService rule \(later.rule) match \(later.match) of prefix \(later.prefix) is not used "
                        + "(duplicate/overlapping match in rule \(earlier.match) of prefix \(earlier.prefix) on "
                        + "\(earlier.rule))",
                    at: later.path
                )
            }
        }
        return findings
    }
}
