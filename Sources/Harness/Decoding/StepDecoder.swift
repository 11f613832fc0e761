import Foundation
import TestWorld
import Yams

/// Decodes one step: exactly one action key, plus `expect` where the action takes one.
struct StepDecoder {
    let directory: String
    let upstreamNames: Set<String>
    /// The world's pods, as `namespace/name`.
    let pods: Set<String>
    /// Connections kept open by earlier steps (`as:`), which later steps may `use:`.
    private var sessions: Set<String> = []

    init(directory: String, upstreamNames: Set<String>, pods: Set<String> = []) {
        self.directory = directory
        self.upstreamNames = upstreamNames
        self.pods = pods
    }

    static let actions = [
        "apply", "delete", "kubectl", "curl", "connect", "dns", "upstream", "pod", "wait", "expectAccessLog",
        "expectTelemetry", "expectMetric", "expectClean", "routes",
    ]

    mutating func decode(_ node: ScenarioNode, number: Int) throws(ScenarioFileError) -> ScenarioStep {
        let fields = try node.mapping(Self.actions + ["expect"])
        let present = fields.keys.filter { $0 != "expect" }
        guard present.count == 1, let key = present.first, let value = fields[key] else {
            throw node.error("a step needs exactly one of: \(Self.actions.joined(separator: ", "))")
        }
        let expect = fields["expect"]
        if expect != nil, !["apply", "delete", "kubectl", "curl", "connect"].contains(key) {
            throw expect!.error("\(key) takes no expect block; its conditions are its own fields")
        }
        let action: StepAction
        var summary = key
        switch key {
        case "apply", "delete", "kubectl":
            let changes = try configChanges(value, verb: key)
            action = .configure(changes, try applyExpectation(expect))
            summary = (try? value.string()).map { "\(key): \(firstLine($0))" } ?? key
        case "curl":
            let (step, text) = try curl(value, expect: expect)
            action = .curl(step)
            summary = text
        case "connect":
            action = .connect(try connect(value, expect: expect))
            summary = "connect"
        case "dns": action = .dns(try dnsChange(value))
        case "upstream": action = .upstream(try upstreamChange(value))
        case "pod":
            let change = try podChange(value)
            action = .pod(change)
            summary = "pod \(change.namespace)/\(change.name) \(change.ready ? "ready" : "not ready")"
        case "wait":
            action = .wait(try value.duration())
            summary = "wait \(try value.string())"
        case "expectAccessLog": action = .accessLog(try logExpectation(value))
        case "expectTelemetry": action = .telemetry(try telemetryExpectation(value))
        case "expectMetric": action = .metric(try metricExpectation(value))
        case "expectClean": action = .clean(try cleanExpectation(value))
        default: action = .routes(try routes(value))
        }
        return ScenarioStep(number: number, line: node.line, summary: summary, action: action)
    }

