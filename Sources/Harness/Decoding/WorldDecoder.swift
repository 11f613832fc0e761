import FrontProxy
import MeshConfig
import NIOCore
import TestWorld

/// Decodes the `world` block: stub DNS names, fake upstreams, the cluster's pods and proxy settings.
enum WorldDecoder {
    static func decode(_ node: ScenarioNode) throws(ScenarioFileError) -> WorldSpec {
        let fields = try node.mapping(["dns", "upstreams", "pods", "caFile", "proxy"])
        var world = WorldSpec()
        if let dns = fields["dns"] {
            for (name, value) in try dns.pairs() { world.dns.append(try dnsName(name, value)) }
        }
        if let upstreams = fields["upstreams"] {
            for item in try upstreams.list() {
                let upstream = try self.upstream(item)
                if world.upstreams.contains(where: { $0.name == upstream.name }) {
                    throw item.error("upstream name \"\(upstream.name)\" is used twice")
                }
                if let other = world.upstreams.first(where: { $0.address == upstream.address }) {
                    throw item.error("upstream \(other.name) already has the simulated address \(upstream.address)")
                }
                world.upstreams.append(upstream)
            }
        }
        if let pods = fields["pods"] {
            for item in try pods.list() {
                let pod = try self.pod(item, upstreams: world.upstreams)
                if world.pods.contains(where: { $0.name == pod.name && $0.namespace == pod.namespace }) {
                    throw item.error("pod \(pod.namespace)/\(pod.name) is given twice")
                }
                world.pods.append(pod)
            }
        }
        if let caFile = fields["caFile"] {
            world.caFiles = try caFile.stringList()
            for (index, path) in world.caFiles.enumerated()
            where path.isEmpty || path.hasPrefix("/") || path.contains("..") {
                throw (try caFile.list(singleAllowed: true))[index].error(
                    "caFile is a path inside the scenario's working directory (relative, without ..)"
                )
            }
        }
        if let proxy = fields["proxy"] { world.proxy = try self.proxy(proxy) }
        return world
    }

    // MARK: - Pods

    /// `{name, namespace, labels, ip | upstream, ready, ports}`: `upstream: NAME` takes the pod IP from that
    /// upstream's simulated address.
    static func pod(_ node: ScenarioNode, upstreams: [UpstreamSpec]) throws(ScenarioFileError) -> PodSpec {
        let fields = try node.mapping(["name", "namespace", "labels", "ip", "upstream", "ready", "ports"])
        guard (fields["ip"] == nil) != (fields["upstream"] == nil) else {
            throw node.error("a pod needs exactly one of ip (a loopback address) or upstream (a world upstream's name)")
        }
        var ip: String
        if let upstreamNode = fields["upstream"] {
            let name = try upstreamNode.string()
            guard let upstream = upstreams.first(where: { $0.name == name }) else {
                throw upstreamNode.error("no upstream named \"\(name)\" in the world (upstreams come before pods)")
            }
            ip = upstream.address.ip
        } else {
            let ipNode = try fields.required("ip")
            ip = try ipNode.string()
            do { _ = try SimulatedAddress(ip: ip, port: 1) } catch {
                throw ipNode.error("\(error) (simulated addresses must be loopback: 127.0.0.0/8 or ::1)")
            }
        }
        var labels: [String: String] = [:]
        if let labelNode = fields["labels"] {
            for (key, value) in try labelNode.pairs() { labels[key] = try value.string() }
        }
        var ports: [String: Int] = [:]
        if let portNode = fields["ports"] {
            for (name, value) in try portNode.pairs() { ports[name] = try value.int(in: 1...65535) }
        }
        let name = try fields.required("name").string()
        let namespace = try fields["namespace"]?.string() ?? ResourceMetadata.defaultNamespace
        for (label, text) in [("name", name), ("namespace", namespace)] where !PodSpec.isDNSLabel(text) {
            throw node.error("pod \(label) \"\(text)\" is not a lower-case DNS label")
        }
        return PodSpec(
            name: name,
            namespace: namespace,
            labels: labels,
            ip: ip,
            ready: try fields["ready"]?.bool() ?? true,
            ports: ports,
            line: node.line
        )
    }

    // MARK: - DNS

    /// `name: [127.0.10.1]`, or `name: {records: [...], ttl: 5, fault: servfail}`.
    static func dnsName(_ name: String, _ node: ScenarioNode) throws(ScenarioFileError) -> DNSNameSpec {
        if node.isSequence || node.isScalar {
            return DNSNameSpec(name: name, records: try records(node, ttl: 30), fault: nil)
        }
        let fields = try node.mapping(["records", "ttl", "fault"])
        let ttl = try fields["ttl"]?.int(in: 0...Int(Int32.max)) ?? 30
        return DNSNameSpec(
            name: name,
            records: try fields["records"].map { node throws(ScenarioFileError) in try records(node, ttl: ttl) } ?? [],
            fault: try fields["fault"].map(dnsFault)
        )
    }

