import NIOCore
import NIOHTTP1
import NIOPosix

/// Talks to a running proxy's admin API: one HTTP/1.1 request per connection, for the CLI's `apply`,
/// `delete` and `get`.
public struct AdminClient: Sendable {
    public var address: SocketAddress
    public var timeout: TimeAmount

    public init(address: SocketAddress, timeout: TimeAmount = .seconds(30)) {
        self.address = address
        self.timeout = timeout
    }

    /// The admin API could not be reached or answered badly.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends one request and returns the status code and body.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil
    ) async throws -> (
        status: Int, body: String
    ) {
        let group = MultiThreadedEventLoopGroup.singleton
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: (Int, String).self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(to: address).get()
        } catch {
            promise.fail(error)
            throw Failure(
                description: "cannot reach the admin API at \(address): \(error) (is `frontproxy serve` running?)"
            )
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "\(address.ipAddress ?? "localhost"):\(address.port ?? 0)")
        head.headers.add(name: "Content-Length", value: String(body?.utf8.count ?? 0))
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = eventLoop.scheduleTask(in: self.timeout) {
            promise.fail(Failure(description: "the admin API did not answer within \(self.timeout)"))
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        let (status, text) = try await promise.futureResult.get()
        try? await channel.close()
        return (status, text)
    }
}

/// Collects one response and completes the promise with it.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<(Int, String)>
    private var status = 0
    private var body = ByteBuffer()

    init(promise: EventLoopPromise<(Int, String)>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(var chunk): body.writeBuffer(&chunk)
        case .end: promise.succeed((status, String(buffer: body)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(AdminClient.Failure(description: "the admin API closed the connection before answering"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
