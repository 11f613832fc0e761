import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request to the admin API, with its body collected.
public struct AdminRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query string.
    public var path: String
    /// Query parameters (`?name=value&...`), percent-decoded.
    public var query: [String: String]
    public var body: [UInt8]

    public init(method: HTTPMethod, path: String, query: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }
}

/// A response from the admin API.
public struct AdminResponse: Sendable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: String

    public init(status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// What answers admin requests: the logic, separate from the HTTP plumbing.
public protocol AdminRequestResponder: Sendable {
    func respond(to request: AdminRequest) async -> AdminResponse
}

/// The admin HTTP/1.1 server: loopback only unless explicitly allowed, request bodies capped, one request
/// answered at a time per connection.
public final class AdminHTTPServer: Sendable {
    /// Why the admin server would not start.
    public enum StartError: Error, CustomStringConvertible {
        case notLoopback(SocketAddress)

        public var description: String {
            switch self {
            case .notLoopback(let address):
                "refusing to bind the admin API to \(address): it is not a loopback address (use --admin-allow-remote to force)"
            }
        }
    }

    private let channel: any Channel

    /// The address the server listens on (with the real port when port 0 was asked for).
    public var localAddress: SocketAddress? { channel.localAddress }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// What one client may cost the admin API: it must never hold the process's descriptors or memory
    /// hostage (an idle flood would starve the data plane's accepts).
    public struct Limits: Sendable {
        /// Larger request bodies get `413 Payload Too Large` as soon as the limit is passed (chunked too).
        public var maximumBodyBytes = 4 << 20
        /// A request must arrive whole (head and body) within this from its first byte, or the connection
        /// closes (slowloris).
        public var requestTimeout: TimeAmount = .seconds(30)
        /// A keep-alive connection with no request in progress closes after this.
        public var idleTimeout: TimeAmount = .seconds(60)
        /// Admin connections open at once; more are closed as soon as they are accepted.
        public var maximumConnections = 64

        public init() {}
    }

    /// Binds and starts serving.
    /// - Parameters:
    ///   - address: where to listen; refused unless loopback or `allowRemote`.
    ///   - limits: body size, timeouts and the connection cap.
    public static func start(
        at address: SocketAddress,
        allowRemote: Bool = false,
        limits: Limits = Limits(),
        group: any EventLoopGroup,
        responder: any AdminRequestResponder
    ) async throws -> AdminHTTPServer {
        guard allowRemote || address.isLoopback else { throw StartError.notLoopback(address) }
        let open = AdminConnectionCount()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard open.admit(limit: limits.maximumConnections) else {
                        channel.close(promise: nil)
                        return
                    }
                    channel.closeFuture.whenComplete { _ in open.release() }
                    let handler = AdminConnectionHandler(responder: responder, limits: limits)
                    // Sees raw bytes before the HTTP decoder does, so a head that never ends is timed too.
                    try channel.pipeline.syncOperations.addHandler(AdminReadObserver { handler.bytesArrived() })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(to: address).get()
        return AdminHTTPServer(channel: channel)
    }

    /// Stops listening and closes the server socket.
    public func stop() async throws {
        try await channel.close()
    }
}

extension SocketAddress {
    /// Whether this is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        switch self {
        case .v4: ipAddress?.hasPrefix("127.") ?? false
        case .v6: ipAddress == "::1" || (ipAddress?.hasPrefix("::ffff:127.") ?? false)
        case .unixDomainSocket: true
        }
    }
}

/// Tells the connection handler that request bytes arrived (the decoder holds a partial head back).
private final class AdminReadObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let arrived: () -> Void

    init(_ arrived: @escaping () -> Void) { self.arrived = arrived }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        arrived()
        context.fireChannelRead(data)
    }
}

/// Admin connections open now, against the cap.
private final class AdminConnectionCount: Sendable {
    private let count = Atomic<Int>(0)

    func admit(limit: Int) -> Bool {
        let now = count.wrappingAdd(1, ordering: .relaxed).newValue
        guard now > limit else { return true }
        count.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func release() { count.wrappingSubtract(1, ordering: .relaxed) }
}

/// Collects one HTTP request at a time and answers it through the responder, within the limits: a request
/// must be whole within `requestTimeout`, an idle connection closes after `idleTimeout`, a body over the cap
/// is refused as soon as it passes it, and a protocol error closes the connection after its 400.
private final class AdminConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case collecting(HTTPRequestHead, body: [UInt8])
        case tooLarge(HTTPRequestHead)
        case responding
    }

    private let responder: any AdminRequestResponder
    private let limits: AdminHTTPServer.Limits
    private var state = State.idle
    /// Closes the connection when it fires: the request deadline while one is arriving, else the idle
    /// timeout.
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// The request deadline runs (bytes of the next request arrived).
    private var requestTimed = false

    init(responder: any AdminRequestResponder, limits: AdminHTTPServer.Limits) {
        self.responder = responder
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm(limits.idleTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        self.context = nil
    }

    /// The first bytes of a request: from now it has `requestTimeout` to arrive whole.
    func bytesArrived() {
        guard case .idle = state, !requestTimed, let context else { return }
        requestTimed = true
        arm(limits.requestTimeout, context: context)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        deadline?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            state = .collecting(head, body: [])
            if !requestTimed { arm(limits.requestTimeout, context: context) }
        case (.body(var chunk), .collecting(let head, var body)):
            if body.count + chunk.readableBytes > limits.maximumBodyBytes {
                // At once, whatever the framing: a chunked body is not read to its end first.
                state = .tooLarge(head)
                let response = AdminResponse(
                    status: .payloadTooLarge,
                    body: "request body over \(limits.maximumBodyBytes) bytes\n"
                )
                write(response, keepAlive: false, version: head.version, context: context)
            } else {
                body += chunk.readBytes(length: chunk.readableBytes) ?? []
                state = .collecting(head, body: body)
            }
        case (.end, .collecting(let head, let body)):
            state = .responding
            requestTimed = false
            deadline?.cancel()
            respond(context: context, head: head, body: body)
        default:
            break  // body parts after an oversize decision, or pipelined requests while responding
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO's protocol error handler has answered 400 with Connection: close; now close it.
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let (path, query) = Self.splitTarget(head.uri)
        let request = AdminRequest(method: head.method, path: path, query: query, body: body)
        let promise = context.eventLoop.makePromise(of: AdminResponse.self)
        let responder = self.responder
        promise.completeWithTask { await responder.respond(to: request) }
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.write(response, keepAlive: head.isKeepAlive, version: head.version, context: context)
        }
    }

    private func write(_ response: AdminResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext)
    {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.utf8.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        state = .idle
        arm(limits.idleTimeout, context: context)
    }

    /// Splits `/path?x=1&y=2` into the path and decoded query parameters.
    static func splitTarget(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncodingOrSelf
            query[name] = parts.count > 1 ? String(parts[1]).removingPercentEncodingOrSelf : ""
        }
        return (String(uri[..<mark]), query)
    }
}

extension String {
    /// Decodes `%XX` escapes (and `+` as space, as forms send it); leaves malformed escapes as they are.
    fileprivate var removingPercentEncodingOrSelf: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