    static func records(_ node: ScenarioNode, ttl: Int) throws(ScenarioFileError) -> [DNSRecordSpec] {
        var records: [DNSRecordSpec] = []
        for item in try node.list(singleAllowed: true) {
            var address: String
            var recordTTL = ttl
            var isCNAME = false
            if item.isScalar {
                address = try item.string()
            } else {
                let fields = try item.mapping(["address", "cname", "ttl"])
                recordTTL = try fields["ttl"]?.int(in: 0...Int(Int32.max)) ?? ttl
                if let cname = fields["cname"] {
                    address = try cname.string()
                    isCNAME = true
                } else {
                    address = try fields.required("address").string()
                }
            }
            do {
                let record: StubDNSRecord
                if isCNAME {
                    record = try .cname(address, ttl: UInt32(recordTTL))
                } else if address.contains(":") {
                    record = try .aaaa(address, ttl: UInt32(recordTTL))
                } else {
                    record = try .a(address, ttl: UInt32(recordTTL))
                }
                records.append(DNSRecordSpec(record: record))
            } catch {
                throw item.error("\(address): \(error) (simulated addresses must be loopback: 127.0.0.0/8 or ::1)")
            }
        }
        return records
    }

    /// `nxdomain`, `servfail`, `noAnswer`, `drop`, `truncate`, or `{delay: 200ms}`.
    static func dnsFault(_ node: ScenarioNode) throws(ScenarioFileError) -> DNSFaultSpec {
        if node.isMapping {
            let fields = try node.mapping(["delay"])
            let delay = try fields.required("delay").duration()
            return DNSFaultSpec(fault: .delay(milliseconds: Int(delay.nanoseconds / 1_000_000)))
        }
        switch try node.string().lowercased() {
        case "nxdomain", "nameerror": return DNSFaultSpec(fault: .nameError)
        case "servfail", "serverfailure": return DNSFaultSpec(fault: .serverFailure)
        case "noanswer", "nodata": return DNSFaultSpec(fault: .noAnswer)
        case "drop", "timeout": return DNSFaultSpec(fault: .drop)
        case "truncate", "truncateudp": return DNSFaultSpec(fault: .truncateUDP)
        default:
            throw node.error("unknown DNS fault (known: nxdomain, servfail, noAnswer, drop, truncate, {delay: 200ms})")
        }
    }

    // MARK: - Upstreams

    static func upstream(_ node: ScenarioNode) throws(ScenarioFileError) -> UpstreamSpec {
        let fields = try node.mapping(["name", "address", "tls", "http", "echo", "sink", "alpn", "fault"])
        let name = try fields.required("name").string()
        let addressNode = try fields.required("address")
        let address: SimulatedAddress
        do { address = try SimulatedAddress(parsing: try addressNode.string()) } catch let error as AddressError {
            throw addressNode.error(error.description)
        } catch {
            throw addressNode.error("\(error)")
        }
        let behaviors = ["http", "echo", "sink"].filter { fields[$0] != nil }
        guard behaviors.count == 1 else {
            throw node.error("give exactly one behaviour: http, echo or sink (found \(behaviors.count))")
        }
        var behavior = UpstreamBehavior.sink
        if let http = fields["http"] {
            behavior = .http(try responder(http))
        } else if let echo = fields["echo"] {
            guard try echo.bool() else { throw echo.error("echo: false is no behaviour; use sink") }
            behavior = .echo
        } else if let sink = fields["sink"] {
            guard try sink.bool() else { throw sink.error("sink: false is no behaviour; use echo") }
        }
        return UpstreamSpec(
            name: name,
            address: address,
            tls: try fields["tls"].map(tls),
            behavior: behavior,
            alpn: try fields["alpn"]?.stringList() ?? ["http/1.1"],
            fault: try fields["fault"].map(upstreamFault),
            line: node.line
        )
    }

    static func tls(_ node: ScenarioNode) throws(ScenarioFileError) -> UpstreamTLSSpec {
        let fields = try node.mapping(["serverNames", "key", "expired"])
        let names = try fields.required("serverNames").stringList()
        guard !names.isEmpty else { throw node.error("serverNames needs at least one name") }
        var algorithm = PrivateKey.Algorithm.ecdsaP256
        if let key = fields["key"] {
            guard let parsed = PrivateKey.Algorithm(rawValue: try key.string()) else {
                throw key.error("unknown key algorithm (known: ecdsa, rsa)")
            }
            algorithm = parsed
        }
        let expired = try fields["expired"]?.bool() ?? false
        return UpstreamTLSSpec(serverNames: names, algorithm: algorithm, validity: expired ? .expired : .standard)
    }

