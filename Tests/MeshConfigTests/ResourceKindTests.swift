import MeshConfig
import Testing

@Suite struct ResourceKindTests {
    @Test(arguments: [
        ("gateway", ResourceKind.gateway), ("Gateways", .gateway), ("gw", .gateway),
        ("gateway.networking.istio.io", .gateway), ("virtualservice", .virtualService), ("vs", .virtualService),
        ("VirtualServices", .virtualService), ("serviceentry", .serviceEntry), ("se", .serviceEntry),
        ("serviceentries.networking.istio.io", .serviceEntry),
    ])
    func kubectlSpellingsParse(spelling: String, kind: ResourceKind) {
        #expect(ResourceKind(kubectlName: spelling) == kind)
    }

    @Test(arguments: [
        ("service", ResourceKind.service), ("svc", .service), ("Services", .service),
        ("endpointslice", .endpointSlice), ("endpointslices.discovery.k8s.io", .endpointSlice),
    ])
    func kubernetesKindsParseTheWayKubectlSpellsThem(spelling: String, kind: ResourceKind) {
        #expect(ResourceKind(kubectlName: spelling) == kind)
    }

    @Test(arguments: [
        "destinationrule", "g", "", "gateway.networking.k8s.io", "service.networking.istio.io", "deployment",
        "vs.discovery.k8s.io",
    ])
    func unknownSpellingsAreRejected(spelling: String) {
        #expect(ResourceKind(kubectlName: spelling) == nil)
    }

    @Test func resourceNamesMatchKubectlOutput() {
        #expect(ResourceKind.gateway.qualifiedName == "gateway.networking.istio.io")
        #expect(ResourceKind.serviceEntry.resourceName == "serviceentry")
        #expect(ResourceKind.serviceEntry.qualifiedPluralName == "serviceentries.networking.istio.io")
        #expect(ResourceID(kind: .service, name: "my-nginx").kubectlName == "service/my-nginx")
        #expect(ResourceKind.endpointSlice.qualifiedName == "endpointslice.discovery.k8s.io")
    }

    @Test func aDocumentIsReadOnlyWhenItsGroupMatchesItsKind() {
        #expect(ResourceKind(group: "", kind: "Service") == .service)
        #expect(ResourceKind(group: "discovery.k8s.io", kind: "EndpointSlice") == .endpointSlice)
        #expect(ResourceKind(group: "networking.istio.io", kind: "Service") == nil)
        #expect(ResourceKind(group: "serving.knative.dev", kind: "Service") == nil)
    }
}
