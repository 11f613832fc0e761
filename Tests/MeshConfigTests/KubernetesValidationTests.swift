import Foundation
import MeshConfig
import Testing

/// A Service (or EndpointSlice) YAML and the API server's error for it: `path: body` as kubectl prints it
/// after `The Service "x" is invalid: `.
struct KubernetesCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    /// nil: the document must be accepted.
    var error: String?

    var testDescription: String { name }
}

/// `kind: Service` with the given spec lines (indented by two), in namespace default.
func serviceYAML(name: String = "my-nginx", namespace: String = "default", _ spec: String) -> String {
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: \(name)\n  namespace: \(namespace)\nspec:\n"
        + spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        + "\n"
}

/// `kind: EndpointSlice` for Service `service` with the given body lines (unindented: they sit at the top).
func endpointSliceYAML(name: String = "my-nginx-abcde", service: String = "my-nginx", _ body: String) -> String {
    "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: \(name)\n  labels:\n"
        + "    kubernetes.io/service-name: \(service)\n" + body + "\n"
}

@Suite struct KubernetesValidationTests {
    static let rfc1123Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
        + "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    static let cases: [KubernetesCase] = [
        KubernetesCase(
            name: "the page's my-nginx Service",
            yaml: serviceYAML("ports:\n- port: 443\n  protocol: TCP\nselector:\n  run: my-nginx"),
            error: nil
        ),
        KubernetesCase(
            name: "a Service as kubectl get -o yaml prints it, with fields FrontProxy does not read",
            yaml: """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                  uid: 6f1c8c2e-0000-4000-8000-000000000001
                  resourceVersion: "4711"
                  creationTimestamp: "2026-02-03T04:05:06Z"
                  annotations: {networking.istio.io/exportTo: "."}
                spec:
                  type: ClusterIP
                  clusterIP: 10.96.12.34
                  clusterIPs: [10.96.12.34]
                  ipFamilies: [IPv4]
                  ipFamilyPolicy: SingleStack
                  internalTrafficPolicy: Cluster
                  sessionAffinity: None
                  ports:
                  - {name: http-web, port: 80, protocol: TCP, targetPort: http, appProtocol: http}
                  - {name: https, port: 443, protocol: TCP, targetPort: 8443}
                  selector: {app: web}
                status:
                  loadBalancer: {}
                """,
            error: nil
        ),
        KubernetesCase(
            name: "a name that is not a DNS-1035 label",
            yaml: serviceYAML(name: "1nginx", "ports: [{port: 80}]"),
            error:
                "metadata.name: Invalid value: \"1nginx\": a DNS-1035 label must consist of lower case alphanumeric "
                + "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        ),
        KubernetesCase(
            name: "no ports",
            yaml: serviceYAML("selector: {run: x}"),
            error: "spec.ports: Required value"
        ),
        KubernetesCase(
            name: "a headless Service needs no ports",
            yaml: serviceYAML("clusterIP: None\nselector: {run: x}"),
            error: nil
        ),
        KubernetesCase(
            name: "two ports, one without a name",
            yaml: serviceYAML("ports: [{name: http, port: 80}, {port: 443}]"),
            error: "spec.ports[1].name: Required value"
        ),
        KubernetesCase(
            name: "a duplicate port name",
            yaml: serviceYAML("ports: [{name: web, port: 80}, {name: web, port: 443}]"),
            error: "spec.ports[1].name: Duplicate value: \"web\""
        ),
        KubernetesCase(
            name: "an upper-case port name",
            yaml: serviceYAML("ports: [{name: HTTPS, port: 443}]"),
            error: "spec.ports[0].name: Invalid value: \"HTTPS\": " + rfc1123Label
        ),
        KubernetesCase(
            name: "a port out of range",
            yaml: serviceYAML("ports: [{port: 70000}]"),
            error: "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        ),
        KubernetesCase(
            name: "an Istio protocol name in protocol",
            yaml: serviceYAML("ports: [{port: 443, protocol: HTTPS}]"),
            error: "spec.ports[0].protocol: Unsupported value: \"HTTPS\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        ),
        KubernetesCase(
            name: "a quoted number as targetPort is a port name, and a bad one",
            yaml: serviceYAML("ports: [{port: 443, targetPort: \"8443\"}]"),
            error: "spec.ports[0].targetPort: Invalid value: \"8443\": must contain at least one letter (a-z)"
        ),
        KubernetesCase(
            name: "a named targetPort longer than 15 characters",
            yaml: serviceYAML("ports: [{port: 443, targetPort: https-and-more-more}]"),
            error:
                "spec.ports[0].targetPort: Invalid value: \"https-and-more-more\": must be no more than 15 characters"
        ),
        KubernetesCase(
            name: "an appProtocol that is not a qualified name",
            yaml: serviceYAML("ports: [{port: 443, appProtocol: \"h2 c\"}]"),
            error:
                "spec.ports[0].appProtocol: Invalid value: \"h2 c\": name part must consist of alphanumeric characters, "
                + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ),
        KubernetesCase(
            name: "the same port and protocol twice",
            yaml: serviceYAML("ports: [{name: a, port: 80}, {name: b, port: 80}]"),
            error:
                "spec.ports[1]: Duplicate value: {\"Name\":\"\",\"Protocol\":\"TCP\",\"AppProtocol\":null,\"Port\":80,"
                + "\"TargetPort\":0,\"NodePort\":0}"
        ),
        KubernetesCase(
            name: "a nodePort on a ClusterIP Service",
            yaml: serviceYAML("ports: [{port: 80, nodePort: 30080}]"),
            error: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        ),
        KubernetesCase(
            name: "an unknown type",
            yaml: serviceYAML("type: Internal\nports: [{port: 80}]"),
            error:
                "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", "
                + "\"LoadBalancer\", \"NodePort\""
        ),
        KubernetesCase(
            name: "an ExternalName Service without externalName",
            yaml: serviceYAML("type: ExternalName"),
            error: "spec.externalName: Required value"
        ),
        KubernetesCase(
            name: "an ExternalName Service with a cluster IP",
            yaml: serviceYAML("type: ExternalName\nexternalName: api.example.com\nclusterIP: 10.0.0.1"),
            error: "spec.clusterIPs: Forbidden: may not be set for ExternalName services"
        ),
        KubernetesCase(
            name: "an ExternalName that is not a DNS name",
            yaml: serviceYAML("type: ExternalName\nexternalName: Api_Example.com"),
            error:
                "spec.externalName: Invalid value: \"Api_Example.com\": a lowercase RFC 1123 subdomain must consist of "
                + "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                + "character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ),
        KubernetesCase(
            name: "a headless LoadBalancer",
            yaml: serviceYAML("type: LoadBalancer\nclusterIP: None\nports: [{port: 80}]"),
            error: "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"
        ),
        KubernetesCase(
            name: "a cluster IP that is no IP",
            yaml: serviceYAML("clusterIP: 10.0.0\nports: [{port: 80}]"),
            error:
                "spec.clusterIPs[0]: Invalid value: \"10.0.0\": must be a valid IP address, (e.g. 10.9.8.7 or "
                + "2001:db8::ffff)"
        ),
        KubernetesCase(
            name: "a selector value that is no label value",
            yaml: serviceYAML("ports: [{port: 80}]\nselector: {app: \"my app\"}"),
            error:
                "spec.selector: Invalid value: \"my app\": a valid label must be an empty string or consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ),
        KubernetesCase(
            name: "a snake_case field (the API server reads JSON names only)",
            yaml: serviceYAML("ports: [{port: 80, target_port: 8080}]"),
            error: "unknown field \"target_port\""
        ),
        KubernetesCase(
            name: "a quoted port (the API server wants an integer)",
            yaml: serviceYAML("ports: [{port: \"80\"}]"),
            error: "expected an integer, found a string \"80\""
        ),
        KubernetesCase(
            name: "an EndpointSlice as the controller writes it",
            yaml: endpointSliceYAML(
                """
                addressType: IPv4
                endpoints:
                - addresses: [10.244.1.7]
                  conditions: {ready: true, serving: true, terminating: false}
                  nodeName: node-1
                  targetRef: {kind: Pod, name: my-nginx-7d9f, namespace: default, uid: x}
                  zone: zone-a
                ports:
                - {name: "", port: 443, protocol: TCP}
                """
            ),
            error: nil
        ),
        KubernetesCase(
            name: "an EndpointSlice without addressType",
            yaml: endpointSliceYAML("endpoints: []"),
            error: "addressType: Required value"
        ),
        KubernetesCase(
            name: "the removed address type IP",
            yaml: endpointSliceYAML("addressType: IP"),
            error: "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""
        ),
        KubernetesCase(
            name: "an endpoint without addresses",
            yaml: endpointSliceYAML("addressType: IPv4\nendpoints: [{addresses: []}]"),
            error: "endpoints[0].addresses: Required value: must contain at least 1 address"
        ),
        KubernetesCase(
            name: "an IPv6 address in an IPv4 slice",
            yaml: endpointSliceYAML("addressType: IPv4\nendpoints: [{addresses: [\"2001:db8::7\"]}]"),
            error: "endpoints[0].addresses[0]: Invalid value: \"2001:db8::7\": must be a valid IPv4 address"
        ),
        KubernetesCase(
            name: "a loopback endpoint",
            yaml: endpointSliceYAML("addressType: IPv4\nendpoints: [{addresses: [127.0.30.1]}]"),
            error:
                "endpoints[0].addresses[0]: Invalid value: \"127.0.30.1\": may not be in the loopback range "
                + "(127.0.0.0/8, ::1/128)"
        ),
        KubernetesCase(
            name: "two slice ports with one name",
            yaml: endpointSliceYAML("addressType: IPv4\nports: [{name: https, port: 443}, {name: https, port: 8443}]"),
            error: "ports[1].name: Duplicate value: \"https\""
        ),
        KubernetesCase(
            name: "a slice port protocol that is not TCP, UDP or SCTP",
            yaml: endpointSliceYAML("addressType: IPv4\nports: [{port: 443, protocol: TLS}]"),
            error: "ports[0].protocol: Unsupported value: \"TLS\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        ),
        KubernetesCase(
            name: "the discovery.k8s.io/v1beta1 version, removed in Kubernetes 1.25",
            yaml: endpointSliceYAML("addressType: IPv4").replacingOccurrences(of: "/v1\n", with: "/v1beta1\n"),
            error: "apiVersion \"discovery.k8s.io/v1beta1\" is not served for EndpointSlice (use discovery.k8s.io/v1)"
        ),
    ]

    @Test(arguments: cases)
    func theAPIServersMessagesForTheFieldsRead(_ test: KubernetesCase) throws {
        let documents = load(test.yaml)
        let document = try #require(documents.first)
        // Decoding errors carry their path apart; the API server's errors are checked as "path: body".
        let errors = document.diagnostics.filter { $0.severity == .error }.flatMap { diagnostic in
            [diagnostic.message] + (diagnostic.path.map { ["\($0): \(diagnostic.message)"] } ?? [])
        }
        if let error = test.error {
            #expect(errors.contains(error), "errors were \(errors)")
            #expect(document.isRejected)
        } else {
            #expect(errors.isEmpty)
            #expect(document.document != nil)
        }
    }

    @Test func theHarnessMayLoadLoopbackEndpointsOfItsSimulatedPods() {
        let yaml = endpointSliceYAML("addressType: IPv4\nendpoints: [{addresses: [127.0.30.1]}]")
        let documents = ConfigLoader.load(
            yaml: yaml,
            file: "cluster",
            options: ConfigLoader.Options(allowsLoopbackEndpoints: true)
        )
        #expect(documents.first?.document != nil)
    }

    @Test func aServiceErrorNamesFileResourceAndFieldAsKubectlDoes() throws {
        let documents = load(serviceYAML("ports: [{port: 0}]"))
        let error = try #require(documents.first?.diagnostics.first)
        #expect(
            error.description
                == "test.yaml, document 1, Service default/my-nginx, spec.ports[0].port: Invalid value: 0: must be "
                + "between 1 and 65535, inclusive"
        )
    }
}
