import MeshConfig
import Testing

/// One validation case: a resource, and the exact Istio error or warning it must (or must not) produce.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    /// An error message the resource must produce; nil: it must produce no error.
    var error: String?
    /// A warning it must produce; nil: it must produce no warning.
    var warning: String?

    var testDescription: String { name }

    /// Istio's findings alone for the decoded resource (FrontProxy's own checks are tested separately).
    func findings() throws -> [Diagnostic] {
        let document = try #require(load(yaml).first?.decoded, "\(name): the YAML did not decode")
        return IstioValidation.validate(document.resource)
    }

    func check() throws {
        let findings = try findings()
        let errors = findings.filter { $0.severity == .error }.map(\.message)
        let warnings = findings.filter { $0.severity == .warning }.map(\.message)
        if let error {
            #expect(errors.contains(error), "\(name): errors were \(errors)")
        } else {
            #expect(errors.isEmpty, "\(name): unexpected errors \(errors)")
        }
        if let warning {
            #expect(warnings.contains(warning), "\(name): warnings were \(warnings)")
        } else {
            #expect(warnings.isEmpty, "\(name): unexpected warnings \(warnings)")
        }
    }
}

func gateway(_ servers: String, name: String = "gw") -> String {
    """
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata: {name: \(name)}
    spec: \(servers)
    """
}

func virtualService(_ spec: String) -> String {
    """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: vs}
    spec: \(spec)
    """
}

func serviceEntry(_ spec: String) -> String {
    """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: se}
    spec: \(spec)
    """
}

private let tlsServer = "tls: {mode: PASSTHROUGH}"

