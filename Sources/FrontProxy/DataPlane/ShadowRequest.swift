import HTTPWire
import MeshConfig
import NIOCore

/// A mirrored copy of a request (Envoy's `request_mirror_policies`): sent to the mirror cluster once the
/// original's body is complete, its response read and thrown away, never waited for by the client.
/// Loop-confined; it keeps itself alive in the loop's set of shadows until its exchange ends.
final class ShadowRequest: HTTPUpstreamOwner {
    unowned(unsafe) let loop: DataPlaneLoop
    private let bytes: [UInt8]
    private var upstream: HTTPUpstreamConnection?
    private var parser = HTTPResponseSkipper()
    private let deadline: NIODeadline

    /// How long a mirror may take before it is dropped.
    static let timeout = TimeAmount.seconds(10)

    private init(loop: DataPlaneLoop, bytes: [UInt8]) {
        self.loop = loop
        self.bytes = bytes
        deadline = loop.now + Self.timeout
    }

    /// Sends `bytes` (a whole request: head and body) to an endpoint of `cluster`, if it has one at hand.
    static func send(_ bytes: [UInt8], to cluster: ServingCluster, loop: DataPlaneLoop) {
        let context = loop.context
        guard let endpoints = cluster.fixedEndpoints ?? context.resolver.immediateEndpoints(of: cluster.plan),
            case .success(let list) = endpoints,
            let endpoint = context.selector.endpoint(of: cluster.plan.name, among: list)
        else { return }
        let shadow = ShadowRequest(loop: loop, bytes: bytes)
        let target =
            context.configuration.upstreamAddressMap(endpoint).map(SocketAddressStorage.init)
            ?? SocketAddressStorage(endpoint)
        do {
            shadow.upstream = try HTTPUpstreamConnection.connect(
                to: target,
                endpoint: endpoint,
                cluster: cluster.plan.name,
                owner: shadow,
                loop: loop
            )
            loop.shadows[ObjectIdentifier(shadow)] = shadow
        } catch {
            return
        }
    }

    func upstreamConnected(_ upstream: HTTPUpstreamConnection) {
        if upstream.output.send(bytes, to: upstream.descriptor, writable: &upstream.writable) != nil { end() }
    }

    func upstreamConnectFailed(_ code: Int32) { end() }

    func upstreamFailed(_ upstream: HTTPUpstreamConnection) { end() }

    func upstreamReady(_ upstream: HTTPUpstreamConnection) {
        if upstream.output.flush(to: upstream.descriptor, writable: &upstream.writable) != nil { return end() }
        let scratch = loop.scratch
        while upstream.readable {
            switch SystemCall.read(upstream.descriptor, into: scratch.baseAddress!, count: scratch.count) {
            case .bytes(0):
                return end()
            case .bytes(let count):
                if count < scratch.count && !upstream.closing { upstream.readable = false }
                // The response is discarded; the connection closes once it has come (it is not pooled).
                if parser.consume(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) { return end() }
            case .wouldBlock:
                upstream.readable = false
            case .failed:
                return end()
            }
        }
        if loop.now >= deadline { end() }
    }

    private func end() {
        upstream?.close()
        upstream = nil
        loop.shadows[ObjectIdentifier(self)] = nil
    }
}

/// Reads a response only to know when it has ended.
struct HTTPResponseSkipper {
    private var head: [UInt8] = []
    private var framer: HTTPBodyFramer?

    /// True once the response is complete (or unreadable: either way the shadow is done).
    mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if var body = framer {
            defer { framer = body }
            return (try? body.consume(bytes))?.done ?? true
        }
        head.append(contentsOf: bytes)
        switch head.withUnsafeBytes({ HTTPHeadParser.parseResponse($0, requestMethod: "GET") }) {
        case .incomplete:
            return head.count > 64 * 1024
        case .invalid:
            return true
        case .complete(let response, let length):
            var body = HTTPBodyFramer(response: response)
            let rest = Array(head[length...])
            head = []
            let done = (try? rest.withUnsafeBytes { try body.consume($0) })?.done ?? true
            framer = body
            return done || body.isDone
        }
    }
}
