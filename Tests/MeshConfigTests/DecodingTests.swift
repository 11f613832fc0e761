import Foundation
import MeshConfig
import Testing

@Suite struct DecodingTests {
    @Test func seedResourcesDecodeWithNoDiagnostics() throws {
        for yaml in [Seed.gateway, Seed.virtualService, Seed.serviceEntry] {
            let documents = load(yaml)
            try #require(documents.count == 1)
            #expect(documents[0].document != nil)
            #expect(documents[0].diagnostics.isEmpty, "\(documents[0].diagnostics)")
        }
    }

    @Test func seedVirtualServiceReadsSnakeCaseSNIHostsIntoTheModel() throws {
        let document = try #require(load(Seed.virtualService).first?.document)
        guard case .virtualService(let vs) = document.resource else {
            Issue.record("expected a VirtualService")
            return
        }
        #expect(vs.metadata.namespace == "default")
        #expect(vs.tls.first?.match.first?.sniHosts == ["www.google.com"])
        #expect(vs.tls.first?.match.first?.port == 443)
        #expect(vs.tls.first?.route.first?.destination == VirtualService.Destination(host: "www.google.com", port: 443))
    }

    @Test(arguments: ["sni_hosts", "sniHosts"])
    func bothKeySpellingsAreAccepted(key: String) throws {
        let yaml = Seed.virtualService.replacingOccurrences(of: "sni_hosts", with: key)
        let document = try #require(load(yaml).first?.document)
        guard case .virtualService(let vs) = document.resource else { return }
        #expect(vs.tls[0].match[0].sniHosts == ["www.google.com"])
    }

    @Test func exportToAcceptsBothSpellings() throws {
        for key in ["export_to", "exportTo"] {
            let yaml = Seed.serviceEntry + "\n  \(key): [\".\"]\n"
            let document = try #require(load(yaml).first?.document, "\(key)")
            guard case .serviceEntry(let se) = document.resource else { return }
            #expect(se.exportTo == ["."])
        }
    }

    @Test func bothSpellingsOfOneFieldTogetherAreAnError() {
        let yaml = Seed.virtualService.replacingOccurrences(
            of: "      sni_hosts:",
            with: "      sniHosts: [a.example.com]\n      sni_hosts:"
        )
        let diagnostic = load(yaml).first?.diagnostics.first
        #expect(diagnostic?.message == "field \"sniHosts\" is given twice (as \"sniHosts\" and \"sni_hosts\")")
    }