    private func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 100 ? String(line.prefix(97)) + "..." : line
    }

    // MARK: - Configuration

    /// A string (kubectl lines, `KIND/NAME`, a path, or inline YAML), a YAML mapping, or a list of these.
    private func configChanges(_ node: ScenarioNode, verb: String) throws(ScenarioFileError) -> [ConfigChange] {
        if node.isSequence {
            var changes: [ConfigChange] = []
            for item in try node.list() { changes += try configChanges(item, verb: verb) }
            return changes
        }
        let origin = "\(node.file):\(node.line.map(String.init) ?? "?") (\(node.path))"
        if node.isMapping {
            guard verb != "kubectl" else { throw node.error("kubectl takes command lines as text") }
            let yaml: String
            do { yaml = try Yams.serialize(node: node.node) } catch {
                throw node.error("cannot re-emit the YAML: \(error)")
            }
            return [
                verb == "apply"
                    ? .apply([ConfigText(yaml: yaml, origin: origin)]) : .deleteDocuments(yaml: yaml, origin: origin)
            ]
        }
        let text = try node.string()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if verb == "kubectl" || trimmed.hasPrefix("kubectl ") || trimmed.hasPrefix("$ kubectl ") {
            let changes: [ConfigChange]
            do { changes = try KubectlScript.changes(of: text, directory: directory, origin: origin) } catch {
                throw node.error(error.description)
            }
            guard !changes.isEmpty else { throw node.error("no kubectl command in it") }
            return changes
        }
        if trimmed.contains("\n") || trimmed.hasPrefix("apiVersion:") || trimmed.hasPrefix("kind:") {
            return [
                verb == "apply"
                    ? .apply([ConfigText(yaml: text, origin: origin)]) : .deleteDocuments(yaml: text, origin: origin)
            ]
        }
        if verb == "delete", !trimmed.hasSuffix(".yaml"), !trimmed.hasSuffix(".yml") {
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "/" }).map(String.init)
            if words.count == 2,
                !FileManager.default.fileExists(atPath: ConfigSourceFiles.resolve(trimmed, relativeTo: directory))
            {
                do {
                    return try KubectlScript.deletions(words, namespace: nil, text: trimmed, line: 1)
                } catch {
                    throw node.error(error.description)
                }
            }
        }
        let documents: [(yaml: String, origin: String)]
        do { documents = try ConfigSourceFiles.read(trimmed, relativeTo: directory) } catch {
            throw node.error(error.description)
        }
        guard verb == "apply" else { return documents.map { .deleteDocuments(yaml: $0.yaml, origin: $0.origin) } }
        return [.apply(documents.map { ConfigText(yaml: $0.yaml, origin: $0.origin) })]
    }

    private func applyExpectation(_ node: ScenarioNode?) throws(ScenarioFileError) -> ApplyExpectation {
        var expectation = ApplyExpectation()
        guard let node else { return expectation }
        let fields = try node.mapping(["rejected", "messages", "ignoreNotFound"])
        expectation.rejected = try fields["rejected"]?.bool() ?? false
        expectation.messages = try fields["messages"]?.stringList() ?? []
        for (index, pattern) in expectation.messages.enumerated() {
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw (try fields.required("messages").list(singleAllowed: true))[index].error("not a valid regex")
            }
        }
        expectation.ignoreNotFound = try fields["ignoreNotFound"]?.bool() ?? false
        return expectation
    }

    // MARK: - Clients

    private func curl(_ node: ScenarioNode, expect: ScenarioNode?) throws(ScenarioFileError) -> (CurlStep, String) {
        var text = try node.string().trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("$ ") { text.removeFirst(2) }
        text = text.replacingOccurrences(of: "\\\n", with: " ")
        let commands = ShellPipeline.commands(text)
        guard commands.count <= 2 else { throw node.error("only `curl ... | grep ...` pipelines are supported") }
        var grep: GrepFilter?
        if commands.count == 2 {
            do { grep = try GrepFilter(words: try ShellWords.split(commands[1], environment: [:])) } catch {
                throw node.error("\(error)")
            }
        }
        let probe = [
            "INGRESS_HOST": "127.0.0.1", "INGRESS_PORT": "80", "SECURE_INGRESS_PORT": "443",
            "TCP_INGRESS_PORT": "31400",
        ]
        do { _ = try CurlCommand(parsing: commands[0], environment: probe) } catch { throw node.error("\(error)") }
        let step = CurlStep(commandLine: commands[0], grep: grep, expect: try connectionExpectation(expect))
        return (step, text)
    }

    private mutating func connect(_ node: ScenarioNode, expect: ScenarioNode?) throws(ScenarioFileError) -> ConnectStep
    {
        let fields = try node.mapping(["as", "use", "port", "tls", "send", "halfClose", "read", "close"])
        let keepAs = try fields["as"]?.string()
        let use = try fields["use"]?.string()
        if let use, !sessions.contains(use) {
            throw fields["use"]!.error("no earlier connect step kept a connection as \"\(use)\"")
        }
        if use != nil, fields["port"] != nil || fields["tls"] != nil {
            throw node.error("a step that uses an open connection takes no port or tls")
        }
        var tls: ClientTLSSpec?
        if let tlsNode = fields["tls"] {
            let tlsFields = try tlsNode.mapping(["sni", "alpn", "verify"])
            tls = ClientTLSSpec(
                serverName: try tlsFields["sni"]?.string(),
                alpn: try tlsFields["alpn"]?.stringList() ?? [],
                verify: try tlsFields["verify"]?.bool() ?? true
            )
        }
        var sends: [ByteSource] = []
        if let send = fields["send"] {
            for item in try send.list(singleAllowed: true) { sends.append(try byteSource(item)) }
        }
        let halfClose = try fields["halfClose"]?.bool() ?? false
        var read = halfClose ? ReadSpec.untilClose : .none
        if let readNode = fields["read"] {
            switch try readNode.string() {
            case "close": read = .untilClose
            case "none": read = .none
            default: read = .atLeast(try readNode.byteCount(maximum: 1 << 30))
            }
        }
        var close = CloseMode.close
        if let closeNode = fields["close"] {
            close = try closeNode.string() == "reset" ? .reset : (try closeNode.bool() ? .close : .keepOpen)
        } else if keepAs != nil || use != nil {
            close = .keepOpen
        }
        if let keepAs {
            if close != .keepOpen { sessions.remove(keepAs) } else { sessions.insert(keepAs) }
        }
        if let use, close != .keepOpen { sessions.remove(use) }
        return ConnectStep(
            keepAs: keepAs,
            use: use,
            port: try fields["port"]?.int(in: 1...65535) ?? 443,
            tls: tls,
            sends: sends,
            halfClose: halfClose,
            read: read,
            close: close,
            expect: try connectionExpectation(expect)
        )
    }

    /// Text, or `{text}`, `{hex}`, `{file}`, `{clientHello: {...}}`, `{pattern: 100MB}`.
    private func byteSource(_ node: ScenarioNode) throws(ScenarioFileError) -> ByteSource {
        if node.isScalar {
            let text = try node.string()
            return .bytes(Array(text.utf8), label: "text")
        }
        let fields = try node.mapping(["text", "hex", "file", "clientHello", "pattern"])
        guard fields.keys.count == 1, let key = fields.keys.first, let value = fields[key] else {
            throw node.error("give one of text, hex, file, clientHello, pattern")
        }
        switch key {
        case "text": return .bytes(Array(try value.string().utf8), label: "text")
        case "hex":
            let digits = try value.string().filter { !$0.isWhitespace && $0 != ":" }
            guard digits.count % 2 == 0 else { throw value.error("an odd number of hex digits") }
            var bytes: [UInt8] = []
            var index = digits.startIndex
            while index < digits.endIndex {
                let next = digits.index(index, offsetBy: 2)
                guard let byte = UInt8(digits[index..<next], radix: 16) else {
                    throw value.error("\(digits[index..<next]) is not a hex byte")
                }
                bytes.append(byte)
                index = next
            }
            return .bytes(bytes, label: "hex")
        case "file":
            let path = ConfigSourceFiles.resolve(try value.string(), relativeTo: directory)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw value.error("cannot read \(path)")
            }
            guard data.count <= 16 << 20 else { throw value.error("\(path) is larger than 16 MiB") }
            return .bytes(Array(data), label: URL(fileURLWithPath: path).lastPathComponent)
        case "clientHello":
            let hello = try value.mapping(["sni", "alpn", "postQuantum", "padding", "recordSize"])
            return .clientHello(
                ClientHelloSpec(
                    serverName: try hello["sni"]?.string(),
                    alpn: try hello["alpn"]?.stringList() ?? [],
                    postQuantum: try hello["postQuantum"]?.bool() ?? false,
                    padding: try hello["padding"]?.int(in: 0...16_000) ?? 0,
                    recordSize: try hello["recordSize"]?.int(in: 1...16_384)
                )
            )
        default:
            return .pattern(count: try value.byteCount(maximum: 1 << 34))
        }
    }

    /// `3` or `1..29`.
    private static func countRange(_ node: ScenarioNode) throws(ScenarioFileError) -> ClosedRange<Int> {
        if let count = try? node.int(in: 0...100_000) { return count...count }
        let text = try node.string()
        let bounds = text.split(separator: "..", omittingEmptySubsequences: false)
        guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), 0 <= low, low <= high else {
            throw node.error("expected a count or a range LOW..HIGH, found \"\(text)\"")
        }
        return low...high
    }

    private func connectionExpectation(_ node: ScenarioNode?) throws(ScenarioFileError) -> ConnectionExpectation {
        var expectation = ConnectionExpectation()
        guard let node else { return expectation }
        let fields = try node.mapping([
            "exitCode", "status", "bodyMatches", "output", "stderrMatches", "certificateSubject", "alpn",
            "reachedUpstream", "untouched",
            "connectionRefused", "closedWithoutBytes", "reset", "handshakeFailed", "received", "receivedBytes",
            "upstreamServerName", "upstreamALPN", "upstreamRequest", "headers", "upstreamRequests",
        ])
        expectation.exitCode = try fields["exitCode"]?.int(in: 0...255)
        expectation.status = try fields["status"]?.int(in: 100...999)
        if let regex = fields["bodyMatches"] {
            expectation.bodyMatches = try regex.string()
            guard (try? NSRegularExpression(pattern: expectation.bodyMatches ?? "")) != nil else {
                throw regex.error("not a valid regex")
            }
        }
        expectation.output = try fields["output"]?.string()
        if let regex = fields["stderrMatches"] {
            expectation.stderrMatches = try regex.string()
            guard (try? NSRegularExpression(pattern: expectation.stderrMatches ?? "")) != nil else {
                throw regex.error("not a valid regex")
            }
        }
        expectation.certificateSubject = try fields["certificateSubject"]?.string()
        expectation.alpn = try fields["alpn"]?.string()
        if let upstream = fields["reachedUpstream"] {
            let name = try upstream.string()
            guard name == "none" || upstreamNames.contains(name) else {
                throw upstream.error("no upstream named \"\(name)\" in the world (or use none)")
            }
            expectation.reachedUpstream = name
        }
        expectation.untouched = try fields["untouched"]?.bool()
        expectation.connectionRefused = try fields["connectionRefused"]?.bool()
        expectation.closedWithoutBytes = try fields["closedWithoutBytes"]?.bool()
        expectation.reset = try fields["reset"]?.bool()
        expectation.handshakeFailed = try fields["handshakeFailed"]?.bool()
        expectation.received = try fields["received"]?.string()
        expectation.receivedBytes = try fields["receivedBytes"]?.byteCount(maximum: 1 << 40)
        expectation.upstreamServerName = try fields["upstreamServerName"]?.string()
        expectation.upstreamALPN = try fields["upstreamALPN"]?.string()
        if let request = fields["upstreamRequest"] {
            let requestFields = try request.mapping(["method", "path", "authority", "headers"])
            var upstreamRequest = UpstreamRequestExpectation()
            upstreamRequest.method = try requestFields["method"]?.string()
            upstreamRequest.path = try requestFields["path"]?.string()
            upstreamRequest.authority = try requestFields["authority"]?.string()
            upstreamRequest.headers = try requestFields["headers"]?.stringDictionary() ?? [:]
            expectation.upstreamRequest = upstreamRequest
        }
        expectation.responseHeaders = try fields["headers"]?.stringDictionary() ?? [:]
        if let counts = fields["upstreamRequests"] {
            for (name, value) in try counts.pairs() {
                guard upstreamNames.contains(name) else {
                    throw value.error("no upstream named \"\(name)\" in the world")
                }
                expectation.upstreamRequestCounts[name] = try Self.countRange(value)
            }
        }
        if expectation.untouched == true || expectation.upstreamServerName != nil || expectation.upstreamALPN != nil
            || expectation.upstreamRequest != nil,
            expectation.reachedUpstream == nil || expectation.reachedUpstream == "none"
        {
            throw node.error(
                "untouched, upstreamServerName, upstreamALPN and upstreamRequest need reachedUpstream: NAME"
            )
        }
        return expectation
    }

    // MARK: - World changes

    /// `{name: my-nginx-0, namespace: default, ready: false}`.
    private func podChange(_ node: ScenarioNode) throws(ScenarioFileError) -> PodChange {
        let fields = try node.mapping(["name", "namespace", "ready"])
        let change = PodChange(
            name: try fields.required("name").string(),
            namespace: try fields["namespace"]?.string() ?? "default",
            ready: try fields.required("ready").bool()
        )
        guard pods.contains("\(change.namespace)/\(change.name)") else {
            throw node.error("no pod \(change.namespace)/\(change.name) in the world")
        }
        return change
    }

    private func dnsChange(_ node: ScenarioNode) throws(ScenarioFileError) -> DNSChange {
        let fields = try node.mapping(["name", "records", "ttl", "fault"])
        let ttl = try fields["ttl"]?.int(in: 0...Int(Int32.max)) ?? 30
        var fault = StubFaultChange.unchanged
        if let faultNode = fields["fault"] {
            if faultNode.isScalar, try faultNode.string() == "none" {
                fault = .clear
            } else {
                fault = .set(try WorldDecoder.dnsFault(faultNode))
            }
        }
        let records = try fields["records"].map { node throws(ScenarioFileError) in
            try WorldDecoder.records(node, ttl: ttl)
        }
        guard records != nil || fields["fault"] != nil else { throw node.error("give records, fault, or both") }
        return DNSChange(name: try fields.required("name").string(), records: records, fault: fault)
    }

    private func upstreamChange(_ node: ScenarioNode) throws(ScenarioFileError) -> UpstreamChange {
        let fields = try node.mapping(["name", "fault"])
        let nameNode = try fields.required("name")
        let name = try nameNode.string()
        guard upstreamNames.contains(name) else { throw nameNode.error("no upstream named \"\(name)\" in the world") }
        let faultNode = try fields.required("fault")
        var fault: UpstreamFaultSpec?
        let clears = faultNode.isScalar ? try faultNode.string() == "none" : false
        if !clears { fault = try WorldDecoder.upstreamFault(faultNode) }
        return UpstreamChange(name: name, fault: fault)
    }

    // MARK: - Observations

    private func logExpectation(_ node: ScenarioNode) throws(ScenarioFileError) -> LogExpectation {
        var expectation = LogExpectation()
        if node.isScalar {
            expectation.matches = try node.string()
        } else {
            let fields = try node.mapping(["matches", "fields", "fieldsMatch", "count", "absent"])
            expectation.matches = try fields["matches"]?.string()
            expectation.fields = try fields["fields"]?.stringDictionary() ?? [:]
            expectation.fieldsMatch = try fields["fieldsMatch"]?.stringDictionary() ?? [:]
            expectation.count = try fields["count"]?.int(in: 0...1_000_000)
            expectation.absent = try fields["absent"]?.bool() ?? false
            for (key, pattern) in expectation.fieldsMatch where (try? NSRegularExpression(pattern: pattern)) == nil {
                throw (try fields.required("fieldsMatch")).error("\(key): not a valid regex")
            }
        }
        if let matches = expectation.matches, (try? NSRegularExpression(pattern: matches)) == nil {
            throw node.error("matches: not a valid regex")
        }
        return expectation
    }

    private func telemetryExpectation(_ node: ScenarioNode) throws(ScenarioFileError) -> TelemetryExpectation {
        var fields: [String: String] = [:]
        var count: Int?
        var absent = false
        for (key, value) in try node.pairs() {
            switch key {
            case "count": count = try value.int(in: 0...1_000_000)
            case "absent": absent = try value.bool()
            default: fields[key] = try value.string()
            }
        }
        return TelemetryExpectation(fields: fields, count: count, absent: absent)
    }

    private func metricExpectation(_ node: ScenarioNode) throws(ScenarioFileError) -> MetricExpectation {
        let fields = try node.mapping(["name", "labels", "value", "atLeast"])
        let expectation = MetricExpectation(
            name: try fields.required("name").string(),
            labels: try fields["labels"]?.stringDictionary() ?? [:],
            value: try fields["value"]?.double(),
            atLeast: try fields["atLeast"]?.double()
        )
        guard expectation.value != nil || expectation.atLeast != nil else { throw node.error("give value or atLeast") }
        return expectation
    }

    private func cleanExpectation(_ node: ScenarioNode) throws(ScenarioFileError) -> CleanExpectation {
        var expectation = CleanExpectation()
        if node.isScalar {
            guard try node.bool() else { throw node.error("expectClean: false checks nothing; leave the step out") }
            return expectation
        }
        let fields = try node.mapping(["listeners"])
        expectation.noListeners = !(try fields["listeners"]?.bool() ?? false)
        return expectation
    }

    private func routes(_ node: ScenarioNode) throws(ScenarioFileError) -> RouteTable {
        var casesNode = node
        var failUnder: Double?
        if node.isMapping {
            let fields = try node.mapping(["cases", "failUnder"])
            casesNode = try fields.required("cases")
            failUnder = try fields["failUnder"]?.double()
        }
        var cases: [RouteCase] = []
        var httpCases: [HTTPRouteCase] = []
        for item in try casesNode.list() {
            if item.isMapping, try item.mapping(Self.httpCaseFields)["host"] != nil {
                httpCases.append(try httpRouteCase(item))
                continue
            }
            let fields = try item.mapping(["port", "sni", "tls", "expect"])
            let expectNode = try fields.required("expect")
            let text = try expectNode.string()
            let outcome: RouteOutcome
            if text == "refused" {
                outcome = .refused
            } else if upstreamNames.contains(text) {
                outcome = .upstream(text)
            } else if text.split(separator: ",").allSatisfy({ $0.count == 2 || $0.count == 3 }),
                text == text.uppercased()
            {
                outcome = .flags(text)
            } else {
                throw expectNode.error("expected an upstream name, refused, or response flags such as NR, NC, UH")
            }
            cases.append(
                RouteCase(
                    port: try fields["port"]?.int(in: 1...65535) ?? 443,
                    serverName: try fields["sni"]?.string(),
                    tls: try fields["tls"]?.bool() ?? true,
                    expect: outcome,
                    line: item.line,
                    path: item.path
                )
            )
        }
        guard !cases.isEmpty || !httpCases.isEmpty else { throw casesNode.error("routes needs at least one case") }
        return RouteTable(cases: cases, httpCases: httpCases, failUnder: failUnder)
    }

    private static let httpCaseFields = ["port", "host", "path", "method", "headers", "expect", "sni", "tls"]

    /// `{host: h, path: /p?q, method: GET, headers: {name: value}, port: 80, expect: {...}}`.
    private func httpRouteCase(_ item: ScenarioNode) throws(ScenarioFileError) -> HTTPRouteCase {
        let fields = try item.mapping(["port", "host", "path", "method", "headers", "expect"])
        let path = try fields["path"]?.string() ?? "/"
        guard path.hasPrefix("/") else { throw item.error("path must start with /") }
        let expectNode = try fields.required("expect")
        var expectation = HTTPRouteExpectation()
        if expectNode.isScalar {
            let text = try expectNode.string()
            if let status = Int(text) {
                expectation.status = status
            } else if text == text.uppercased(), text.split(separator: ",").allSatisfy({ $0.count == 2 }) {
                expectation.flags = text
            } else if upstreamNames.contains(text) {
                throw expectNode.error(
                    "HTTP cases are evaluated against the plan, not sent: expect cluster, status, redirect or route"
                )
            } else {
                expectation.cluster = text
            }
        } else {
            let expected = try expectNode.mapping([
                "cluster", "status", "redirect", "route", "flags", "upstreamPath", "upstreamAuthority",
            ])
            expectation.cluster = try expected["cluster"]?.string()
            expectation.status = try expected["status"]?.int(in: 100...999)
            expectation.redirect = try expected["redirect"]?.string()
            expectation.route = try expected["route"]?.string()
            expectation.flags = try expected["flags"]?.string()
            expectation.upstreamPath = try expected["upstreamPath"]?.string()
            expectation.upstreamAuthority = try expected["upstreamAuthority"]?.string()
            guard expectation != HTTPRouteExpectation() else { throw expectNode.error("expect checks nothing") }
        }
        let headers = try fields["headers"]?.stringDictionary() ?? [:]
        return HTTPRouteCase(
            port: try fields["port"]?.int(in: 1...65535) ?? 80,
            host: try fields.required("host").string(),
            path: path,
            method: try fields["method"]?.string() ?? "GET",
            headers: headers.sorted { $0.key < $1.key }.map {
                HTTPRouteCase.HeaderField(name: $0.key, value: $0.value)
            },
            expect: expectation,
            line: item.line
        )
    }
}
