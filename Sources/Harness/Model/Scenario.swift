import TestWorld

/// A scenario: a small world (stub DNS, fake upstreams, proxy settings) and the steps run against it.
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    /// The file it was read from, as given.
    public var file: String
    public var world: WorldSpec
    public var steps: [ScenarioStep]
    /// The whole scenario must finish within this; a hang is a failure, not a stuck run.
    public var timeout: Duration
}

/// One step of a scenario, with where it is written.
public struct ScenarioStep: Sendable {
    /// 1-based position in `steps`.
    public var number: Int
    public var line: Int?
    /// A one-line summary for reports (`curl -s --resolve ...`, `expectAccessLog`).
    public var summary: String
    public var action: StepAction
}

/// What a step does.
public enum StepAction: Sendable {
    /// Configuration changes (apply, delete, kubectl lines), in order, with what the applies must do.
    case configure([ConfigChange], ApplyExpectation)
    case curl(CurlStep)
    case connect(ConnectStep)
    case dns(DNSChange)
    case upstream(UpstreamChange)
    case wait(Duration)
    /// A simulated pod becomes ready or not ready (its EndpointSlice follows).
    case pod(PodChange)
    case accessLog(LogExpectation)
    case telemetry(TelemetryExpectation)
    case metric(MetricExpectation)
    case clean(CleanExpectation)
    case routes(RouteTable)
}

// MARK: - Configuration

/// One configuration change, as `kubectl apply` / `kubectl delete` would make it.
public enum ConfigChange: Sendable, Hashable {
    /// YAML texts applied together, as `kubectl apply -f FOLDER` applies its files (one change, one creation
    /// second); `namespace` is kubectl's `-n`.
    case apply([ConfigText], namespace: String? = nil)
    /// One resource by kind and name (a kind FrontProxy reads, or one it only counts: a Secret, a Deployment).
    case delete(kind: String, name: String, namespace: String?)
    /// The resources a YAML text names.
    case deleteDocuments(yaml: String, origin: String, namespace: String? = nil)
    /// `kubectl create secret ...` / `kubectl create configmap ...`: an object of a kind FrontProxy does not
    /// read, remembered so a later `kubectl delete` finds it.
    case createUnread(kind: String, name: String, namespace: String?)
}

/// One YAML text and where it comes from (a file, or the scenario line of an inline document).
public struct ConfigText: Sendable, Hashable {
    public var yaml: String
    /// Names the text in diagnostics.
    public var origin: String

    public init(yaml: String, origin: String) {
        self.yaml = yaml
        self.origin = origin
    }
}

/// What the applies of a configuration step must do (by default: be accepted).
public struct ApplyExpectation: Sendable, Hashable {
    /// True: at least one document must be rejected (and the plan must not change).
    public var rejected = false
    /// Regexes each of which some diagnostic must match.
    public var messages: [String] = []
    /// Whether a delete must find its resource (kubectl's NotFound is a failure by default).
    public var ignoreNotFound = false

    public init() {}
}

// MARK: - Clients

/// A curl command line, optionally piped into `grep`.
public struct CurlStep: Sendable {
    public var commandLine: String
    public var grep: GrepFilter?
    public var expect: ConnectionExpectation
}

/// A raw TCP or TLS client: connect (or reuse a named connection), send, half-close, read, close.
public struct ConnectStep: Sendable {
    /// Keep the connection open under this name for later steps.
    public var keepAs: String?
    /// Continue the connection opened earlier under this name.
    public var use: String?
    /// The gateway server port (as in the Gateway); the harness maps it to the real socket.
    public var port: Int
    public var tls: ClientTLSSpec?
    public var sends: [ByteSource]
    public var halfClose: Bool
    public var read: ReadSpec
    public var close: CloseMode
    public var expect: ConnectionExpectation
}

/// A TLS client handshake done by the harness's OpenSSL client.
public struct ClientTLSSpec: Sendable, Hashable {
    public var serverName: String?
    public var alpn: [String]
    /// Verify the upstream's certificate against the scenario CA (default true).
    public var verify: Bool
}

/// What to wait for after sending.
public enum ReadSpec: Sendable, Hashable {
    /// Do not wait for anything.
    case none
    /// Until the peer closes (or resets).
    case untilClose
    /// Until at least this many bytes arrived, or the peer closed.
    case atLeast(Int)
}

public enum CloseMode: Sendable, Hashable {
    case keepOpen
    case close
    case reset
}

/// Bytes a client sends.
public enum ByteSource: Sendable, Hashable {
    case bytes([UInt8], label: String)
    /// A synthetic ClientHello, built when sent (fresh random per connection).
    case clientHello(ClientHelloSpec)
    /// `count` bytes of a deterministic pattern, generated in chunks (for large transfers).
    case pattern(count: Int)

    var label: String {
        switch self {
        case .bytes(let bytes, let label): "\(label) (\(bytes.count) bytes)"
        case .clientHello(let spec): "ClientHello(sni: \(spec.serverName ?? "none"))"
        case .pattern(let count): "\(count) pattern bytes"
        }
    }
}

// MARK: - World changes

public struct DNSChange: Sendable {
    public var name: String
    /// nil leaves the records as they are.
    public var records: [DNSRecordSpec]?
    /// `.some(nil)` clears a fault.
    public var fault: StubFaultChange
}

public enum StubFaultChange: Sendable, Hashable {
    case unchanged
    case clear
    case set(DNSFaultSpec)
}

public struct PodChange: Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var ready: Bool
}

public struct UpstreamChange: Sendable {
    public var name: String
    /// nil clears the fault.
    public var fault: UpstreamFaultSpec?
}
