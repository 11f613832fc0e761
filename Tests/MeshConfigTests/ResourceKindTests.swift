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

    @Test(arguments: ["service", "destinationrule", "g", "", "gateway.networking.k8s.io"])
    func unknownSpellingsAreRejected(spelling: String) {
        #expect(ResourceKind(kubectlName: spelling) == nil)
    }

    @Test func resourceNamesMatchKubectlOutput() {
        #expect(ResourceKind.gateway.resourceName + "." + ResourceKind.group == "gateway.networking.istio.io")
        #expect(ResourceKind.serviceEntry.resourceName == "serviceentry")
    }
}
