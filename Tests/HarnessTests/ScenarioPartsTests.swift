import TestWorld
import Testing

@testable import Harness

/// The pure pieces: kubectl lines as the docs write them, grep, ClientHello records, Prometheus text.
@Suite struct ScenarioPartsTests {
    @Test func theSeedPagesKubectlLinesAreReadVerbatim() throws {
        let script = """
            $ kubectl apply -f - <<EOF
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata:
              name: front-proxy
            EOF
            $ kubectl delete gateway front-proxy
            $ kubectl delete virtualservice front-proxy -n istio-system
            $ kubectl delete se/google
            """
        let changes = try KubectlScript.changes(of: script, directory: "/", origin: "page")
        #expect(changes.count == 4)
        guard case .apply(let texts, _) = changes[0], let yaml = texts.first?.yaml else {
            Issue.record("expected an apply, got \(changes[0])")
            return
        }
        #expect(
            yaml.hasPrefix("apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata:\n  name: front-proxy")
        )
        #expect(changes[1] == .delete(kind: "gateway", name: "front-proxy", namespace: nil))
        #expect(changes[2] == .delete(kind: "virtualservice", name: "front-proxy", namespace: "istio-system"))
        #expect(changes[3] == .delete(kind: "se", name: "google", namespace: nil))
    }

    @Test func otherKubectlCommandsAreRefused() {
        #expect(throws: KubectlScriptError.self) {
            try KubectlScript.changes(of: "kubectl logs -l istio=ingressgateway", directory: "/", origin: "x")
        }
    }

    @Test func grepOnlyMatchingPrintsEachMatch() throws {
        let grep = try GrepFilter(words: ["grep", "-o", "<title>.*</title>"])
        #expect(
            grep.apply(to: "<html><head><title>Google</title></head>\nno title here\n") == "<title>Google</title>\n"
        )
    }

    @Test func grepReadsBasicRegexGroupsAndLiterals() throws {
        #expect(GrepFilter.fromBasic(#"a\(b\|c\)+"#) == #"a(b|c)\+"#)
        let grep = try GrepFilter(words: ["grep", "x+"])
        #expect(grep.apply(to: "x+y\nxx\n") == "x+y\n")
    }

    @Test func aPostQuantumClientHelloIsSplitIntoRecordsOfTheGivenSize() {
        let spec = ClientHelloSpec(serverName: "echo.example", postQuantum: true, padding: 460, recordSize: 700)
        let message = ClientHelloBuilder.handshakeMessage(spec)
        let records = ClientHelloBuilder.records(spec)
        #expect(message.count > 1800)
        #expect(records.count == message.count + 5 * 3, "three records of at most 700 bytes")
        #expect(Array(records.prefix(5)) == [0x16, 0x03, 0x01, 0x02, 0xBC])
    }

    @Test func prometheusSamplesAreReadWithTheirLabels() {
        let text = """
            # TYPE istio_tcp_connections_opened_total counter
            istio_tcp_connections_opened_total{reporter="source",destination_service="a \\"b\\""} 3
            istio_tcp_sent_bytes_total 12.5
            """
        let samples = PrometheusText.samples(text)
        #expect(samples.count == 2)
        #expect(samples.first?.labels["destination_service"] == #"a "b""#)
        #expect(samples.first?.value == 3)
        #expect(samples.last?.value == 12.5)
    }
}
