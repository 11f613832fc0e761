import Foundation
import MeshConfig
import Testing

/// A VirtualService bound to gateway `gw` with the given hosts and `http` rules (block YAML, indented 2).
private func httpVS(
    _ name: String,
    hosts: [String] = ["foo.example.com"],
    namespace: String = "default",
    gateways: [String] = ["gw"],
    http: String
) -> String {
    """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: \(name), namespace: \(namespace)}
    spec:
      hosts: [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]
      gateways: [\(gateways.joined(separator: ", "))]
      http:
    \(http)
    """
}

private func route(_ host: String, port: Int = 80) -> String {
    "route: [{destination: {host: \(host), port: {number: \(port)}}}]"
}

private func serviceEntries(_ hosts: String...) -> String {
    hosts.map { host in
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: \(host.replacingOccurrences(of: ".", with: "-"))}
        spec:
          hosts: [\(host)]
          ports: [{number: 80, name: http, protocol: HTTP}, {number: 8080, name: http-alt, protocol: HTTP}]
          resolution: DNS
        """
    }.joined(separator: "\n---\n")
}

private let gateway80 = gatewayYAML(ports: [(80, "HTTP")])

private func request(
    _ host: String,
    _ path: String = "/",
    method: String = "GET",
    headers: [(String, String)] = []
) -> HTTPRouteRequest {
    HTTPRouteRequest(method: method, authority: host, path: path, headers: headers.map { ($0.0, $0.1) })
}

extension HTTPRouteDecision {
    var cluster: String? {
        if case .forward(let forward) = outcome, forward.clusters.count == 1 { return forward.clusters[0].name }
        return nil
    }

    var rule: String? { route?.source.description }
}

/// Envoy's route matching on routes istiod builds for a gateway HTTP server: virtual hosts, first match wins,
/// match semantics, actions.
@Suite struct HTTPRoutingTests {
    @Test func firstMatchWinsAcrossVirtualServicesForOneHostInCreationOrder() throws {
        let older = httpVS("a", http: "  - match: [{uri: {prefix: /api}}]\n    \(route("a.svc"))")
        let newer = httpVS(
            "b",
            http: "  - match: [{uri: {prefix: /api/v2}}]\n    \(route("b.svc"))\n  - \(route("b.svc"))"
        )
        let plan = plan(gateway80, serviceEntries("a.svc", "b.svc"), older, newer)
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/api/v2/x")).cluster == "outbound|80||a.svc"
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/other")).cluster == "outbound|80||b.svc")
        let virtualHost = try #require(plan.listener(port: 80)?.virtualHost(forHost: "foo.example.com"))
        #expect(
            virtualHost.routes.map(\.source.description) == [
                "VirtualService default/a http[0].match[0]", "VirtualService default/b http[0].match[0]",
                "VirtualService default/b http[1]",
            ]
        )
    }

    @Test func exactPrefixAndRegexMatchThePathWithoutItsQuery() throws {
        let vs = httpVS(
            "m",
            http: """
                  - match: [{uri: {exact: /exact}}]
                    \(route("exact.svc"))
                  - match: [{uri: {regex: "/items/[0-9]+"}}]
                    \(route("regex.svc"))
                  - match: [{uri: {prefix: /pre}}]
                    \(route("prefix.svc"))
                """
        )
        let plan = plan(gateway80, serviceEntries("exact.svc", "regex.svc", "prefix.svc"), vs)
        func cluster(_ path: String) -> String? {
            plan.explain(port: 80, request: request("foo.example.com", path)).cluster
        }
        #expect(cluster("/exact?x=1") == "outbound|80||exact.svc")
        #expect(cluster("/exact/more") == nil)
        #expect(cluster("/items/42?page=2") == "outbound|80||regex.svc")
        #expect(cluster("/items/42/x") == nil, "a regex matches the whole path")
        #expect(cluster("/prefixed") == "outbound|80||prefix.svc")
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/nothing")).responseFlag == "NR")
    }

    @Test func ignoreUriCaseComparesASCIICaseInsensitivelyButNotForRegexes() throws {
        let vs = httpVS(
            "c",
            http: """
                  - match: [{uri: {prefix: /Static}, ignoreUriCase: true}]
                    \(route("a.svc"))
                  - match: [{uri: {regex: "/Img/.*"}, ignoreUriCase: true}]
                    \(route("b.svc"))
                """
        )
        let plan = plan(gateway80, serviceEntries("a.svc", "b.svc"), vs)
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/sTaTiC/x.css")).cluster == "outbound|80||a.svc"
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/img/x.png")).responseFlag == "NR")
    }

    @Test func headersWithoutHeadersAndMethodAllMustHold() throws {
        let vs = httpVS(
            "h",
            http: """
                  - match: [{headers: {x-canary: {exact: "yes"}}, withoutHeaders: {x-block: {}}, method: {exact: POST}}]
                    \(route("canary.svc"))
                  - match: [{headers: {x-user: {}}}]
                    \(route("user.svc"))
                  - match: [{withoutHeaders: {x-env: {exact: prod}}}]
                    \(route("nonprod.svc"))
                """
        )
        let plan = plan(gateway80, serviceEntries("canary.svc", "user.svc", "nonprod.svc"), vs)
        func cluster(_ method: String, _ headers: [(String, String)]) -> String? {
            plan.explain(port: 80, request: request("foo.example.com", method: method, headers: headers)).cluster
        }
        #expect(cluster("POST", [("X-Canary", "yes")]) == "outbound|80||canary.svc")
        #expect(cluster("GET", [("x-canary", "yes"), ("x-env", "prod")]) == nil)
        #expect(cluster("POST", [("x-canary", "yes"), ("x-block", "1"), ("x-user", "u")]) == "outbound|80||user.svc")
        #expect(cluster("GET", [("x-env", "dev")]) == "outbound|80||nonprod.svc")
        #expect(cluster("GET", []) == "outbound|80||nonprod.svc", "a missing header is \"\" for withoutHeaders")
    }

    @Test func queryParametersMatchTheFirstValueUndecoded() throws {
        let vs = httpVS(
            "q",
            http: "  - match: [{queryParams: {v: {exact: \"2\"}, debug: {}}}]\n    \(route("a.svc"))"
        )
        let plan = plan(gateway80, serviceEntries("a.svc"), vs)
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/?v=2&debug")).cluster == "outbound|80||a.svc"
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/?v=3&v=2&debug")).responseFlag == "NR")
    }

    @Test func portAndGatewaysInAMatchAreDecidedWhenTheRoutesAreBuilt() throws {
        let vs = httpVS(
            "p",
            gateways: ["gw", "other"],
            http: """
                  - match: [{port: 8080}]
                    \(route("alt.svc"))
                  - match: [{gateways: [other]}]
                    \(route("other.svc"))
                  - match: [{port: 80, gateways: [gw]}]
                    \(route("main.svc"))
                """
        )
        let plan = plan(
            gatewayYAML(ports: [(80, "HTTP"), (8080, "HTTP")]),
            serviceEntries("alt.svc", "other.svc", "main.svc"),
            vs
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com")).cluster == "outbound|80||main.svc")
        #expect(plan.explain(port: 8080, request: request("foo.example.com")).cluster == "outbound|80||alt.svc")
    }

    @Test func virtualHostsAreExactThenLongestWildcardThenStarWithThePortIgnored() throws {
        let exact = httpVS("exact", hosts: ["api.example.com"], http: "  - \(route("exact.svc"))")
        let wide = httpVS("wide", hosts: ["*.example.com"], http: "  - \(route("wide.svc"))")
        let narrow = httpVS("narrow", hosts: ["*.eu.example.com"], http: "  - \(route("narrow.svc"))")
        let all = httpVS("all", hosts: ["*"], http: "  - \(route("all.svc"))")
        let plan = plan(
            gateway80,
            serviceEntries("exact.svc", "wide.svc", "narrow.svc", "all.svc"),
            exact,
            wide,
            narrow,
            all
        )
        func cluster(_ host: String) -> String? { plan.explain(port: 80, request: request(host)).cluster }
        #expect(cluster("API.example.com:8080") == "outbound|80||exact.svc")
        #expect(cluster("a.eu.example.com") == "outbound|80||narrow.svc")
        #expect(cluster("b.example.com") == "outbound|80||wide.svc")
        #expect(cluster("example.com") == "outbound|80||all.svc", "*.example.com does not cover example.com")
        #expect(cluster("api.example.com.") == "outbound|80||all.svc", "a trailing dot is not stripped")
        #expect(cluster("[::1]:80") == "outbound|80||all.svc")
    }

    @Test func anUnknownHostGets404NRRouteNotFoundAndNothingForwarded() throws {
        let plan = plan(gateway80, serviceEntries("a.svc"), httpVS("v", http: "  - \(route("a.svc"))"))
        let decision = plan.explain(port: 80, request: request("evil.example.net"))
        #expect(decision.responseCode == 404)
        #expect(decision.responseFlag == "NR")
        #expect(decision.responseCodeDetails == "route_not_found")
        #expect(!decision.isRouted)
    }

    @Test func aGatewayHTTPServerWithoutRoutesStillAnswers404() throws {
        let plan = plan(gateway80)
        let decision = plan.explain(port: 80, request: request("foo.example.com"))
        #expect(decision.responseFlag == "NR")
        #expect(plan.listener(port: 80)?.virtualHosts.map(\.name) == ["blackhole:80"])
    }

    @Test func theServerHostNarrowsAWiderVirtualServiceHost() throws {
        let gateway = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["shop.example.com"]
            """
        let plan = plan(gateway, serviceEntries("a.svc"), httpVS("v", hosts: ["*.com"], http: "  - \(route("a.svc"))"))
        let listener = try #require(plan.listener(port: 80))
        #expect(listener.virtualHosts.map(\.domains) == [["shop.example.com"]])
        #expect(plan.explain(port: 80, request: request("other.com")).responseFlag == "NR")
    }

    @Test func catchAllRoutesMoveBehindEveryOtherRouteOfTheHost() throws {
        let first = httpVS("first", http: "  - \(route("catchall.svc"))")
        let second = httpVS("second", http: "  - match: [{uri: {prefix: /special}}]\n    \(route("special.svc"))")
        let plan = plan(gateway80, serviceEntries("catchall.svc", "special.svc"), first, second)
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/special/1")).cluster
                == "outbound|80||special.svc"
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/")).cluster == "outbound|80||catchall.svc")
    }

    @Test func aRedirectAnswersWithItsCodeAndEnvoysLocation() throws {
        let vs = httpVS(
            "r",
            http: """
                  - match: [{uri: {prefix: /old}}]
                    redirect: {prefixRewrite: /new, redirectCode: 308}
                  - match: [{uri: {exact: /moved}}]
                    redirect: {uri: /there, authority: other.example.com, scheme: https}
                  - match: [{uri: {exact: /port}}]
                    redirect: {port: 8443, scheme: https}
                """
        )
        let plan = plan(gateway80, vs)
        let prefix = plan.explain(port: 80, request: request("foo.example.com", "/old/page?q=1"))
        #expect(prefix.outcome == .redirect(status: 308, location: "http://foo.example.com/new/page?q=1"))
        #expect(prefix.responseCodeDetails == "direct_response")
        let moved = plan.explain(port: 80, request: request("foo.example.com:80", "/moved?x=y"))
        #expect(moved.outcome == .redirect(status: 301, location: "https://other.example.com/there?x=y"))
        let port = plan.explain(port: 80, request: request("foo.example.com:80", "/port"))
        #expect(port.outcome == .redirect(status: 301, location: "https://foo.example.com:8443/port"))
    }

    @Test func aDirectResponseAnswersWithItsStatusAndBody() throws {
        let vs = httpVS("d", http: "  - directResponse: {status: 418, body: {string: teapot}}")
        let decision = plan(gateway80, vs).explain(port: 80, request: request("foo.example.com"))
        #expect(decision.outcome == .directResponse(status: 418, body: Array("teapot".utf8)))
        #expect(decision.isRouted)
    }

    @Test func rewritesReplaceTheMatchedPrefixOrEveryRegexMatchAndTheAuthority() throws {
        let vs = httpVS(
            "w",
            http: """
                  - match: [{uri: {prefix: /v1/}}]
                    rewrite: {uri: /api/, authority: backend.internal}
                    \(route("a.svc"))
                  - match: [{uri: {prefix: /svc}}]
                    rewrite: {uriRegexRewrite: {match: "^/svc/([^/]+)(/.*)$", rewrite: "\\\\2/instance/\\\\1"}}
                    \(route("a.svc"))
                  - rewrite: {uri: /v2}
                    \(route("a.svc"))
                """
        )
        let plan = plan(gateway80, serviceEntries("a.svc"), vs)
        func forward(_ path: String) -> ForwardDecision? {
            if case .forward(let forward) = plan.explain(port: 80, request: request("foo.example.com", path)).outcome {
                return forward
            }
            return nil
        }
        #expect(forward("/v1/users?id=3")?.upstreamPath == "/api/users?id=3")
        #expect(forward("/v1/users")?.upstreamAuthority == "backend.internal")
        #expect(forward("/svc/alpha/status?x=1")?.upstreamPath == "/status/instance/alpha?x=1")
        #expect(forward("/foo")?.upstreamPath == "/v2foo", "rewrite.uri replaces the matched prefix /, as Envoy does")
    }

    @Test func weightedDestinationsSkipWeightZeroAndKeepTheirHeaderOperations() throws {
        let vs = httpVS(
            "wt",
            http: """
                  - route:
                    - {destination: {host: a.svc, port: {number: 80}}, weight: 90, headers: {request: {set: {x-v: a}}}}
                    - {destination: {host: b.svc, port: {number: 80}}, weight: 10}
                    - {destination: {host: c.svc, port: {number: 80}}, weight: 0}
                """
        )
        let decision = plan(gateway80, serviceEntries("a.svc", "b.svc", "c.svc"), vs)
            .explain(port: 80, request: request("foo.example.com"))
        guard case .forward(let forward) = decision.outcome else {
            Issue.record("not forwarded: \(decision.outcome)")
            return
        }
        #expect(forward.clusters.map(\.name) == ["outbound|80||a.svc", "outbound|80||b.svc"])
        #expect(forward.clusters.map(\.weight) == [90, 10])
        #expect(
            forward.action.destinations[0].requestHeaders.set == [VirtualService.HeaderValue(name: "x-v", value: "a")]
        )
    }

    @Test func defaultPolicyIsNoTimeoutAndIstiosDefaultRetries() throws {
        let vs = httpVS(
            "t",
            http: """
                  - match: [{uri: {prefix: /custom}}]
                    timeout: 2s
                    retries: {attempts: 4, retryOn: "503,gateway-error", perTryTimeout: 500ms}
                    \(route("a.svc"))
                  - \(route("a.svc"))
                """
        )
        let plan = plan(gateway80, serviceEntries("a.svc"), vs)
        guard
            case .forward(let custom) = plan.explain(port: 80, request: request("foo.example.com", "/custom")).outcome,
            case .forward(let plain) = plan.explain(port: 80, request: request("foo.example.com", "/")).outcome
        else {
            Issue.record("not forwarded")
            return
        }
        #expect(custom.action.timeout == .seconds(2))
        #expect(custom.action.retry?.attempts == 4)
        #expect(custom.action.retry?.retriableStatusCodes == [503])
        #expect(custom.action.retry?.retryOn == ["gateway-error", "retriable-status-codes"])
        #expect(plain.action.timeout == nil)
        #expect(plain.action.retry?.attempts == 2)
    }

    @Test func aFullAbortAnswersWithItsStatusAndFI() throws {
        let vs = httpVS(
            "f",
            http: "  - fault: {abort: {httpStatus: 503, percentage: {value: 100}}}\n    \(route("a.svc"))"
        )
        let decision = plan(gateway80, serviceEntries("a.svc"), vs).explain(
            port: 80,
            request: request("foo.example.com")
        )
        #expect(decision.responseCode == 503)
        #expect(decision.responseFlag == "FI")
        #expect(decision.responseCodeDetails == "fault_filter_abort")
    }

    @Test func aMissingClusterIs503NCClusterNotFound() throws {
        let decision = plan(gateway80, httpVS("n", http: "  - \(route("nowhere.svc"))"))
            .explain(port: 80, request: request("foo.example.com"))
        #expect(decision.responseCode == 503)
        #expect(decision.responseFlag == "NC")
        #expect(decision.responseCodeDetails == "cluster_not_found")
    }

    @Test func aDelegateVirtualServiceServesUnderItsRootsMatches() throws {
        let root = httpVS(
            "root",
            http: """
                  - match: [{uri: {prefix: /reviews}}]
                    delegate: {name: reviews, namespace: apps}
                  - \(route("fallback.svc"))
                """
        )
        let delegate = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: apps}
            spec:
              http:
              - match: [{uri: {prefix: /reviews/v2}}]
                \(route("reviews-v2.svc"))
              - match: [{uri: {prefix: /ratings}}]
                \(route("ratings.svc"))
              - \(route("reviews.svc"))
            """
        let plan = plan(
            gateway80,
            serviceEntries("fallback.svc", "reviews-v2.svc", "ratings.svc", "reviews.svc"),
            root,
            delegate
        )
        let v2 = plan.explain(port: 80, request: request("foo.example.com", "/reviews/v2/1"))
        #expect(v2.cluster == "outbound|80||reviews-v2.svc")
        #expect(
            v2.rule
                == "VirtualService apps/reviews http[0].match[0] (delegated from VirtualService default/root http[0])"
        )
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/reviews/1")).cluster
                == "outbound|80||reviews.svc"
        )
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/ratings")).cluster
                == "outbound|80||fallback.svc"
        )
        #expect(plan.warnings.contains { $0.message.contains("apps/reviews http[1] skipped") })
    }

    @Test func aDelegateThatDoesNotExistDropsTheRootRuleWithAWarning() throws {
        let root = httpVS("root", http: "  - delegate: {name: missing}\n  - \(route("a.svc"))")
        let plan = plan(gateway80, serviceEntries("a.svc"), root)
        #expect(plan.explain(port: 80, request: request("foo.example.com")).cluster == "outbound|80||a.svc")
        #expect(plan.warnings.contains { $0.message.contains("delegate default/missing not found") })
    }

    @Test func theDefaultPortIsTheServicesOnlyPortElseTheServerPort() throws {
        let single = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: single}
            spec:
              hosts: [single.svc]
              ports: [{number: 9090, name: http, protocol: HTTP}]
              resolution: DNS
            """
        let vs = httpVS(
            "d",
            http: """
                  - match: [{uri: {prefix: /single}}]
                    route: [{destination: {host: single.svc}}]
                  - route: [{destination: {host: multi.svc}}]
                """
        )
        let plan = plan(gateway80, single, serviceEntries("multi.svc"), vs)
        #expect(
            plan.explain(port: 80, request: request("foo.example.com", "/single")).cluster
                == "outbound|9090||single.svc"
        )
        #expect(plan.explain(port: 80, request: request("foo.example.com", "/")).cluster == "outbound|80||multi.svc")
    }

    @Test func aRouteCommandExplainsAnHTTPRequest() throws {
        let inputs = [
            ConfigFiles.Input(file: "gw.yaml", contents: .success(gateway80)),
            ConfigFiles.Input(file: "se.yaml", contents: .success(serviceEntries("a.svc"))),
            ConfigFiles.Input(
                file: "vs.yaml",
                contents: .success(httpVS("v", http: "  - match: [{uri: {prefix: /a}}]\n    \(route("a.svc"))"))
            ),
        ]
        let routed = RouteCommandLogic.run(inputs: inputs, port: 80, request: request("foo.example.com", "/a/b"))
        #expect(routed.exitCode == RouteCommandLogic.routedExitCode)
        #expect(routed.output.contains("route:        VirtualService default/v http[0].match[0]"))
        #expect(routed.output.contains("routed: GET \"foo.example.com\" /a/b on port 80 -> outbound|80||a.svc"))
        let missed = RouteCommandLogic.run(inputs: inputs, port: 80, request: request("foo.example.com", "/z"))
        #expect(missed.exitCode == RouteCommandLogic.notRoutedExitCode)
        #expect(missed.output.contains("not routed: 404 NR route_not_found"))
    }
}
