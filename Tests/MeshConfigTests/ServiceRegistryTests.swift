import Foundation
import MeshConfig
import Testing

/// The page's Gateway and VirtualService ("Ingress Gateway without TLS Termination"): `nginx.example.com`
/// passed through to the Kubernetes Service `my-nginx` on 443.
enum IngressPassthrough {
    static let gateway = """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata:
          name: mygateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: PASSTHROUGH}
            hosts: [nginx.example.com]
        """

    static func virtualService(destination: String = "my-nginx", namespace: String = "default") -> String {
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: nginx, namespace: \(namespace)}
        spec:
          hosts: [nginx.example.com]
          gateways: [default/mygateway]
          tls:
          - match: [{port: 443, sniHosts: [nginx.example.com]}]
            route: [{destination: {host: \(destination), port: {number: 443}}}]
        """
    }

    static let service = serviceYAML("ports:\n- port: 443\n  protocol: TCP\nselector:\n  run: my-nginx")

    static func slice(_ endpoints: String, ports: String = "[{name: \"\", port: 443, protocol: TCP}]") -> String {
        endpointSliceYAML("addressType: IPv4\nendpoints:\n\(endpoints)\nports: \(ports)")
    }

    static let readySlice = slice("- addresses: [10.244.0.7]\n  conditions: {ready: true}")
}

func compile(_ yamls: [String], options: CompileOptions = CompileOptions()) -> RoutePlan {
    var store = ConfigStore()
    for yaml in yamls {
        let report = store.apply(yaml: yaml, file: "test.yaml")
        #expect(!report.hasErrors, "\(report.diagnostics)")
    }
    return RouteCompiler.compile(store.snapshot, options: options)
}

@Suite struct ServiceRegistryTests {
    @Test func aShortNameIsTheServiceOfTheVirtualServicesNamespace() throws {
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), IngressPassthrough.service,
            IngressPassthrough.readySlice,
        ])
        let decision = plan.explain(port: 443, serverName: "nginx.example.com")
        #expect(decision.routedCluster == "outbound|443||my-nginx.default.svc.cluster.local")
        let cluster = try #require(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"])
        #expect(cluster.resolution == .eds)
        #expect(cluster.endpoints == [EndpointPlan(address: "10.244.0.7", port: 443, needsResolution: false)])
        #expect(
            cluster.source
                == ServiceSource(kind: .service, resource: ResourceRef(namespace: "default", name: "my-nginx"))
        )
    }

    @Test func theShortNameTakesTheVirtualServicesNamespaceNotTheServices() {
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(namespace: "team-a"),
            IngressPassthrough.service, IngressPassthrough.readySlice,
        ])
        let decision = plan.explain(port: 443, serverName: "nginx.example.com")
        #expect(decision.chosenCluster == "outbound|443||my-nginx.team-a.svc.cluster.local")
        #expect(decision.responseFlag == "NC")
    }

    @Test func aNameWithADotIsTakenAsWritten() {
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(destination: "my-nginx.default"),
            IngressPassthrough.service, IngressPassthrough.readySlice,
        ])
        guard case .noCluster(_, _, let clusters) = plan.explain(port: 443, serverName: "nginx.example.com") else {
            Issue.record("expected NC")
            return
        }
        #expect(clusters.map(\.name) == ["outbound|443||my-nginx.default"])
        #expect(clusters.first?.missingReason == "no ServiceEntry or Service has host my-nginx.default")
    }

    @Test func theClusterDomainOptionChangesTheSuffix() {
        let plan = compile(
            [
                IngressPassthrough.gateway, IngressPassthrough.virtualService(), IngressPassthrough.service,
                IngressPassthrough.readySlice,
            ],
            options: CompileOptions(clusterDomain: "corp.internal")
        )
        #expect(
            plan.explain(port: 443, serverName: "nginx.example.com").routedCluster
                == "outbound|443||my-nginx.default.svc.corp.internal"
        )
    }

    @Test func endpointsThatAreNotReadyGetNoConnections() throws {
        let slice = IngressPassthrough.slice(
            "- addresses: [10.244.0.7]\n  conditions: {ready: false}\n- addresses: [10.244.0.8]"
        )
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), IngressPassthrough.service, slice,
        ])
        let cluster = try #require(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"])
        // A missing `ready` counts as ready, as in Istio.
        #expect(cluster.endpoints.map(\.address) == ["10.244.0.8"])
        #expect(cluster.notReadyEndpoints == 1)
    }

    @Test func aServiceWithoutReadyEndpointsHasAClusterWithNoEndpoints() throws {
        let slice = IngressPassthrough.slice("- addresses: [10.244.0.7]\n  conditions: {ready: false}")
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), IngressPassthrough.service, slice,
        ])
        let cluster = try #require(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"])
        #expect(cluster.endpoints.isEmpty)
        #expect(cluster.endpointsDescription.contains("no ready endpoint"))
        #expect(plan.explain(port: 443, serverName: "nginx.example.com").isRouted)
    }

    @Test func slicePortsAreMatchedToServicePortsByName() throws {
        let service = serviceYAML(
            "ports:\n- {name: https, port: 443, targetPort: https}\n- {name: admin, port: 9443}\nselector: {run: x}"
        )
        let slice = IngressPassthrough.slice(
            "- addresses: [10.244.0.7]",
            ports: "[{name: https, port: 8443}, {name: admin, port: 9000}]"
        )
        let plan = compile([IngressPassthrough.gateway, IngressPassthrough.virtualService(), service, slice])
        let cluster = try #require(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"])
        #expect(cluster.endpoints.map(\.description) == ["10.244.0.7:8443"])
    }

    @Test(arguments: [
        ("{name: http-web, port: 80}", "HTTP"), ("{name: grpc-web-ui, port: 80}", "GRPC-Web"),
        ("{name: tcp, port: 80}", "TCP"), ("{name: web, port: 80}", "UnsupportedProtocol"),
        ("{name: db, port: 3306}", "TCP"), ("{name: web, port: 80, appProtocol: kubernetes.io/h2c}", "HTTP2"),
        ("{name: http, port: 80, appProtocol: https}", "HTTPS"), ("{name: http, port: 80, protocol: UDP}", "UDP"),
    ])
    func aPortsProtocolComesFromItsAppProtocolOrItsName(port: String, expected: String) throws {
        let service = serviceYAML("ports: [\(port)]\nselector: {run: x}")
        // Without a destination port, the Service's only port is the cluster's.
        let vs = IngressPassthrough.virtualService().replacingOccurrences(of: ", port: {number: 443}", with: "")
        let plan = compile([IngressPassthrough.gateway, vs, service])
        let cluster = try #require(plan.clusters.values.first)
        #expect(cluster.protocol == expected)
    }

    @Test func anExternalNameServiceRoutesToTheServiceOfTheNameItAliases() throws {
        let alias = serviceYAML(name: "api", "type: ExternalName\nexternalName: api.example.com")
        let external = serviceEntryYAML(name: "api", host: "api.example.com")
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(destination: "api"), alias, external,
        ])
        #expect(
            plan.explain(port: 443, serverName: "nginx.example.com").routedCluster == "outbound|443||api.example.com"
        )
        let cluster = try #require(plan.clusters["outbound|443||api.example.com"])
        #expect(cluster.resolution == .strictDNS)
    }

    @Test func anExternalNameWithoutAServiceForItsNameGetsNC() {
        let alias = serviceYAML(name: "api", "type: ExternalName\nexternalName: api.example.com")
        let plan = compile([IngressPassthrough.gateway, IngressPassthrough.virtualService(destination: "api"), alias])
        guard case .noCluster(_, _, let clusters) = plan.explain(port: 443, serverName: "nginx.example.com") else {
            Issue.record("expected NC")
            return
        }
        #expect(clusters.map(\.name) == ["outbound|443||api.example.com"])
        #expect(
            clusters.first?.missingReason
                == "no ServiceEntry or Service has host api.example.com (Service default/api is an ExternalName alias "
                + "of api.example.com)"
        )
    }

    @Test func aHeadlessServiceIsStillEDSAtAGateway() throws {
        let service = serviceYAML("clusterIP: None\nports: [{port: 443}]\nselector: {run: my-nginx}")
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), service, IngressPassthrough.readySlice,
        ])
        let cluster = try #require(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"])
        #expect(cluster.resolution == .eds)
        #expect(cluster.endpoints.count == 1)
    }

    @Test func aServiceExportedOnlyToItsOwnNamespaceIsHiddenFromTheGateway() {
        let hidden = IngressPassthrough.service.replacingOccurrences(
            of: "  namespace: default\n",
            with: "  namespace: default\n  annotations: {networking.istio.io/exportTo: \".\"}\n"
        )
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), hidden, IngressPassthrough.readySlice,
        ])
        guard case .noCluster(_, _, let clusters) = plan.explain(port: 443, serverName: "nginx.example.com") else {
            Issue.record("expected NC")
            return
        }
        #expect(
            clusters.first?.missingReason
                == "Service default/my-nginx for my-nginx.default.svc.cluster.local is not exported to namespace "
                + "istio-system, where the gateway runs"
        )
    }

    @Test func exportToIsJudgedAgainstTheGatewayProxysNamespaceNotTheGatewayResources() {
        // The Gateway resource and the VirtualService are both in `default`, the VirtualService exported to
        // `.` only: the gateway proxy in istio-system does not see it, a proxy running in default does.
        let privateVS = IngressPassthrough.virtualService().replacingOccurrences(
            of: "spec:\n",
            with: "spec:\n  exportTo: [\".\"]\n"
        )
        let yamls = [IngressPassthrough.gateway, privateVS, IngressPassthrough.service, IngressPassthrough.readySlice]
        #expect(compile(yamls).explain(port: 443, serverName: "nginx.example.com").isNoListener)
        let inDefault = compile(yamls, options: CompileOptions(gatewayNamespace: "default"))
        #expect(inDefault.explain(port: 443, serverName: "nginx.example.com").isRouted)
    }

    @Test func aKubernetesServiceTakesItsHostFromAServiceEntryAndTheWarningNamesBoth() {
        let squatter = serviceEntryYAML(name: "squatter", host: "my-nginx.default.svc.cluster.local")
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(), squatter, IngressPassthrough.service,
            IngressPassthrough.readySlice,
        ])
        #expect(plan.clusters["outbound|443||my-nginx.default.svc.cluster.local"]?.resolution == .eds)
        #expect(
            plan.warnings.map(\.message) == [
                "ServiceEntry default/squatter is not used for host my-nginx.default.svc.cluster.local at the gateway: "
                    + "Service default/my-nginx has it (a Kubernetes Service takes a host from a ServiceEntry)"
            ]
        )
    }

    @Test func ofTwoServiceEntriesForOneHostTheEarlierWinsAndTheWarningSaysWhy() {
        let first = serviceEntryYAML(name: "first", host: "api.example.com").replacingOccurrences(
            of: "{name: first}",
            with: "{name: first, namespace: team-a, creationTimestamp: 2026-03-01T10:00:00Z}"
        )
        let second = serviceEntryYAML(name: "second", host: "api.example.com").replacingOccurrences(
            of: "{name: second}",
            with: "{name: second, namespace: team-b, creationTimestamp: 2026-03-01T10:00:01Z}"
        )
        let plan = compile([
            IngressPassthrough.gateway, IngressPassthrough.virtualService(destination: "api.example.com"), second,
            first,
        ])
        #expect(
            plan.clusters["outbound|443||api.example.com"]?.source.resource
                == ResourceRef(namespace: "team-a", name: "first")
        )
        #expect(
            plan.warnings.map(\.message) == [
                "ServiceEntry team-b/second is not used for host api.example.com at the gateway: ServiceEntry "
                    + "team-a/first has it (ServiceEntry team-a/first was created at 2026-03-01T10:00:00Z, "
                    + "ServiceEntry team-b/second at 2026-03-01T10:00:01Z)"
            ]
        )
    }

    @Test func autoPassthroughServesKubernetesServicesToo() {
        let gateway = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: cross-network, namespace: istio-system}
            spec:
              servers:
              - port: {number: 15443, name: tls, protocol: TLS}
                tls: {mode: AUTO_PASSTHROUGH}
                hosts: ["*.local"]
            """
        let plan = compile([gateway, IngressPassthrough.service, IngressPassthrough.readySlice])
        let decision = plan.explain(port: 15443, serverName: "outbound_.443_._.my-nginx.default.svc.cluster.local")
        #expect(decision.routedCluster == "outbound|443||my-nginx.default.svc.cluster.local")
    }

    @Test func virtualServiceHostsAreQualifiedToo() throws {
        let gateway = gatewayYAML(ports: [(80, "HTTP")])
        let vs = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              gateways: [gw]
              http: [{route: [{destination: {host: reviews}}]}]
            """
        let service = serviceYAML(name: "reviews", "ports: [{name: http, port: 9080}]\nselector: {app: reviews}")
        let plan = compile([gateway, vs, service])
        let virtualHost = try #require(plan.listener(port: 80)?.virtualHosts.first)
        #expect(virtualHost.domains == ["reviews.default.svc.cluster.local"])
        let decision = plan.explain(port: 80, request: HTTPRouteRequest(authority: "reviews.default.svc.cluster.local"))
        guard case .forward(let forward) = decision.outcome else {
            Issue.record("expected a forward, got \(decision.outcome)")
            return
        }
        #expect(forward.clusters.map(\.name) == ["outbound|9080||reviews.default.svc.cluster.local"])
    }
}
