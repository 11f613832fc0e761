import Foundation
import MeshConfig

/// One Mixer-style `tcpaccesslog` event (Istio 1.0/1.1 `stdio` output), with the field set of the seed
/// page's line: an `open` after the first downstream bytes, a `continue` every report interval, a `close`.
public struct TCPAccessLogEntry: Sendable, Hashable {
    public enum ConnectionEvent: String, Sendable, Hashable {
        case open
        case `continue`
        case close
    }

    public var time: WallClockTime
    public var event: ConnectionEvent
    /// Set on `close` only; `open` and `continue` print Mixer's template default `0s`.
    public var connectionDurationNanoseconds: Int64?
    /// The upstream endpoint's address if one was chosen, else the listener's local address.
    public var destinationAddress: [UInt8]
    /// The ServiceEntry host, known once the connection has been reported as open.
    public var destinationServiceHost: String
    public var destinationNamespace: String
    public var sourceAddress: [UInt8]
    public var requestedServerName: String
    /// Bytes since the last `continue` report (Mixer counts `open` and the first `continue` from zero).
    public var receivedBytes: Int64
    public var sentBytes: Int64
    public var totalReceivedBytes: Int64
    public var totalSentBytes: Int64
    public var identity: TelemetryIdentity

    public init(
        time: WallClockTime,
        event: ConnectionEvent,
        connectionDurationNanoseconds: Int64?,
        destinationAddress: [UInt8],
        destinationServiceHost: String,
        destinationNamespace: String,
        sourceAddress: [UInt8],
        requestedServerName: String,
        receivedBytes: Int64,
        sentBytes: Int64,
        totalReceivedBytes: Int64,
        totalSentBytes: Int64,
        identity: TelemetryIdentity
    ) {
        self.time = time
        self.event = event
        self.connectionDurationNanoseconds = connectionDurationNanoseconds
        self.destinationAddress = destinationAddress
        self.destinationServiceHost = destinationServiceHost
        self.destinationNamespace = destinationNamespace
        self.sourceAddress = sourceAddress
        self.requestedServerName = requestedServerName
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
        self.totalReceivedBytes = totalReceivedBytes
        self.totalSentBytes = totalSentBytes
        self.identity = identity
    }

    private static let timeFormat = try! StartTimeFormat(pattern: "%Y-%m-%dT%H:%M:%E6SZ")

    /// The JSON line, keys in the order Mixer's stdio adapter printed them.
    public func render() -> String {
        var writer = JSONObjectWriter()
        writer.add("level", "info")
        writer.add("time", Self.timeFormat.format(time))
        writer.add("instance", "tcpaccesslog.logentry.\(identity.namespace)")
        writer.add(
            "connectionDuration",
            connectionDurationNanoseconds.map { GoDuration.format(.nanoseconds($0)) } ?? "0s"
        )
        writer.add("connectionEvent", event.rawValue)
        writer.add("connection_security_policy", "unknown")  // a gateway reports as the source: "unknown"
        writer.add("destinationApp", "")
        writer.add("destinationIp", Data(destinationAddress).base64EncodedString())
        writer.add("destinationName", "unknown")
        writer.add("destinationNamespace", destinationNamespace)
        writer.add("destinationOwner", "unknown")
        writer.add("destinationPrincipal", "")
        writer.add("destinationServiceHost", destinationServiceHost)
        writer.add("destinationWorkload", "unknown")
        writer.add("protocol", "tcp")
        writer.add("receivedBytes", receivedBytes)
        writer.add("reporter", "source")
        writer.add("requestedServerName", requestedServerName)
        writer.add("sentBytes", sentBytes)
        writer.add("sourceApp", identity.app)
        writer.add("sourceIp", Data(sourceAddress).base64EncodedString())
        writer.add("sourceName", identity.podName)
        writer.add("sourceNamespace", identity.namespace)
        writer.add("sourceOwner", identity.owner)
        writer.add("sourcePrincipal", "")
        writer.add("sourceWorkload", identity.workload)
        writer.add("totalReceivedBytes", totalReceivedBytes)
        writer.add("totalSentBytes", totalSentBytes)
        return writer.finish()
    }
}

/// The byte accounting behind `open` / `continue` / `close` events, as Mixer's TCP filter did it:
/// deltas are measured from the last `continue` only, so `open` and the first `continue` both count from 0.
public struct TCPReportCounter: Sendable, Hashable {
    private var lastReportedReceived: Int64 = 0
    private var lastReportedSent: Int64 = 0

    public init() {}

    /// The (received, sent) deltas to report for `event` given the connection's totals so far.
    public mutating func deltas(
        for event: TCPAccessLogEntry.ConnectionEvent,
        totalReceived: Int64,
        totalSent: Int64
    ) -> (received: Int64, sent: Int64) {
        let deltas = (totalReceived - lastReportedReceived, totalSent - lastReportedSent)
        if event == .continue {
            lastReportedReceived = totalReceived
            lastReportedSent = totalSent
        }
        return deltas
    }
}
