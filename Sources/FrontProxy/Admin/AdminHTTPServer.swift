import NIOCore
import NIOHTTP1
import NIOPosix

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

    /// Binds and starts serving.
    /// - Parameters:
    ///   - address: where to listen; refused unless loopback or `allowRemote`.
    ///   - maximumBodyBytes: larger request bodies get `413 Payload Too Large`.
    public static func start(
        at address: SocketAddress,
        allowRemote: Bool = false,
        maximumBodyBytes: Int = 4 << 20,
        group: any EventLoopGroup,
        responder: any AdminRequestResponder
    ) async throws -> AdminHTTPServer {
        guard allowRemote || address.isLoopback else { throw StartError.notLoopback(address) }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        AdminConnectionHandler(responder: responder, maximumBodyBytes: maximumBodyBytes)
                    )
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

/// Collects one HTTP request at a time and answers it through the responder.
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
    private let maximumBodyBytes: Int
    private var state = State.idle

    init(responder: any AdminRequestResponder, maximumBodyBytes: Int) {
        self.responder = responder
        self.maximumBodyBytes = maximumBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            state = .collecting(head, body: [])
        case (.body(var chunk), .collecting(let head, var body)):
            if body.count + chunk.readableBytes > maximumBodyBytes {
                state = .tooLarge(head)
            } else {
                body += chunk.readBytes(length: chunk.readableBytes) ?? []
                state = .collecting(head, body: body)
            }
        case (.end, .collecting(let head, let body)):
            state = .responding
            respond(context: context, head: head, body: body)
        case (.end, .tooLarge(let head)):
            state = .responding
            let response = AdminResponse(
                status: .payloadTooLarge,
                body: "request body over \(maximumBodyBytes) bytes\n"
            )
            write(response, keepAlive: false, version: head.version, context: context)
        default:
            break  // body parts after an oversize decision, or pipelined requests while responding
        }
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
        state = .idle
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
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
