/// What FrontProxy itself cannot serve, checked apart from Istio's validation so Istio's messages stay exact.
public enum FrontProxySupport {
    /// Errors for valid Istio configuration that FrontProxy refuses rather than serve wrongly.
    public static func check(_ resource: Resource) -> [Diagnostic] {
        var findings = Findings()
        switch resource {
        case .gateway(let gateway):
            for (index, server) in gateway.servers.enumerated() {
                let path = "spec.servers[\(index)]"
                if let tls = server.tls, tls.mode.terminatesTLS {
                    findings.error(
                        "tls mode \(tls.mode.rawValue) not supported: FrontProxy never terminates TLS "
                            + "(use PASSTHROUGH or AUTO_PASSTHROUGH)",
                        at: path + ".tls.mode"
                    )
                }
                if server.bind.hasPrefix("unix://") {
                    findings.error(
                        "unix domain socket bind not supported: FrontProxy listens on TCP only",
                        at: path + ".bind"
                    )
                }
                if let port = server.port, IstioProtocol(port.protocol) == .udp {
                    findings.error(
                        "protocol UDP not supported: FrontProxy proxies TCP only",
                        at: path + ".port.protocol"
                    )
                }
            }
        case .serviceEntry(let serviceEntry):
            if serviceEntry.resolution == .dynamicDNS {
                findings.error("resolution DYNAMIC_DNS not supported yet by FrontProxy", at: "spec.resolution")
            }
        case .virtualService, .service, .endpointSlice:
            break
        }
        return findings.diagnostics
    }
}
