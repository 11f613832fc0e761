extension IstioValidation {
    /// `ValidateGateway`.
    static func validate(_ gateway: Gateway) -> [Diagnostic] {
        var findings = Findings()
        if !HostName.isDNS1123Label(gateway.metadata.name) {
            findings.error("invalid gateway name: \(quoted(gateway.metadata.name))", at: "metadata.name")
        }
        if gateway.servers.isEmpty {
            findings.error("gateway must have at least one server", at: "spec.servers")
        }
        for (index, server) in gateway.servers.enumerated() {
            findings.append(validate(server, at: "spec.servers[\(index)]"))
        }
        var portNames: Set<String> = []
        for (index, server) in gateway.servers.enumerated() {
            guard let port = server.port else { continue }
            if !portNames.insert(port.name).inserted {
                findings.error(
                    "port names in servers must be unique: duplicate name \(port.name)",
                    at: "spec.servers[\(index)].port.name"
                )
            }
            if !IstioProtocol(port.protocol).isHTTP && server.tls?.httpsRedirect == true {
                findings.warning(
                    "tls.httpsRedirect should only be used with http servers",
                    at: "spec.servers[\(index)].tls.httpsRedirect"
                )
            }
        }
        return findings.diagnostics
    }

    /// `validateServer`.
    private static func validate(_ server: Gateway.Server, at path: String) -> Findings {
        var findings = Findings()
        if server.hosts.isEmpty {
            findings.error("server config must contain at least one host", at: path + ".hosts")
        }
        for (index, host) in server.hosts.enumerated() {
            for problem in namespaceSlashWildcardHostname(host) {
                findings.error(problem, at: path + ".hosts[\(index)]")
            }
        }
        let portProblems = serverPort(server.port, bind: server.bind)
        for problem in portProblems { findings.error(problem, at: path + ".port") }
        for problem in serverBind(server.port, bind: server.bind) { findings.error(problem, at: path + ".bind") }
        if let tls = server.tls { findings.append(validate(tls, at: path + ".tls")) }

        if portProblems.isEmpty, let port = server.port {
            let proto = IstioProtocol(port.protocol)
            if proto.isTLS && server.tls == nil {
                findings.error("server must have TLS settings for HTTPS/TLS protocols", at: path)
            } else if !proto.isTLS, let tls = server.tls {
                if proto.isHTTP {
                    if tls.mode.terminatesTLS || !tls.caCertificates.isEmpty || !tls.privateKey.isEmpty
                        || !tls.serverCertificate.isEmpty
                    {
                        findings.error("server cannot have TLS settings for plain text HTTP ports", at: path + ".tls")
                    }
                } else {
                    findings.error("server cannot have TLS settings for non HTTPS/TLS ports", at: path + ".tls")
                }
            }
        }
        return findings
    }

    /// `ValidateNamespaceSlashWildcardHostname(host, isGateway: true)`.
    static func namespaceSlashWildcardHostname(_ host: String) -> [String] {
        let parts = host.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return gatewayHostnamePart(host) }
        var problems: [String] = []
        if parts[0].isEmpty || parts[1].isEmpty {
            problems.append("config namespace and dnsName in host entry cannot be empty")
        }
        if parts[0] != "*" && parts[0] != "." && !HostName.isDNS1123Label(parts[0]) {
            problems.append("invalid namespace value \(quoted(parts[0])) in gateway")
        }
        return problems + gatewayHostnamePart(parts[1])
    }

    /// `validateSidecarOrGatewayHostnamePart(host, isGateway: true)`: IPs are allowed.
    private static func gatewayHostnamePart(_ host: String) -> [String] {
        var problems: [String] = []
        if host != "*" && !host.contains(".") {
            problems.append("short names (non FQDN) are not allowed")
        }
        if let problem = DomainRules.wildcardDomain(host), !IPAddress.isValid(host) {
            problems.append(problem)
        }
        if let problem = DomainRules.partialWildcard(host) { problems.append(problem) }
        return problems
    }

    /// `validateServerPort`.
    private static func serverPort(_ port: Gateway.Port?, bind: String) -> [String] {
        guard let port else { return ["port is required"] }
        var problems: [String] = []
        if IstioProtocol(port.protocol) == .unsupported {
            problems.append(
                "invalid protocol \(quoted(port.protocol)), supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, "
                    + "MONGO, REDIS, MYSQL, TCP"
            )
        }
        if port.number > 0 || !bind.hasPrefix(unixPrefix), let problem = portRange(port.number) {
            problems.append(problem)
        }
        if port.targetPort > 0 { problems.append("targetPort has no impact on Gateways") }
        if port.name.isEmpty { problems.append("port name must be set: \(goText(port))") }
        return problems
    }

    private static let unixPrefix = "unix://"

    /// `validateServerBind`.
    private static func serverBind(_ port: Gateway.Port?, bind: String) -> [String] {
        if bind.hasPrefix(unixPrefix) {
            var problems: [String] = []
            let path = String(bind.dropFirst(unixPrefix.count))
            if path.isEmpty {
                problems.append("unix address must not be empty")
            } else if !path.hasPrefix("@") && (!path.hasPrefix("/") || path.hasSuffix("/")) {
                problems.append("\(path) is not an absolute path to a file")
            }
            if let port, port.number != 0 {
                problems.append("port number must be 0 for unix domain socket: \(goText(port))")
            }
            return problems
        }
        return bind.isEmpty ? [] : [IPAddress.validate(bind)].compactMap { $0 }
    }

    /// `validateTLSOptions`.
    private static func validate(_ tls: Gateway.TLSSettings, at path: String) -> Findings {
        var findings = Findings()
        if (tls.minProtocolVersion == .v1_0 || tls.minProtocolVersion == .v1_1) && tls.cipherSuites.isEmpty {
            findings.warning(
                "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include "
                    + "compatible ciphers.",
                at: path + ".minProtocolVersion"
            )
        }
        var invalid: Set<String> = []
        var valid: Set<String> = []
        var duplicate: Set<String> = []
        for suite in tls.cipherSuites {
            if !validCipherSuites.contains(suite) {
                invalid.insert(suite)
            } else if !valid.insert(suite).inserted {
                duplicate.insert(suite)
            }
        }
        if !invalid.isEmpty {
            findings.warning("ignoring invalid cipher suites: \(goList(invalid))", at: path + ".cipherSuites")
        }
        if !duplicate.isEmpty {
            findings.warning("ignoring duplicate cipher suites: \(goList(duplicate))", at: path + ".cipherSuites")
        }

        if tls.mode == .istioMutual {
            let checks: [(Bool, String)] = [
                (!tls.serverCertificate.isEmpty, "server certificate"), (!tls.privateKey.isEmpty, "private key"),
                (!tls.caCertificates.isEmpty, "CA bundle"), (!tls.tlsCertificates.isEmpty, "tlsCertificates"),
                (!tls.credentialName.isEmpty, "credentialName"), (!tls.credentialNames.isEmpty, "credentialNames"),
            ]
            for (isSet, what) in checks where isSet {
                findings.error("ISTIO_MUTUAL TLS cannot have associated \(what)", at: path)
            }
            return findings
        }
        let hasCertificates =
            !tls.caCrl.isEmpty || !tls.serverCertificate.isEmpty || !tls.privateKey.isEmpty
            || !tls.caCertificates.isEmpty || !tls.tlsCertificates.isEmpty || !tls.credentialName.isEmpty
            || !tls.credentialNames.isEmpty
        if !tls.mode.terminatesTLS && hasCertificates {
            findings.warning("\(tls.mode.rawValue) mode does not use certificates, they will be ignored", at: path)
        }
        let sources = [
            !tls.serverCertificate.isEmpty && !tls.privateKey.isEmpty, !tls.credentialName.isEmpty,
            !tls.credentialNames.isEmpty, !tls.tlsCertificates.isEmpty,
        ]
        if sources.filter({ $0 }).count > 1 {
            findings.error(
                "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates "
                    + "should be specified",
                at: path
            )
        }
        let terminating = tls.mode == .simple || tls.mode == .mutual || tls.mode == .optionalMutual
        if terminating && (!tls.credentialName.isEmpty || !tls.credentialNames.isEmpty) { return findings }
        if terminating {
            let prefix = tls.mode == .simple ? "SIMPLE TLS" : "MUTUAL TLS"
            if tls.mode != .simple && tls.caCertificates.isEmpty {
                findings.error("\(prefix) requires a client CA bundle", at: path)
            }
            if tls.tlsCertificates.count > 2 {
                findings.warning("\(prefix) can support up to 2 server certificates", at: path)
            }
            let certificates =
                tls.tlsCertificates.isEmpty
                ? [(tls.serverCertificate, tls.privateKey)]
                : tls.tlsCertificates.map { ($0.serverCertificate, $0.privateKey) }
            for (certificate, key) in certificates {
                if certificate.isEmpty { findings.error("\(prefix) requires a server certificate", at: path) }
                if key.isEmpty { findings.error("\(prefix) requires a private key", at: path) }
            }
        }
        if !tls.caCrl.isEmpty {
            if !tls.credentialName.isEmpty {
                findings.error(
                    "CRL is not supported with credentialName. CRL has to be specified in the credential",
                    at: path
                )
            }
            if tls.mode == .simple { findings.error("CRL is not supported with SIMPLE TLS", at: path) }
        }
        return findings
    }

    /// Cipher suite names Envoy accepts (`pkg/config/security.ValidCipherSuites`).
    private static let validCipherSuites: Set<String> = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-PSK-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-PSK-AES128-CBC-SHA",
        "AES128-GCM-SHA256", "AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
        "ECDHE-PSK-AES256-CBC-SHA", "AES256-GCM-SHA384", "AES256-SHA", "PSK-AES128-CBC-SHA", "PSK-AES256-CBC-SHA",
        "DES-CBC3-SHA",
    ]

    /// `ValidatePort`.
    static func portRange(_ number: Int) -> String? {
        (1...65535).contains(number) ? nil : "port number \(number) must be in the range 1..65535"
    }

    /// A Port printed the way Go prints a proto message with `%v` (non-zero fields only).
    private static func goText(_ port: Gateway.Port) -> String {
        var fields: [String] = []
        if port.number != 0 { fields.append("number:\(port.number)") }
        if !port.protocol.isEmpty { fields.append("protocol:\(quoted(port.protocol))") }
        if !port.name.isEmpty { fields.append("name:\(quoted(port.name))") }
        if port.targetPort != 0 { fields.append("target_port:\(port.targetPort)") }
        return fields.joined(separator: " ")
    }

    /// A sorted string set printed as Go prints a slice with `%v`.
    static func goList(_ values: some Collection<String>) -> String {
        "[" + values.sorted().joined(separator: " ") + "]"
    }
}
