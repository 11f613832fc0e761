import Foundation
import MeshConfig
import Testing

@Suite struct SeedRouteTableTests {
    static let seedPlan = plan(Seed.gateway, Seed.virtualService, Seed.serviceEntry)

    @Test(arguments: ["www.google.com", "WWW.Google.COM"])
    func seedNamesRouteToTheGoogleCluster(sni: String) {
        #expect(Self.seedPlan.explain(port: 443, serverName: sni).routedCluster == "outbound|443||www.google.com")
    }

    @Test(arguments: ["www.google.com.", "google.com", "evil.example", nil] as [String?])
    func otherNamesGetNoFilterChain(sni: String?) {
        let decision = Self.seedPlan.explain(port: 443, serverName: sni)
        #expect(decision == .noFilterChain(listener: "0.0.0.0_443"))
        #expect(decision.responseFlag == "NR")
        #expect(decision.responseCodeDetails == "filter_chain_not_found")
    }

    @Test func anotherPortHasNoListener() {
        #expect(Self.seedPlan.explain(port: 8443, serverName: "www.google.com").isNoListener)
    }

    @Test func withoutTheServiceEntryTheClusterIsMissing() {
        let decision = plan(Seed.gateway, Seed.virtualService).explain(port: 443, serverName: "www.google.com")
        guard case .noCluster(_, _, let clusters) = decision else {
            Issue.record("expected NC, got \(decision)")
            return
        }
        #expect(decision.responseFlag == "NC")
        #expect(clusters.map(\.name) == ["outbound|443||www.google.com"])
        #expect(clusters.first?.missingReason == "no ServiceEntry or Service has host www.google.com")
    }

    @Test func withoutTheGatewayOrTheVirtualServiceThereIsNoListener() {
        #expect(
            plan(Seed.virtualService, Seed.serviceEntry).explain(port: 443, serverName: "www.google.com").isNoListener
        )
        let gatewayOnly = plan(Seed.gateway, Seed.serviceEntry)
        #expect(gatewayOnly.listeners.isEmpty)
        #expect(gatewayOnly.omittedListeners.map(\.name) == ["0.0.0.0_443"])
        #expect(gatewayOnly.explain(port: 443, serverName: "www.google.com").isNoListener)
    }

    @Test func seedPlanShapeIsWhatTheDataPlaneConsumes() throws {
        let listener = try #require(Self.seedPlan.listeners.first)
        #expect(Self.seedPlan.listeners.count == 1)
        #expect(listener.name == "0.0.0.0_443")
        #expect(listener.bind == "0.0.0.0")
        #expect(listener.protocol == .tls)
        let chain = try #require(listener.chains.first)
        #expect(chain.serverNames == ["www.google.com"])
        #expect(chain.destinations == [WeightedCluster(name: "outbound|443||www.google.com", weight: 100)])
        #expect(
            chain.source
                == RouteSource(
                    resource: ResourceRef(namespace: "default", name: "front-proxy"),
                    kind: .tls,
                    ruleIndex: 0,
                    matchIndex: 0
                )
        )
        #expect(chain.routeName == nil)
        let cluster = try #require(Self.seedPlan.clusters["outbound|443||www.google.com"])
        #expect(cluster.resolution == .strictDNS)
        #expect(cluster.endpoints == [EndpointPlan(address: "www.google.com", port: 443, needsResolution: true)])
        #expect(
            cluster.source
                == ServiceSource(kind: .serviceEntry, resource: ResourceRef(namespace: "default", name: "google"))
        )
        #expect(cluster.protocol == "HTTPS")
        #expect(Self.seedPlan.warnings.isEmpty)
    }

    @Test func compilingIsDeterministic() {
        #expect(plan(Seed.gateway, Seed.virtualService, Seed.serviceEntry) == Self.seedPlan)
    }
}

@Suite struct FilterChainSelectionTests {
    static let wildcardPlan = plan(
        gatewayYAML(),
        tlsVirtualServiceYAML(
            name: "vs",
            rules: [
                (["www.example.com"], "exact.upstream"), (["*.example.com"], "suffix.upstream"),
                (["*.www.example.com"], "longer.upstream"), (["*.com"], "com.upstream"),
            ]
        )
    )

