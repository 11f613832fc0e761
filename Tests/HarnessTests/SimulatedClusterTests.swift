import MeshConfig
import TestWorld
import Testing

@testable import Harness

/// The harness's stand-ins for the cluster: pods, the EndpointSlice controller, and the kubectl lines of
/// Istio's pages that create and delete kinds FrontProxy does not read.
@Suite struct SimulatedClusterTests {
    static func pod(
        _ name: String,
        ip: String,
        labels: [String: String] = ["app": "web"],
        namespace: String = "default",
        ready: Bool = true,
        ports: [String: Int] = [:]
    ) -> PodSpec {
        PodSpec(name: name, namespace: namespace, labels: labels, ip: ip, ready: ready, ports: ports, line: nil)
    }

    static func service(
        _ name: String = "web",
        selector: [String: String]? = ["app": "web"],
        ports: [KubernetesService.Port] = [KubernetesService.Port(name: "https", port: 443, targetPort: .int(8443))],
        publishNotReady: Bool = false
    ) -> KubernetesService {
        KubernetesService(
            metadata: ResourceMetadata(name: name),
            ports: ports,
            selector: selector,
            publishNotReadyAddresses: publishNotReady
        )
    }

    @Test func aServiceGetsTheReadinessOfThePodsItsSelectorPicks() throws {
        let pods = [
            Self.pod("web-0", ip: "127.0.30.1"), Self.pod("web-1", ip: "127.0.30.2", ready: false),
            Self.pod("other", ip: "127.0.30.3", labels: ["app": "other"]),
            Self.pod("elsewhere", ip: "127.0.30.4", namespace: "team-b"),
        ]
        let slices = SimulatedEndpointSlices.slices(for: [Self.service()], pods: pods)
        let slice = try #require(slices.first)
        #expect(slices.count == 1)
        #expect(slice.serviceName == "web")
        #expect(slice.endpoints.map(\.addresses) == [["127.0.30.1"], ["127.0.30.2"]])
        #expect(slice.endpoints.map(\.conditions.ready) == [true, false])
        #expect(
            slice.endpoints.first?.targetRef
                == EndpointSlice.TargetRef(kind: "Pod", namespace: "default", name: "web-0")
        )
        #expect(slice.ports == [EndpointSlice.Port(name: "https", protocol: "TCP", port: 8443)])
        #expect(slice.metadata.name.hasPrefix("web-") && slice.metadata.name.count == "web-".count + 5)
    }

    @Test func publishingNotReadyAddressesMarksEveryPodReady() throws {
        let slices = SimulatedEndpointSlices.slices(
            for: [Self.service(publishNotReady: true)],
            pods: [Self.pod("web-0", ip: "127.0.30.1", ready: false)]
        )
        #expect(slices.first?.endpoints.first?.conditions.ready == true)
        #expect(slices.first?.endpoints.first?.conditions.serving == false)
    }

    @Test func aNamedTargetPortIsTheNamedPortOfEachPod() {
        let service = Self.service(ports: [
            KubernetesService.Port(name: "https", port: 443, targetPort: .string("https"))
        ])
        let slices = SimulatedEndpointSlices.slices(
            for: [service],
            pods: [
                Self.pod("web-0", ip: "127.0.30.1", ports: ["https": 8443]),
                Self.pod("web-1", ip: "127.0.30.2", ports: ["https": 9443]),
            ]
        )
        // One slice per set of ports, as the controller groups them.
        #expect(slices.map { $0.ports.map(\.port) } == [[8443], [9443]])
    }

    @Test func aServiceWithoutMatchingPodsGetsAnEmptyPlaceholderSlice() {
        let slices = SimulatedEndpointSlices.slices(for: [Self.service()], pods: [])
        #expect(slices.count == 1)
        #expect(slices.first?.endpoints.isEmpty == true)
    }

    @Test func servicesWithoutASelectorOrWithAnExternalNameAreNotManaged() {
        var external = Self.service()
        external.type = KubernetesService.typeExternalName
        external.externalName = "api.example.com"
        let slices = SimulatedEndpointSlices.slices(
            for: [Self.service(selector: nil), external],
            pods: [Self.pod("web-0", ip: "127.0.30.1")]
        )
        #expect(slices.isEmpty)
    }

    @Test func theSlicesAsYAMLLoadBackAsTheSameSlicesOnlyWithLoopbackAllowed() throws {
        let slices = SimulatedEndpointSlices.slices(for: [Self.service()], pods: [Self.pod("web-0", ip: "127.0.30.1")])
        let yaml = SimulatedEndpointSlices.yaml(slices)
        let loaded = ConfigLoader.load(yaml: yaml, file: "x", options: .init(allowsLoopbackEndpoints: true))
        guard case .endpointSlice(let slice)? = loaded.first?.document?.resource else {
            Issue.record("not an EndpointSlice: \(loaded)")
            return
        }
        #expect(slice == slices[0])
        #expect(ConfigLoader.load(yaml: yaml, file: "x").first?.isRejected == true)
    }

    @Test func kubectlCreateSecretAndConfigMapAreUnreadObjects() throws {
        let script = """
            $ kubectl create secret tls nginx-server-certs \\
              --key example_certs/nginx.example.com.key \\
              --cert example_certs/nginx.example.com.crt
            $ kubectl create configmap nginx-configmap --from-file=nginx.conf=./nginx.conf -n web
            $ kubectl delete deployment my-nginx
            """
        let changes = try KubectlScript.changes(of: script, directory: "/", origin: "page")
        #expect(
            changes == [
                .createUnread(kind: "Secret", name: "nginx-server-certs", namespace: nil),
                .createUnread(kind: "ConfigMap", name: "nginx-configmap", namespace: "web"),
                .delete(kind: "deployment", name: "my-nginx", namespace: nil),
            ]
        )
    }

    @Test func catIntoKubectlApplyReadsTheHereDocumentAndNamespaceFlag() throws {
        let script = """
            $ cat <<EOF | kubectl apply -n team-a -f -
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            EOF
            """
        let changes = try KubectlScript.changes(of: script, directory: "/", origin: "page")
        guard case .apply(let texts, let namespace) = changes.first else {
            Issue.record("expected an apply, got \(changes)")
            return
        }
        #expect(namespace == "team-a")
        #expect(texts.map(\.yaml) == ["apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"])
    }

    @Test func aPodNeedsALoopbackAddressOrAnUpstream() throws {
        let yaml = """
            name: pods
            world:
              pods:
                - { name: web-0, labels: { app: web }, ip: 10.244.0.7 }
            steps:
              - wait: 1ms
            """
        #expect(throws: ScenarioFileError.self) {
            _ = try ScenarioDecoder.decode(yaml: yaml, file: "/tmp/x.yaml")
        }
        let upstreamPod = """
            name: pods
            world:
              upstreams: [{ name: web, address: 127.0.30.1:8443, sink: true }]
              pods:
                - { name: web-0, labels: { app: web }, upstream: web }
            steps:
              - pod: { name: web-0, ready: false }
            """
        let scenario = try ScenarioDecoder.decode(yaml: upstreamPod, file: "/tmp/x.yaml")
        #expect(scenario.world.pods.map(\.ip) == ["127.0.30.1"])
    }

    @Test func aNamespaceFlagMismatchIsRefusedAsKubectlRefusesIt() throws {
        let yaml =
            "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team-b}\nspec: {ports: [{port: 80}]}\n"
        let documents = ConfigLoader.load(yaml: yaml, file: "x", options: .init(namespace: "team-a"))
        #expect(
            documents.first?.diagnostics.first?.message
                == "the namespace from the provided object \"team-b\" does not match the namespace \"team-a\". You must "
                + "pass '--namespace=team-b' to perform this operation."
        )
    }

    @Test func deletingAnUnreadObjectThatWasNeverCreatedIsKubectlsNotFound() async {
        let result = await ScenarioTestSupport.run(
            """
            name: not found
            steps:
              - kubectl: kubectl delete secret nginx-server-certs
            """
        )
        #expect(!result.passed)
        #expect(
            ScenarioTestSupport.failureText(result).contains(
                "Error from server (NotFound): secrets \"nginx-server-certs\" not found"
            )
        )
    }
}
