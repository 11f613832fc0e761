import FrontProxy
import Testing

@Suite struct TelemetryTests {
    static let seedOpenEvent =
        #"{"level":"info","time":"2019-01-31T13:40:11.309958Z","instance":"tcpaccesslog.logentry.istio-system","connectionDuration":"0s","connectionEvent":"open","connection_security_policy":"unknown","destinationApp":"","destinationIp":"rNkfhA==","destinationName":"unknown","destinationNamespace":"default","destinationOwner":"unknown","destinationPrincipal":"","destinationServiceHost":"","destinationWorkload":"unknown","protocol":"tcp","receivedBytes":225,"reporter":"source","requestedServerName":"www.google.com","sentBytes":0,"sourceApp":"istio-ingressgateway","sourceIp":"Cn/cSw==","sourceName":"istio-ingressgateway-899f57d65-svpnt","sourceNamespace":"istio-system","sourceOwner":"kubernetes://apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway","sourcePrincipal":"","sourceWorkload":"istio-ingressgateway","totalReceivedBytes":225,"totalSentBytes":0}"#

    @Test func openEventReproducesTheSeedTelemetryLineExactly() {
        let entry = TCPAccessLogEntry(
            time: WallClockTime(nanosecondsSinceEpoch: 1_548_942_011_309_958_000),
            event: .open,
            connectionDurationNanoseconds: nil,
            destinationAddress: [172, 217, 31, 132],
            destinationServiceHost: "",
            destinationNamespace: "default",
            sourceAddress: [10, 127, 220, 75],
            requestedServerName: "www.google.com",
            receivedBytes: 225,
            sentBytes: 0,
            totalReceivedBytes: 225,
            totalSentBytes: 0,
            identity: .istioIngressGateway(podName: "istio-ingressgateway-899f57d65-svpnt")
        )
        #expect(entry.render() == Self.seedOpenEvent)
    }

    @Test func deltasCountFromTheLastContinueOnly() {
        var counter = TCPReportCounter()
        #expect(counter.deltas(for: .open, totalReceived: 225, totalSent: 0) == (225, 0))
        #expect(counter.deltas(for: .continue, totalReceived: 500, totalSent: 4000) == (500, 4000))
        #expect(counter.deltas(for: .continue, totalReceived: 600, totalSent: 4100) == (100, 100))
        #expect(counter.deltas(for: .close, totalReceived: 589, totalSent: 17798) == (-11, 13698))
    }

    @Test(arguments: [
        (Int64(0), "0s"), (999, "999ns"), (1_500, "1.5µs"), (523_400_000, "523.4ms"), (1_644_000_000, "1.644s"),
        (62_500_000_000, "1m2.5s"), (3_600_000_000_000, "1h0m0s"), (-2_000_000, "-2ms"),
    ])
    func closeDurationsPrintLikeGo(nanoseconds: Int64, expected: String) {
        let entry = TCPAccessLogEntry(
            time: WallClockTime(nanosecondsSinceEpoch: 0),
            event: .close,
            connectionDurationNanoseconds: nanoseconds,
            destinationAddress: [127, 0, 0, 1],
            destinationServiceHost: "www.google.com",
            destinationNamespace: "default",
            sourceAddress: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            requestedServerName: "www.google.com",
            receivedBytes: 0,
            sentBytes: 0,
            totalReceivedBytes: 0,
            totalSentBytes: 0,
            identity: .istioIngressGateway()
        )
        #expect(entry.render().contains(#""connectionDuration":"\#(expected)","connectionEvent":"close""#))
        #expect(entry.render().contains(#""sourceIp":"AAAAAAAAAAAAAAAAAAAAAQ==""#))
    }

    @Test func prometheusCountersCarryIstiosStandardLabels() {
        let metrics = IstioMetrics(identity: .istioIngressGateway())
        let google = IstioMetrics.Destination(
            serviceHost: "www.google.com",
            serviceNamespace: "default",
            responseFlags: []
        )
        metrics.connectionOpened(google)
        metrics.connectionOpened(google)
        metrics.bytes(received: 589, sent: 17798, google)
        metrics.connectionClosed(google)
        let text = metrics.exposition()
        let labels =
            #"reporter="source",source_workload="istio-ingressgateway",source_workload_namespace="istio-system""#
        #expect(text.contains("# TYPE istio_tcp_connections_opened_total counter"))
        #expect(text.contains("istio_tcp_connections_opened_total{\(labels)"))
        #expect(
            text.contains(
                #"destination_service="www.google.com",destination_service_name="www.google.com",destination_service_namespace="default""#
            )
        )
        #expect(text.contains(#"request_protocol="tcp",connection_security_policy="unknown",response_flags="-"} 2"#))
        #expect(text.contains(#"response_flags="-"} 17798"#))
        #expect(text.contains(#"response_flags="-"} 589"#))
    }
}