    @Test(arguments: [
        ("www.example.com", "outbound|443||exact.upstream"), ("api.example.com", "outbound|443||suffix.upstream"),
        ("a.www.example.com", "outbound|443||longer.upstream"), ("example.com", "outbound|443||com.upstream"),
        ("other.com", "outbound|443||com.upstream"),
    ])
    func exactThenLongestWildcard(sni: String, cluster: String) throws {
        let chain = try #require(Self.wildcardPlan.listener(port: 443)?.chain(forServerName: sni))
        #expect(chain.destinations.first?.name == cluster)
    }

    @Test func wildcardDoesNotMatchTheBareDomainOrATrailingDot() {
        let plan = plan(gatewayYAML(), tlsVirtualServiceYAML(name: "vs", rules: [(["*.example.com"], "up.example")]))
        let listener = plan.listener(port: 443)
        #expect(listener?.chain(forServerName: "example.com") == nil)
        #expect(listener?.chain(forServerName: "a.example.com.") == nil)
        #expect(listener?.chain(forServerName: "A.EXAMPLE.com") != nil)
    }

    @Test func catchAllTakesEverythingElseIncludingNoSNI() throws {
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "vs", rules: [(["a.example.com"], "a.upstream"), (["*"], "default.upstream")])
        )
        let listener = try #require(plan.listener(port: 443))
        #expect(listener.chain(forServerName: "a.example.com")?.destinations.first?.name == "outbound|443||a.upstream")
        for sni in ["b.example.com", "x", nil] as [String?] {
            #expect(listener.chain(forServerName: sni)?.isCatchAll == true)
        }
    }

    @Test func duplicateSNIAcrossVirtualServicesKeepsTheEarlierAndWarns() {
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "first", rules: [(["a.example.com"], "first.upstream")]),
            tlsVirtualServiceYAML(name: "second", rules: [(["a.example.com", "b.example.com"], "second.upstream")])
        )
        #expect(plan.explain(port: 443, serverName: "a.example.com").chosenCluster == "outbound|443||first.upstream")
        // The whole match of the later rule is skipped, b.example.com included.
        #expect(plan.explain(port: 443, serverName: "b.example.com") == .noFilterChain(listener: "0.0.0.0_443"))
        #expect(
            plan.warnings.map(\.message) == [
                "skipping VirtualService second rule #0 on server port 443 of gateway default/gw, duplicate SNI host "
                    + "names: [a.example.com]; VirtualService default/first rule #0 has them (both created at "
                    + "2026-01-01T00:00:00Z: by name \"first\" comes before \"second\")"
            ]
        )
    }

    @Test func resourcesAppliedInTheSameSecondAreOrderedByName() {
        // zeta is applied first, but in the same second as alpha: Istio then orders by name.
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "zeta", rules: [(["a.example.com"], "zeta.upstream")]),
            tlsVirtualServiceYAML(name: "alpha", rules: [(["a.example.com"], "alpha.upstream")])
        )
        #expect(plan.explain(port: 443, serverName: "a.example.com").chosenCluster == "outbound|443||alpha.upstream")
    }

    @Test func anEarlierSecondWinsAndKeepsWinningAfterItIsReplaced() {
        var store = ConfigStore()
        let start = CreationTimestamp.unclocked
        _ = store.apply(yaml: gatewayYAML(), file: "gw.yaml", at: start)
        _ = store.apply(
            yaml: tlsVirtualServiceYAML(name: "zeta", rules: [(["a.example.com"], "zeta.upstream")]),
            file: "z.yaml",
            at: start
        )
        _ = store.apply(
            yaml: tlsVirtualServiceYAML(name: "alpha", rules: [(["a.example.com"], "alpha.upstream")]),
            file: "a.yaml",
            at: start.adding(seconds: 1)
        )
        // Replacing zeta later keeps its creation time.
        _ = store.apply(
            yaml: tlsVirtualServiceYAML(name: "zeta", rules: [(["a.example.com"], "zeta2.upstream")]),
            file: "z.yaml",
            at: start.adding(seconds: 5)
        )
        let plan = RouteCompiler.compile(store.snapshot)
        #expect(plan.explain(port: 443, serverName: "a.example.com").chosenCluster == "outbound|443||zeta2.upstream")
        #expect(
            plan.warnings.map(\.message).contains {
                $0.hasSuffix(
                    "VirtualService default/zeta rule #0 has them (VirtualService default/zeta was created at "
                        + "2026-01-01T00:00:00Z, VirtualService default/alpha at 2026-01-01T00:00:01Z)"
                )
            }
        )
    }

    @Test func aCreationTimestampInTheDocumentIsHonoured() {
        let older = tlsVirtualServiceYAML(name: "zeta", rules: [(["a.example.com"], "zeta.upstream")])
            .replacingOccurrences(of: "{name: zeta}", with: "{name: zeta, creationTimestamp: 2025-06-01T08:00:00Z}")
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "alpha", rules: [(["a.example.com"], "alpha.upstream")]),
            older
        )
        #expect(plan.explain(port: 443, serverName: "a.example.com").chosenCluster == "outbound|443||zeta.upstream")
    }

    @Test func matchPortMustEqualTheServerPort() {
        let plan = plan(
            gatewayYAML(ports: [(443, "TLS"), (8443, "TLS")]),
            tlsVirtualServiceYAML(name: "vs", rules: [(["a.example.com"], "up.example")], matchExtra: ", port: 8443")
        )
        #expect(plan.explain(port: 8443, serverName: "a.example.com").chosenCluster == "outbound|8443||up.example")
        #expect(plan.explain(port: 443, serverName: "a.example.com").isNoListener)
    }

    @Test func matchGatewaysMustNameThisGateway() {
        let other = gatewayYAML(name: "other", ports: [(9443, "TLS")])
        let plan = plan(
            gatewayYAML(),
            other,
            tlsVirtualServiceYAML(
                name: "vs",
                gateways: ["gw", "default/other"],
                rules: [(["a.example.com"], "up.example")],
                matchExtra: ", gateways: [other]"
            )
        )
        #expect(plan.explain(port: 9443, serverName: "a.example.com").chosenCluster == "outbound|9443||up.example")
        #expect(plan.explain(port: 443, serverName: "a.example.com").isNoListener)
    }

    @Test func virtualServiceMustBeBoundToTheGatewayInItsNamespace() {
        let plan = plan(
            gatewayYAML(namespace: "edge"),
            tlsVirtualServiceYAML(name: "short", gateways: ["gw"], rules: [(["a.example.com"], "short.upstream")]),
            tlsVirtualServiceYAML(name: "qualified", gateways: ["edge/gw"], rules: [(["b.example.com"], "b.upstream")])
        )
        #expect(plan.explain(port: 443, serverName: "a.example.com") == .noFilterChain(listener: "0.0.0.0_443"))
        #expect(plan.explain(port: 443, serverName: "b.example.com").chosenCluster == "outbound|443||b.upstream")
    }

    @Test func serverHostsMustMatchAVirtualServiceHost() {
        let gateway = gatewayYAML().replacingOccurrences(of: "hosts: [\"*\"]", with: "hosts: [\"*.example.com\"]")
        let matching = tlsVirtualServiceYAML(name: "vs", rules: [(["www.google.com"], "up.example")])
            .replacingOccurrences(of: "hosts: [\"*\"]", with: "hosts: [\"*.example.com\", \"www.google.com\"]")
        let notMatching = tlsVirtualServiceYAML(name: "vs2", rules: [(["www.other.org"], "up.example")])
            .replacingOccurrences(of: "hosts: [\"*\"]", with: "hosts: [www.other.org]")
        let plan = plan(gateway, matching, notMatching)
        // SNI hosts are not intersected with the server hosts: only the VirtualService hosts are.
        #expect(plan.explain(port: 443, serverName: "www.google.com").chosenCluster == "outbound|443||up.example")
        #expect(plan.explain(port: 443, serverName: "www.other.org") == .noFilterChain(listener: "0.0.0.0_443"))
    }

    @Test func weightedDestinationsSkipZeroWeights() throws {
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: split}
            spec:
              hosts: ["*"]
              gateways: [gw]
              tls:
              - match: [{sniHosts: [a.example.com]}]
                route:
                - {destination: {host: a.upstream, port: {number: 443}}, weight: 80}
                - {destination: {host: b.upstream, port: {number: 443}}, weight: 20}
                - {destination: {host: c.upstream, port: {number: 443}}, weight: 0}
            """
        let chain = try #require(plan(gatewayYAML(), yaml).listener(port: 443)?.chain(forServerName: "a.example.com"))
        #expect(
            chain.destinations == [
                .init(name: "outbound|443||a.upstream", weight: 80),
                .init(name: "outbound|443||b.upstream", weight: 20),
            ]
        )
        #expect(chain.routeName == "split.default")
    }

    @Test func clusterPortComesFromTheServiceEntryWhenItHasOnePort() {
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "vs", rules: [(["a.example.com"], "api.upstream")]),
            serviceEntryYAML(name: "api", host: "api.upstream", port: 9443)
        )
        #expect(plan.explain(port: 443, serverName: "a.example.com").chosenCluster == "outbound|9443||api.upstream")
    }

    @Test func destinationPortNotDeclaredByTheServiceEntryIsNC() {
        let vs = tlsVirtualServiceYAML(name: "vs", rules: [(["a.example.com"], "api.upstream")])
            .replacingOccurrences(of: "{host: api.upstream}", with: "{host: api.upstream, port: {number: 8443}}")
        let plan = plan(gatewayYAML(), vs, serviceEntryYAML(name: "api", host: "api.upstream"))
        #expect(plan.missingClusters["outbound|8443||api.upstream"] == "ServiceEntry default/api has no port 8443")
        #expect(plan.explain(port: 443, serverName: "a.example.com").responseFlag == "NC")
    }

    @Test func staticEndpointsMapPortsByName() throws {
        let se = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: local}
            spec:
              hosts: [local.upstream]
              ports: [{number: 443, name: tls, protocol: TLS}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.2, ports: {tls: 8443}}, {address: 127.0.0.3}]
            """
        let plan = plan(
            gatewayYAML(),
            tlsVirtualServiceYAML(name: "vs", rules: [(["a.example.com"], "local.upstream")]),
            se
        )
        let cluster = try #require(plan.clusters["outbound|443||local.upstream"])
        #expect(cluster.resolution == .static)
        #expect(cluster.endpoints.map(\.description) == ["127.0.0.2:8443", "127.0.0.3:443"])
    }

    @Test func opaqueTCPServerUsesTheFirstMatchingTCPRoute() throws {
        let vs = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db}
            spec:
              hosts: ["*"]
              gateways: [gw]
              tcp:
              - match: [{port: 5433}]
                route: [{destination: {host: other.upstream, port: {number: 5432}}}]
              - match: [{port: 5432}]
                route: [{destination: {host: db.upstream, port: {number: 5432}}}]
            """
        let plan = plan(gatewayYAML(ports: [(5432, "TCP")]), vs)
        let listener = try #require(plan.listener(port: 5432))
        #expect(listener.protocol == .tcp)
        #expect(listener.chains.count == 1)
        #expect(listener.chain(forServerName: nil)?.destinations.first?.name == "outbound|5432||db.upstream")
        #expect(listener.chain(forServerName: nil)?.source.ruleIndex == 1)
    }

    @Test func httpServerRoutesByHost() throws {
        let vs = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [httpbin.org]
              gateways: [gw]
              http:
              - route: [{destination: {host: httpbin.org, port: {number: 80}}}]
            """
        let plan = plan(gatewayYAML(ports: [(80, "HTTP")]), vs)
        let listener = try #require(plan.listener(port: 80))
        #expect(listener.protocol == .http)
        #expect(listener.virtualHost(forHost: "HTTPBIN.org:80")?.domains == ["httpbin.org"])
        #expect(listener.virtualHost(forHost: "example.com") == nil)
        #expect(plan.explain(port: 80, serverName: "httpbin.org").responseFlag == "NC")
    }
}