    @Test func unknownFieldIsAnErrorWithFileDocumentResourcePathAndLine() throws {
        let yaml =
            "---\n" + Seed.gateway + "---\n"
            + Seed.virtualService.replacingOccurrences(of: "sni_hosts", with: "snihosts")
        let documents = load(yaml)
        try #require(documents.count == 2)
        #expect(documents[0].document != nil)
        #expect(documents[1].isRejected)
        let error = try #require(documents[1].diagnostics.first)
        #expect(error.severity == .error)
        #expect(error.message == "unknown field \"snihosts\"")
        #expect(error.path == "spec.tls[0].match[0].snihosts")
        #expect(error.origin == DocumentOrigin(file: "test.yaml", document: 2))
        #expect(error.resource == ResourceID(kind: .virtualService, name: "front-proxy"))
        #expect(error.line == 31)
        #expect(
            error.description
                == "test.yaml:31, document 2, VirtualService default/front-proxy, spec.tls[0].match[0].snihosts: "
                + "unknown field \"snihosts\""
        )
    }

    @Test func wrongTypeIsAnErrorNamingTheExpectedType() throws {
        let yaml = Seed.serviceEntry.replacingOccurrences(of: "number: 443", with: "number: [443]")
        let error = try #require(load(yaml).first?.diagnostics.first)
        #expect(error.message == "expected an integer, found a list")
        #expect(error.path == "spec.ports[0].number")
        #expect(error.line == 9)
    }

    @Test func numberWhereAStringIsExpectedSuggestsQuoting() throws {
        let yaml = Seed.serviceEntry.replacingOccurrences(of: "- www.google.com", with: "- 443")
        let error = try #require(load(yaml).first?.diagnostics.first)
        #expect(error.message == "expected a string, found an integer (quote it to make it a string)")
        #expect(error.path == "spec.hosts[0]")
    }

    @Test func unknownEnumValueListsTheAllowedOnes() throws {
        let yaml = Seed.serviceEntry.replacingOccurrences(of: "resolution: DNS", with: "resolution: dns")
        let error = try #require(load(yaml).first?.diagnostics.first)
        #expect(error.message.hasPrefix("unknown value \"dns\" (expected one of NONE, STATIC, DNS"))
        #expect(error.path == "spec.resolution")
    }

    @Test func destinationSubsetIsRefusedAsNotSupportedYet() throws {
        let yaml = Seed.virtualService.replacingOccurrences(
            of: "        host: www.google.com",
            with: "        host: www.google.com\n        subset: v1"
        )
        let documents = load(yaml)
        #expect(documents.first?.isRejected == true)
        let error = try #require(documents.first?.diagnostics.first)
        #expect(error.message.contains("subset is not supported yet"))
        #expect(error.path == "spec.tls[0].route[0].destination.subset")
    }

    @Test func otherKindsAreSkippedAndCountedInOneLine() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec: {replicas: 2, anything: [goes]}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec: {host: x}
            ---
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata: {name: knative}
            ---
            \(Seed.gateway)
            """
        let documents = load(yaml)
        try #require(documents.count == 4)
        #expect(documents[0...2].allSatisfy { $0.outcome == .skipped && $0.diagnostics.isEmpty })
        #expect(documents[0].skipped?.description == "test.yaml:1: document 1: Deployment shop/web (apps/v1) not read")
        #expect(documents[3].document != nil)
        #expect(documents[3].origin.document == 4)
        #expect(
            SkippedDocument.summary(documents.compactMap(\.skipped))
                == "not read: 3 documents of kinds FrontProxy does not read: Deployment ×1, Service ×1; Istio kinds "
                + "whose effect is not simulated: DestinationRule ×1 (-v lists them)"
        )
    }

    @Test func emptyDocumentsAreIgnoredButCounted() {
        let documents = load("---\n---\n# nothing\n---\n" + Seed.gateway)
        #expect(documents.count == 1)
        #expect(documents.first?.origin.document == 3)
    }

    @Test func kindListItemsAreDecodedEachOnItsOwn() {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: networking.istio.io/v1beta1
              kind: Gateway
              metadata: {name: a}
              spec: {servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: ["*"], tls: {}}]}
            - apiVersion: networking.istio.io/v1beta1
              kind: Gateway
              metadata: {name: b}
              spec: {servers: [], bogus: 1}
            """
        let documents = load(yaml)
        #expect(documents.count == 2)
        #expect(documents.first?.document?.id.name == "a")
        #expect(documents.last?.isRejected == true)
        #expect(documents.last?.diagnostics.first?.path == "items[1].spec.bogus")
    }

    @Test func yamlSyntaxErrorRejectsTheDocumentWithItsLine() throws {
        let documents = load(Seed.gateway + "---\nkind: [unclosed\n")
        try #require(documents.count == 2)
        #expect(documents[0].document != nil)
        #expect(documents[1].isRejected)
        #expect(documents[1].diagnostics.first?.message.hasPrefix("YAML syntax error") == true)
        #expect(documents[1].diagnostics.first?.line != nil)
    }

    @Test func unservedAPIVersionIsAnError() {
        let yaml = Seed.gateway.replacingOccurrences(of: "v1alpha3", with: "v2")
        #expect(load(yaml).first?.isRejected == true)
    }

    @Test func missingNameIsAnError() {
        let yaml = Seed.gateway.replacingOccurrences(of: "  name: front-proxy\n", with: "  labels: {a: b}\n")
        #expect(load(yaml).first?.diagnostics.contains { $0.message == "resource name may not be empty" } == true)
    }

    @Test func aliasExpansionBeyondTheNodeBudgetIsRefused() {
        // 1,000 hosts shared by 300 servers through aliases: a short text that expands to 300,000 nodes.
        let hosts = (0..<1000).map { "h\($0).example.com" }.joined(separator: ", ")
        let servers = Array(repeating: "*s", count: 300).joined(separator: ", ")
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: big}
            spec:
              servers: [&s {port: {number: 443, name: tls, protocol: TLS}, tls: {}, hosts: [\(hosts)]}, \(servers)]
            """
        let documents = load(yaml)
        #expect(documents.first?.isRejected == true)
        #expect(documents.first?.diagnostics.contains { $0.message.hasPrefix("document too large") } == true)
    }

    @Test func appliedDocumentKeepsItsYAMLForGet() throws {
        let document = try #require(load(Seed.serviceEntry).first?.document)
        #expect(document.yaml.contains("www.google.com"))
        #expect(document.apiVersion == "networking.istio.io/v1alpha3")
    }
}
