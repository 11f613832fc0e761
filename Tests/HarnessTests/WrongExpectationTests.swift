import Harness
import Testing

/// Each kind of expectation, written wrong, makes the scenario fail with a message naming what was
/// expected and what happened. A twin that passes shows the step itself is sound.
@Suite struct WrongExpectationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: String
        var steps: String
        /// Text the failure must contain.
        var message: String
        var testDescription: String { kind }
    }

    static let curl = ScenarioTestSupport.seedCurl

    static let cases: [Case] = [
        Case(kind: "status", steps: "  - curl: \(curl)\n    expect: { status: 404 }", message: "status 404"),
        Case(kind: "exitCode", steps: "  - curl: \(curl)\n    expect: { exitCode: 7 }", message: "exit code 7"),
        Case(
            kind: "bodyMatches",
            steps: "  - curl: \(curl)\n    expect: { bodyMatches: Bing }",
            message: "body matching /Bing/"
        ),
        Case(
            kind: "output of grep",
            steps: "  - curl: \(curl) | grep -o \"<title>.*</title>\"\n    expect: { output: <title>Bing</title> }",
            message: #"actual: output "<title>Google</title>""#
        ),
        Case(
            kind: "certificateSubject",
            steps: "  - curl: \(curl)\n    expect: { certificateSubject: CN=evil.example }",
            message: "certificate subject CN=evil.example"
        ),
        Case(
            kind: "reachedUpstream",
            steps: "  - curl: \(curl)\n    expect: { reachedUpstream: other }",
            message: "reached upstream other / actual: reached google"
        ),
        Case(
            kind: "reachedUpstream none",
            steps: "  - curl: \(curl)\n    expect: { reachedUpstream: none }",
            message: "no upstream reached"
        ),
        Case(
            kind: "upstreamServerName",
            steps: "  - curl: \(curl)\n    expect: { reachedUpstream: google, upstreamServerName: evil.example }",
            message: "upstream saw SNI www.google.com"
        ),
        Case(
            kind: "connectionRefused",
            steps: "  - curl: \(curl)\n    expect: { connectionRefused: true }",
            message: "connectionRefused: true"
        ),
        Case(
            kind: "handshakeFailed",
            steps: "  - curl: \(curl)\n    expect: { handshakeFailed: true }",
            message: "handshakeFailed: true"
        ),
        Case(
            kind: "closedWithoutBytes",
            steps: "  - curl: \(curl)\n    expect: { closedWithoutBytes: true }",
            message: "closed by the proxy with no byte forwarded"
        ),
        Case(
            kind: "received",
            steps: """
                  - connect:
                      tls: { sni: www.google.com }
                      send: "GET / HTTP/1.1\\r\\nHost: www.google.com\\r\\nConnection: close\\r\\n\\r\\n"
                      read: close
                    expect: { received: nope }
                """,
            message: #"received "HTTP/1.1 200"#
        ),
        Case(
            kind: "alpn",
            steps: """
                  - connect:
                      tls: { sni: www.google.com, alpn: [http/1.1] }
                    expect: { alpn: h2 }
                """,
            message: "ALPN h2"
        ),
        Case(
            kind: "reset",
            steps: "  - connect:\n      send: { clientHello: { sni: nowhere.example } }\n    expect: { reset: true }",
            message: "reset: true"
        ),
        Case(
            kind: "accessLog regex",
            steps: "  - curl: \(curl)\n  - expectAccessLog: ' NR '",
            message: "an access-log line matching / NR /"
        ),
        Case(
            kind: "accessLog field",
            steps: "  - curl: \(curl)\n  - expectAccessLog: { fields: { RESPONSE_FLAGS: NR } }",
            message: "the last one has RESPONSE_FLAGS=-"
        ),
        Case(
            kind: "accessLog count",
            steps: "  - curl: \(curl)\n  - expectAccessLog: { count: 2 }",
            message: "(and 2 lines in all)"
        ),
        Case(
            kind: "accessLog absent",
            steps: "  - curl: \(curl)\n  - expectAccessLog: { fields: { RESPONSE_FLAGS: \"-\" }, absent: true }",
            message: "no access-log line"
        ),
        Case(
            kind: "telemetry",
            steps:
                "  - curl: \(curl)\n  - expectTelemetry: { connectionEvent: open, requestedServerName: evil.example }",
            message: "the last has connectionEvent=close, requestedServerName=www.google.com"
        ),
        Case(
            kind: "metric",
            steps: "  - curl: \(curl)\n  - expectMetric: { name: istio_tcp_connections_opened_total, value: 5 }",
            message: "istio_tcp_connections_opened_total{} = 1"
        ),
        Case(
            kind: "expectClean with the gateway still applied",
            steps: "  - expectClean: true",
            message: "still listens on"
        ),
        Case(
            kind: "route case",
            steps: "  - routes:\n      cases: [{ sni: www.google.com, expect: NR }]",
            message: "port 443, SNI www.google.com → NR / actual: google"
        ),
        Case(
            kind: "route coverage floor",
            steps: """
                  - apply: |
                      apiVersion: networking.istio.io/v1beta1
                      kind: VirtualService
                      metadata: {name: extra}
                      spec:
                        hosts: ["*"]
                        gateways: [front-proxy]
                        tls:
                        - match: [{port: 443, sniHosts: [extra.example]}]
                          route: [{destination: {host: www.google.com, port: {number: 443}}}]
                  - routes:
                      failUnder: 100
                      cases: [{ sni: www.google.com, expect: google }]
                """,
            message: "not exercised: VirtualService default/extra tls[0].match[0]"
        ),
        Case(
            kind: "apply expected rejected",
            steps: "  - apply: ../Fixtures/front-proxy/gateway.yaml\n    expect: { rejected: true }",
            message: "the apply is rejected"
        ),
        Case(
            kind: "apply rejected unexpectedly",
            steps: """
                  - apply: |
                      apiVersion: networking.istio.io/v1beta1
                      kind: Gateway
                      metadata: {name: broken}
                      spec:
                        servers:
                        - port: {number: 443, name: tls, protocol: TLS}
                          hosts: ["*"]
                """,
            message: "server must have TLS settings for HTTPS/TLS protocols"
        ),
        Case(
            kind: "delete of a missing resource",
            steps: "  - delete: kubectl delete gateway no-such-gateway",
            message: "Error from server (NotFound)"
        ),
    ]

    @Test(arguments: cases)
    func aWrongExpectationFailsTheScenarioWithAUsefulMessage(_ wrong: Case) async {
        let result = await ScenarioTestSupport.run(ScenarioTestSupport.seedScenario(wrong.steps, timeout: "20s"))
        #expect(!result.passed, "\(wrong.kind): the scenario passed")
        let text = ScenarioTestSupport.failureText(result)
        #expect(text.contains(wrong.message), "\(wrong.kind): \(text)")
        #expect(result.failure?.step == result.steps, "\(wrong.kind) fails at its own (last) step: \(text)")
    }

    @Test func untouchedFailsWhenTheUpstreamDidNotReadWhatTheClientWrote() async {
        let yaml = """
            name: upstream hangs up early
            timeout: 20s
            world:
              upstreams:
                - { name: echo, address: 127.0.17.1:443, echo: true, fault: { closeAfterReading: 1 } }
            steps:
              - apply: |
                  apiVersion: networking.istio.io/v1beta1
                  kind: Gateway
                  metadata: {name: gw}
                  spec:
                    servers:
                    - port: {number: 443, name: tls, protocol: TLS}
                      tls: {}
                      hosts: ["*"]
                  ---
                  apiVersion: networking.istio.io/v1beta1
                  kind: VirtualService
                  metadata: {name: echo}
                  spec:
                    hosts: ["*"]
                    gateways: [gw]
                    tls:
                    - match: [{sniHosts: [echo.example]}]
                      route: [{destination: {host: echo.example, port: {number: 443}}}]
                  ---
                  apiVersion: networking.istio.io/v1beta1
                  kind: ServiceEntry
                  metadata: {name: echo}
                  spec:
                    hosts: [echo.example]
                    ports: [{number: 443, name: tls, protocol: TLS}]
                    resolution: STATIC
                    endpoints: [{address: 127.0.17.1}]
              - connect:
                  send: [{ clientHello: { sni: echo.example } }, { pattern: 4MB }]
                expect: { reachedUpstream: echo, untouched: true }
            """
        let result = await ScenarioTestSupport.run(yaml)
        let text = ScenarioTestSupport.failureText(result)
        #expect(!result.passed)
        #expect(text.contains("client → upstream untouched: the client wrote"), "\(text)")
    }

    @Test func theRightExpectationsPass() async {
        let steps = """
              - curl: \(Self.curl) | grep -o "<title>.*</title>"
                expect:
                  output: <title>Google</title>
                  status: 200
                  reachedUpstream: google
                  untouched: true
              - expectAccessLog: { fields: { RESPONSE_FLAGS: "-" }, count: 1 }
              - expectTelemetry: { connectionEvent: open, requestedServerName: www.google.com }
              - expectMetric: { name: istio_tcp_connections_opened_total, value: 1 }
              - routes:
                  failUnder: 100
                  cases: [{ sni: www.google.com, expect: google }, { sni: evil.example, expect: NR }]
              - kubectl: |
                  kubectl delete gateway front-proxy
                  kubectl delete vs front-proxy
                  kubectl delete se google
              - expectClean: true
            """
        let result = await ScenarioTestSupport.run(ScenarioTestSupport.seedScenario(steps))
        #expect(result.passed, "\(ScenarioTestSupport.failureText(result))")
        #expect(result.routeCases == 2)
        #expect(result.coverage?.percent == 100)
    }
}