    static func responder(_ node: ScenarioNode) throws(ScenarioFileError) -> HTTPResponder {
        let fields = try node.mapping(["status", "reason", "headers", "body", "echo", "httpbin", "paths"])
        var headerFields: [HTTPHeaderFields.Field] = []
        if let headerNode = fields["headers"] {
            for (name, value) in try headerNode.pairs() {
                headerFields.append(HTTPHeaderFields.Field(name: name, value: try value.string()))
            }
        }
        return HTTPResponder(
            status: try fields["status"]?.int(in: 100...999) ?? 200,
            reason: try fields["reason"]?.string(),
            headers: HTTPHeaderFields(headerFields),
            body: try fields["body"]?.string() ?? "",
            echoesRequest: try fields["echo"]?.bool() ?? false,
            httpbin: try fields["httpbin"]?.bool() ?? false,
            paths: try paths(fields["paths"])
        )
    }

    /// `paths: {/a: {status: 201, body: x}, ...}`: a responder per exact path.
    private static func paths(_ node: ScenarioNode?) throws(ScenarioFileError) -> [String: HTTPResponder] {
        guard let node else { return [:] }
        var paths: [String: HTTPResponder] = [:]
        for (path, value) in try node.pairs() {
            guard path.hasPrefix("/") else { throw value.error("a path starts with /") }
            paths[path] = try responder(value)
        }
        return paths
    }

    /// `refuse`, `stall`, `closeAfterHandshake`, `{resetAfterReading: N}`, `{closeAfterReading: N}`,
    /// `{delayResponse: 100ms}`.
    static func upstreamFault(_ node: ScenarioNode) throws(ScenarioFileError) -> UpstreamFaultSpec {
        if node.isMapping {
            let fields = try node.mapping(["resetAfterReading", "closeAfterReading", "delayResponse"])
            if let bytes = fields["resetAfterReading"] {
                return UpstreamFaultSpec(fault: .resetAfterReading(bytes: try bytes.int(in: 0...Int(Int32.max))))
            }
            if let bytes = fields["closeAfterReading"] {
                return UpstreamFaultSpec(fault: .closeAfterReading(bytes: try bytes.int(in: 0...Int(Int32.max))))
            }
            if let delay = fields["delayResponse"] {
                let duration = try delay.duration()
                return UpstreamFaultSpec(fault: .delayResponse(.nanoseconds(duration.nanoseconds)))
            }
            throw node.error("an upstream fault mapping needs resetAfterReading, closeAfterReading or delayResponse")
        }
        switch try node.string() {
        case "refuse": return UpstreamFaultSpec(fault: .refuse)
        case "stall": return UpstreamFaultSpec(fault: .stall)
        case "closeAfterHandshake": return UpstreamFaultSpec(fault: .closeAfterHandshake)
        default:
            throw node.error(
                "unknown upstream fault (known: refuse, stall, closeAfterHandshake, {resetAfterReading: N}, "
                    + "{closeAfterReading: N}, {delayResponse: 100ms})"
            )
        }
    }

    // MARK: - Proxy

    static func proxy(_ node: ScenarioNode) throws(ScenarioFileError) -> ProxySpec {
        let fields = try node.mapping([
            "accessLogFormat", "ports", "connectTimeout", "idleTimeout", "clientHelloTimeout", "drainTime",
            "maxConnectionsPerCluster", "maxClientHelloBytes", "gatewayNamespace", "clusterDomain",
        ])
        var proxy = ProxySpec()
        if let format = fields["accessLogFormat"] {
            do { proxy.accessLogFormat = try AccessLogFormat(presetOrFormatString: try format.string()) } catch {
                throw format.error("\(error)")
            }
        }
        if let ports = fields["ports"] {
            var numbers: [Int] = []
            for port in try ports.list(singleAllowed: true) { numbers.append(try port.int(in: 1...65535)) }
            proxy.ports = numbers
        }
        if let value = fields["connectTimeout"] { proxy.connectTimeout = try value.duration() }
        if let value = fields["idleTimeout"] { proxy.idleTimeout = try value.duration() }
        if let value = fields["clientHelloTimeout"] { proxy.clientHelloTimeout = try value.duration() }
        if let value = fields["drainTime"] { proxy.drainTime = try value.duration() }
        if let value = fields["maxConnectionsPerCluster"] {
            proxy.maximumConnectionsPerCluster = try value.int(in: 1...1_000_000)
        }
        if let value = fields["maxClientHelloBytes"] {
            proxy.maximumClientHelloLength = try value.int(in: 64...1 << 20)
        }
        if let value = fields["gatewayNamespace"] { proxy.compile.gatewayNamespace = try value.string() }
        if let value = fields["clusterDomain"] { proxy.compile.clusterDomain = try value.string() }
        if let problem = proxy.compile.problem { throw node.error(problem) }
        return proxy
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
