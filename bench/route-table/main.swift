// Offline HTTP route evaluation speed: how many route cases per second `frontproxy test` (and
// `frontproxy route --host`) can decide without traffic. Prints figures; asserts nothing.
//
//   swift build -c release --product route-table-bench && .build/release/route-table-bench [--cases N]
//
// The configuration is synthetic but shaped like a team's config repo: one HTTP gateway, 40 VirtualServices
// of 25 rules each (exact, prefix and RE2 regex paths, header and method conditions, a catch-all), spread over
// exact and wildcard hosts; the cases hit every kind of rule, and misses.
import Foundation
import MeshConfig

let arguments = CommandLine.arguments
let caseCount = arguments.firstIndex(of: "--cases").flatMap { Int(arguments[$0 + 1]) } ?? 1_000_000

var yaml = """
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata: {name: gw, namespace: default}
    spec:
      servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: ["*"]

    """
let services = 40
for service in 0..<services {
    let host = service % 4 == 0 ? "*.team\(service).example.com" : "svc\(service).example.com"
    var rules: [String] = []
    for rule in 0..<24 {
        let destination = "{destination: {host: backend\(service).internal, port: {number: 80}}}"
        switch rule % 4 {
        case 0: rules.append("  - match: [{uri: {exact: /v\(rule)/status}}]\n    route: [\(destination)]")
        case 1:
            rules.append(
                "  - match: [{uri: {prefix: /api/v\(rule)/}, method: {exact: POST}}]\n    route: [\(destination)]"
            )
        case 2:
            rules.append(
                "  - match: [{uri: {regex: \"/items/[0-9]+/r\(rule)\"}, headers: {x-tenant: {prefix: t\(rule)}}}]\n"
                    + "    route: [\(destination)]"
            )
        default:
            rules.append(
                "  - match: [{uri: {prefix: /static\(rule)/}, ignoreUriCase: true}]\n    route: [\(destination)]"
            )
        }
    }
    rules.append("  - route: [{destination: {host: backend\(service).internal, port: {number: 80}}}]")
    yaml += """
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs\(service), namespace: default}
        spec:
          hosts: ["\(host)"]
          gateways: [gw]
          http:
        \(rules.joined(separator: "\n"))
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: backend\(service), namespace: default}
        spec:
          hosts: [backend\(service).internal]
          ports: [{number: 80, name: http, protocol: HTTP}]
          resolution: DNS

        """
}

var store = ConfigStore()
let report = store.apply(yaml: yaml, file: "synthetic.yaml")
let compileStart = ContinuousClock.now
let plan = RouteCompiler.compile(store.snapshot)
let compileTime = ContinuousClock.now - compileStart
let routes = plan.listener(port: 80)?.virtualHosts.reduce(0) { $0 + $1.routes.count } ?? 0
guard routes > 0 else {
    print("route-table-bench: the synthetic configuration compiled to no routes (\(report))")
    exit(1)
}

// A spread of requests: each kind of rule, deep in the table, and misses (unknown host, no route).
var requests: [HTTPRouteRequest] = []
for index in 0..<256 {
    let service = index % services
    let host = service % 4 == 0 ? "a.team\(service).example.com:80" : "svc\(service).example.com"
    let rule = (index / services) % 24
    switch index % 6 {
    case 0: requests.append(HTTPRouteRequest(authority: host, path: "/v\(rule - rule % 4)/status"))
    case 1:
        requests.append(HTTPRouteRequest(method: "POST", authority: host, path: "/api/v\(rule - rule % 4 + 1)/x?y=1"))
    case 2:
        let r = rule - rule % 4 + 2
        requests.append(
            HTTPRouteRequest(authority: host, path: "/items/\(index)/r\(r)", headers: [("x-tenant", "t\(r)-blue")])
        )
    case 3: requests.append(HTTPRouteRequest(authority: host, path: "/STATIC\(rule - rule % 4 + 3)/app.js"))
    case 4: requests.append(HTTPRouteRequest(authority: host, path: "/anything/else"))
    default: requests.append(HTTPRouteRequest(authority: "unknown\(index).example.net", path: "/"))
    }
}

var routed = 0
var notFound = 0
let start = ContinuousClock.now
for index in 0..<caseCount {
    let decision = plan.explain(port: 80, request: requests[index & 255])
    if decision.isRouted { routed += 1 } else { notFound += 1 }
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
func millis(_ duration: Duration) -> String {
    String(
        format: "%.1f ms",
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    )
}
print("configuration: \(services) VirtualServices, \(routes) routes on port 80 (compiled in \(millis(compileTime)))")
print("cases:         \(caseCount) (\(routed) routed, \(notFound) not routed)")
print(String(format: "time:          %.3f s", seconds))
print(
    String(
        format: "rate:          %.0f cases/s (%.2f µs per case)",
        Double(caseCount) / seconds,
        seconds * 1e6 / Double(caseCount)
    )
)