@Suite struct GatewayValidationTests {
    static let cases: [ValidationCase] = [
        .init(name: "seed gateway", yaml: Seed.gateway),
        .init(name: "no servers", yaml: gateway("{}"), error: "gateway must have at least one server"),
        .init(
            name: "lower-case protocol",
            yaml: gateway("{servers: [{hosts: [foo.bar.com], port: {name: name1, number: 7, protocol: http}}]}")
        ),
        .init(
            name: "port out of range",
            yaml: gateway("{servers: [{hosts: [foo.bar.com], port: {name: n, number: 66000, protocol: http}}]}"),
            error: "port number 66000 must be in the range 1..65535"
        ),
        .init(
            name: "duplicate port names",
            yaml: gateway(
                "{servers: [{hosts: [a.bar.com], port: {name: foo, number: 80, protocol: http}}, "
                    + "{hosts: [b.bar.com], port: {name: foo, number: 81, protocol: http}}]}"
            ),
            error: "port names in servers must be unique: duplicate name foo"
        ),
        .init(
            name: "wildcard in the middle",
            yaml: gateway("{servers: [{hosts: [foo.*.bar.com], port: {name: n, number: 80, protocol: http}}]}"),
            error: "domain name \"*.bar.com\" invalid (label \"*\" invalid)"
        ),
        .init(
            name: "partial wildcard",
            yaml: gateway(
                "{servers: [{hosts: [\"*bar.com\"], port: {name: n, number: 443, protocol: https}, tls: {mode: ISTIO_MUTUAL}}]}"
            ),
            error: "partial wildcard \"*bar.com\" not allowed"
        ),
        .init(
            name: "short name",
            yaml: gateway("{servers: [{hosts: [foo], port: {name: n, number: 80, protocol: http}}]}"),
            error: "short names (non FQDN) are not allowed"
        ),
        .init(
            name: "IP and namespaced hosts",
            yaml: gateway(
                "{servers: [{hosts: [1.1.1.1, ns1/foo.bar.com, \"*/foo.bar.com\", ./foo.bar.com], "
                    + "port: {name: n, number: 80, protocol: http}}]}"
            )
        ),
        .init(
            name: "tilde namespace",
            yaml: gateway("{servers: [{hosts: [\"~/foo.bar.com\"], port: {name: n, number: 80, protocol: http}}]}"),
            error: "invalid namespace value \"~\" in gateway"
        ),
        .init(
            name: "HTTPS without tls",
            yaml: gateway("{servers: [{hosts: [foo.bar.com], port: {name: n, number: 443, protocol: HTTPS}}]}"),
            error: "server must have TLS settings for HTTPS/TLS protocols"
        ),
        .init(
            name: "HTTP with SIMPLE tls",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 80, protocol: HTTP}, tls: {mode: SIMPLE, "
                    + "credentialName: c}}]}"
            ),
            error: "server cannot have TLS settings for plain text HTTP ports"
        ),
        .init(
            name: "HTTP with httpsRedirect",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 80, protocol: HTTP}, tls: {httpsRedirect: true}}]}"
            )
        ),
        .init(
            name: "HTTPS with httpsRedirect",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 443, protocol: HTTPS}, tls: {httpsRedirect: true}}]}"
            ),
            warning: "tls.httpsRedirect should only be used with http servers"
        ),
        .init(
            name: "PASSTHROUGH with credentialName",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 443, protocol: HTTPS}, tls: {mode: PASSTHROUGH, "
                    + "credentialName: c}}]}"
            ),
            warning: "PASSTHROUGH mode does not use certificates, they will be ignored"
        ),
        .init(
            name: "PASSTHROUGH with caCrl",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 443, protocol: HTTPS}, tls: {caCrl: crl}}]}"
            ),
            warning: "PASSTHROUGH mode does not use certificates, they will be ignored"
        ),
        .init(
            name: "name with a dot",
            yaml: gateway(
                "{servers: [{hosts: [foo.bar.com], port: {name: n, number: 80, protocol: HTTP}}]}",
                name: "front.proxy"
            ),
            error: "invalid gateway name: \"front.proxy\""
        ),
        .init(
            name: "unknown protocol",
            yaml: gateway("{servers: [{hosts: [foo.bar.com], port: {name: n, number: 80, protocol: FOO}}]}"),
            error:
                "invalid protocol \"FOO\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"
        ),
        .init(name: "no port", yaml: gateway("{servers: [{hosts: [foo.bar.com]}]}"), error: "port is required"),
        .init(
            name: "no port name",
            yaml: gateway("{servers: [{hosts: [foo.bar.com], port: {number: 443, protocol: TLS}, \(tlsServer)}]}"),
            error: "port name must be set: number:443 protocol:\"TLS\""
        ),
        .init(
            name: "no hosts",
            yaml: gateway("{servers: [{port: {name: n, number: 80, protocol: HTTP}}]}"),
            error: "server config must contain at least one host"
        ),
        .init(
            name: "bad bind",
            yaml: gateway(
                "{servers: [{hosts: [a.b.com], bind: not-an-ip, port: {name: n, number: 80, protocol: HTTP}}]}"
            ),
            error: "not-an-ip is not a valid IP"
        ),
    ]

    @Test(arguments: cases)
    func istioRules(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test(arguments: ["SIMPLE", "MUTUAL", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"])
    func terminatingTLSModesAreRejectedByFrontProxy(mode: String) throws {
        let yaml = gateway(
            "{servers: [{hosts: [a.b.com], port: {name: n, number: 443, protocol: HTTPS}, tls: {mode: \(mode)}}]}"
        )
        let document = try #require(load(yaml).first)
        #expect(document.isRejected)
        let messages = document.diagnostics.map(\.message)
        #expect(
            messages.contains(
                "tls mode \(mode) not supported: FrontProxy never terminates TLS (use PASSTHROUGH or AUTO_PASSTHROUGH)"
            ),
            "\(messages)"
        )
    }
}

@Suite struct VirtualServiceValidationTests {
    static func tlsRoute(
        _ match: String = "{sniHosts: [foo.bar]}",
        route: String = "[{destination: {host: foo.bar}}]"
    ) -> String {
        "[{match: [\(match)], route: \(route)}]"
    }

    static let cases: [ValidationCase] = [
        .init(name: "seed virtual service", yaml: Seed.virtualService),
        .init(
            name: "wildcard host bound to the mesh",
            yaml: virtualService("{hosts: [\"*\"], tls: \(tlsRoute())}"),
            error: "wildcard host * is not allowed for virtual services bound to the mesh gateway"
        ),
        .init(
            name: "wildcard host bound to a gateway",
            yaml: virtualService("{hosts: [\"*\"], gateways: [somegateway], tls: \(tlsRoute())}")
        ),
        .init(
            name: "missing tls route",
            yaml: virtualService("{hosts: [foo.bar], tls: [{match: [{port: 999, sniHosts: [foo.bar]}]}]}"),
            error: "TLS route is required"
        ),
        .init(
            name: "ip address as sni host",
            yaml: virtualService("{hosts: [foo.bar], tls: \(tlsRoute("{sniHosts: [1.1.1.1]}"))}"),
            warning: "using an IP address (\"1.1.1.1\") goes against SNI spec and most clients do not support this"
        ),
        .init(
            name: "invalid wildcard as sni host",
            yaml: virtualService("{hosts: [foo.bar], tls: \(tlsRoute("{sniHosts: [foo.*.com]}"))}"),
            error: "domain name \"*.com\" invalid (label \"*\" invalid)"
        ),
        .init(
            name: "allow sni based domains",
            yaml: virtualService(
                "{hosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local], gateways: [ns1/gateway], tls: "
                    + tlsRoute(
                        "{sniHosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local]}",
                        route: "[{destination: {host: istiod.istio-system.svc.cluster.local}}]"
                    ) + "}"
            )
        ),
        .init(
            name: "legacy gateway name",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gateway.example.com], tls: \(tlsRoute())}"),
            warning:
                "using legacy gatewayName format \"gateway.example.com\"; prefer the <namespace>/<name> format: \"example/gateway\""
        ),
        .init(
            name: "namespaced gateway name",
            yaml: virtualService("{hosts: [foo.bar], gateways: [ns1/gateway], tls: \(tlsRoute())}")
        ),
        .init(
            name: "invalid gateway name",
            yaml: virtualService("{hosts: [foo.bar], gateways: [\"b@dgateway\"], tls: \(tlsRoute())}"),
            error: "domain name \"b@dgateway\" invalid (label \"b@dgateway\" invalid)"
        ),
        .init(
            name: "wildcard namespace gateway",
            yaml: virtualService("{hosts: [foo.bar], gateways: [\"*/gateway\"], tls: \(tlsRoute())}"),
            error: "invalid value for namespace: \"*\""
        ),
        .init(
            name: "destination host *",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute(route: "[{destination: {host: \"*\"}}]"))}"
            ),
            error: "invalid destination host *"
        ),
        .init(
            name: "destination host foo.*",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute(route: "[{destination: {host: \"foo.*\"}}]"))}"
            ),
            error: "domain name \"*\" invalid (label \"*\" invalid)"
        ),
        .init(
            name: "destination host with a slash",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute(route: "[{destination: {host: default/baz}}]"))}"
            ),
            error: "domain name \"default/baz\" invalid (label \"default/baz\" invalid)"
        ),
        .init(
            name: "no destination",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute(route: "[{weight: 100}]"))}"),
            error: "destination is required"
        ),
        .init(
            name: "negative weight",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: "
                    + tlsRoute(route: "[{destination: {host: a.b}, weight: 5}, {destination: {host: c.d}, weight: -1}]")
                    + "}"
            ),
            error: "weight -1 < 0"
        ),
        .init(
            name: "single destination weight 0",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute(route: "[{destination: {host: a.b}, weight: 0}]"))}"
            )
        ),
        .init(
            name: "all weights 0",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: "
                    + tlsRoute(route: "[{destination: {host: a.b}, weight: 0}, {destination: {host: c.d}, weight: 0}]")
                    + "}"
            ),
            error: "total destination weight = 0"
        ),
        .init(
            name: "weights 100 and 0",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: "
                    + tlsRoute(
                        route: "[{destination: {host: a.b}, weight: 100}, {destination: {host: c.d}, weight: 0}]"
                    ) + "}"
            )
        ),
        .init(
            name: "weights summing over 100",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: "
                    + tlsRoute(
                        route: "[{destination: {host: a.b}, weight: 550}, {destination: {host: c.d}, weight: 500}]"
                    ) + "}"
            )
        ),
        .init(
            name: "sni outside the hosts",
            yaml: virtualService("{hosts: [foo.com], gateways: [gw], tls: \(tlsRoute("{sniHosts: [bar.com]}"))}"),
            error: "SNI host \"bar.com\" is not a compatible subset of any of the virtual service hosts: [foo.com]"
        ),
        .init(
            name: "wildcard sni is not a subset of the bare domain",
            yaml: virtualService(
                "{hosts: [example.com], gateways: [gw], tls: \(tlsRoute("{sniHosts: [\"*.example.com\"]}"))}"
            ),
            error:
                "SNI host \"*.example.com\" is not a compatible subset of any of the virtual service hosts: [example.com]"
        ),
        .init(
            name: "overlapping wildcard hosts",
            yaml: virtualService(
                "{hosts: [\"*.foo.bar\", \"*.bar\"], gateways: [gw], tls: \(tlsRoute("{sniHosts: [a.foo.bar]}"))}"
            ),
            error: "duplicate hosts in virtual service: *.foo.bar & *.bar"
        ),
        .init(
            name: "no routes at all",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw]}"),
            error: "http, tcp or tls must be provided in virtual service"
        ),
        .init(
            name: "tls match without sni",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute("{port: 443}"))}"),
            error: "TLS match must have at least one SNI host"
        ),
        .init(
            name: "tls rule without match",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tls: [{route: [{destination: {host: a.b}}]}]}"),
            error: "TLS route must have at least one match condition"
        ),
        .init(
            name: "identical tls matches in two rules",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: [{match: [{sniHosts: [foo.bar]}], route: [{destination: {host: a.b}}]}, "
                    + "{match: [{sniHosts: [foo.bar]}], route: [{destination: {host: c.d}}]}]}"
            ),
            warning: "virtualService rule #1 not used (all matches used by prior rules)"
        ),
        .init(
            name: "tcp route without destinations",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tcp: [{match: [{port: 400}]}]}"),
            error: "TCP route is required"
        ),
        .init(
            name: "exportTo . and own namespace",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute()), exportTo: [default, .]}"),
            error: "duplicate entries in exportTo: . and current namespace default"
        ),
        .init(
            name: "exportTo public and private",
            yaml: virtualService("{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute()), exportTo: [\"*\", ns1]}"),
            error: "cannot have both public (*) and non-public exportTo values for a resource"
        ),
        .init(
            name: "match port out of range",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], tls: \(tlsRoute("{sniHosts: [foo.bar], port: 70000}"))}"
            ),
            error: "port number 70000 must be in the range 1..65535"
        ),
    ]

    @Test(arguments: cases)
    func istioRules(_ testCase: ValidationCase) throws {
        try testCase.check()
    }
}

@Suite struct ServiceEntryValidationTests {
    static let cases: [ValidationCase] = [
        .init(name: "seed service entry", yaml: Seed.serviceEntry),
        .init(
            name: "no hosts",
            yaml: serviceEntry("{ports: [{number: 80, name: http, protocol: HTTP}]}"),
            error: "service entry must have at least one host"
        ),
        .init(
            name: "host *",
            yaml: serviceEntry("{hosts: [\"*\"], ports: [{number: 80, name: http, protocol: HTTP}]}"),
            error: "invalid host *"
        ),
        .init(
            name: "short name host",
            yaml: serviceEntry("{hosts: [foo], ports: [{number: 80, name: http, protocol: HTTP}]}")
        ),
        .init(
            name: "partial wildcard host",
            yaml: serviceEntry("{hosts: [\"*foo.com\"], ports: [{number: 80, name: http, protocol: HTTP}]}"),
            warning: "partial wildcard \"*foo.com\" not allowed"
        ),
        .init(
            name: "CIDR with DNS",
            yaml: serviceEntry(
                "{hosts: [a.com], addresses: [10.0.0.0/8], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}"
            ),
            error: "CIDR addresses are allowed only for NONE/STATIC resolution types"
        ),
        .init(
            name: "bad address",
            yaml: serviceEntry(
                "{hosts: [a.com], addresses: [10.0.0.0/99], ports: [{number: 80, name: http, protocol: HTTP}]}"
            ),
            error: "10.0.0.0/99 is not a valid CIDR block"
        ),
        .init(
            name: "selector and endpoints",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, "
                    + "workloadSelector: {labels: {app: a}}, endpoints: [{address: 1.1.1.1}]}"
            ),
            error: "only one of WorkloadSelector or Endpoints is allowed in Service Entry"
        ),
        .init(
            name: "duplicate port name",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}, {number: 81, name: http, protocol: HTTP}]}"
            ),
            error: "service entry port name \"http\" already defined"
        ),
        .init(
            name: "duplicate port number",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: a, protocol: HTTP}, {number: 80, name: b, protocol: HTTP}]}"
            ),
            error: "service entry port 80 already defined"
        ),
        .init(
            name: "invalid port name",
            yaml: serviceEntry("{hosts: [a.com], ports: [{number: 80, name: Http_1, protocol: HTTP}]}"),
            error: "invalid port name: Http_1"
        ),
        .init(
            name: "unsupported protocol",
            yaml: serviceEntry("{hosts: [a.com], ports: [{number: 80, name: a, protocol: FOO}]}"),
            error: "unsupported protocol: FOO"
        ),
        .init(
            name: "TCP port without addresses",
            yaml: serviceEntry("{hosts: [a.com], ports: [{number: 5432, name: db, protocol: TCP}]}"),
            warning:
                "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled"
        ),
        .init(
            name: "TCP port without addresses and resolution DNS: Istio 1.25+ allocates an address",
            yaml: serviceEntry(
                "{hosts: [db.example.com], ports: [{number: 5432, name: db, protocol: TCP}], resolution: DNS}"
            )
        ),
        .init(
            name: "TCP port of an entry that opts out of auto-allocation",
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: se
                  labels: {networking.istio.io/enable-autoallocate-ip: "false"}
                spec: {hosts: [db.example.com], ports: [{number: 5432, name: db, protocol: TCP}], resolution: DNS}
                """,
            warning:
                "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled"
        ),
        .init(
            name: "STATIC endpoint without an address but with a network",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, "
                    + "endpoints: [{network: west}]}"
            ),
            warning: "address is unset with network \"west\""
        ),
        .init(
            name: "STATIC endpoint without an address",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, "
                    + "endpoints: [{}]}"
            ),
            error: "address is required"
        ),
        .init(
            name: "a unix endpoint with two service ports",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}, {number: 81, name: b, protocol: HTTP}], "
                    + "resolution: STATIC, endpoints: [{address: \"unix:///var/run/a.sock\"}]}"
            ),
            error: "exactly 1 service port required for unix endpoints"
        ),
        .init(
            name: "a unix endpoint that is not an absolute path",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, "
                    + "endpoints: [{address: \"unix://a.sock\"}]}"
            ),
            error: "a.sock is not an absolute path to a file"
        ),
        .init(
            name: "DYNAMIC_DNS with a host that is not a wildcard",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DYNAMIC_DNS}"
            ),
            error: "host must be wildcarded for resolution mode DYNAMIC_DNS"
        ),
        .init(
            name: "DYNAMIC_DNS with a TCP port",
            yaml: serviceEntry(
                "{hosts: [\"*.a.com\"], ports: [{number: 5432, name: db, protocol: TCP}], resolution: DYNAMIC_DNS}"
            ),
            error: "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS"
        ),
        .init(
            name: "NONE with endpoints",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], endpoints: [{address: 1.1.1.1}]}"
            ),
            error: "no endpoints should be provided for resolution type none"
        ),
        .init(
            name: "DNS with a wildcard host and no endpoints",
            yaml: serviceEntry(
                "{hosts: [\"*.google.com\"], ports: [{number: 443, name: https, protocol: HTTPS}], resolution: DNS}"
            ),
            error:
                "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, "
                + "domain name \"*.google.com\" invalid (label \"*\" invalid)"
        ),
        .init(
            name: "DNS_ROUND_ROBIN with two endpoints",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS_ROUND_ROBIN, "
                    + "endpoints: [{address: a.example.com}, {address: b.example.com}]}"
            ),
            error: "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN"
        ),
        .init(
            name: "DNS endpoint that is neither FQDN nor IP",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, endpoints: [{address: not_valid}]}"
            ),
            error: "endpoint address \"not_valid\" is not a valid FQDN or an IP address"
        ),
        .init(
            name: "endpoint port not declared",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS, "
                    + "endpoints: [{address: 1.1.1.1, ports: {other: 8080}}]}"
            ),
            error: "endpoint port 8080 is not defined by the service entry"
        ),
        .init(
            name: "multiple hosts with a TCP port",
            yaml: serviceEntry(
                "{hosts: [a.com, b.com], addresses: [1.2.3.4], ports: [{number: 9000, name: tcp, protocol: TCP}], resolution: DNS}"
            ),
            error: "multiple hosts provided with non-HTTP, non-TLS ports",
            warning: "service entry can not have more than one host specified simultaneously with address and tcp port"
        ),
        .init(
            name: "exportTo nobody and somebody",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], exportTo: [\"~\", ns1]}"
            ),
            error: "cannot export service entry to no one (~) and someone"
        ),
        .init(
            name: "STATIC endpoints",
            yaml: serviceEntry(
                "{hosts: [a.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, "
                    + "endpoints: [{address: 127.0.0.1, ports: {http: 8080}}]}"
            )
        ),
    ]

    @Test(arguments: cases)
    func istioRules(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test func onlyTheFirstHostThatIsNotAnFQDNIsReported() throws {
        let yaml = serviceEntry(
            "{hosts: [\"*.a.com\", \"*.b.com\"], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DNS}"
        )
        let errors = try #require(load(yaml).first).diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.filter { $0.hasPrefix("hosts must be FQDN") }.count == 1)
        #expect(errors.first { $0.hasPrefix("hosts must be FQDN") }?.contains("*.a.com") == true)
    }

    @Test func aBrokenWorkloadSelectorIsReportedAlone() throws {
        let yaml = serviceEntry("{hosts: [\"*\"], workloadSelector: {labels: {app: \"a*\"}}}")
        let errors = try #require(load(yaml).first).diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors == ["wildcard is not supported in selector: \"app=a*\""])
    }

    @Test func dynamicDNSIsRefusedByFrontProxy() throws {
        let yaml = serviceEntry(
            "{hosts: [\"*.a.com\"], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DYNAMIC_DNS}"
        )
        let document = try #require(load(yaml).first)
        #expect(document.diagnostics.map(\.message).contains("resolution DYNAMIC_DNS not supported yet by FrontProxy"))
    }
}
