import NIOCore
import NIOPosix
import Synchronization

/// A raw TCP upstream for data-path cases FakeUpstream does not cover: one that never reads (to prove
/// backpressure) and one that speaks, half-closes first and keeps reading (to prove half-close
/// propagates upstream → client).
final class RawTestUpstream: Sendable {
    enum Mode {
        /// Accept and never read a byte: the socket's receive buffer fills and stays full.
        case neverRead
        /// Write `greeting`, shut down the write side, then count what arrives until the client's FIN.
        case greetThenHalfClose(greeting: [UInt8])
    }

    private let channel: any Channel
    private let received = Mutex<(bytes: Int, sawEOF: Bool)>((0, false))

    var address: SocketAddress { channel.localAddress! }
    var bytesReceived: Int { received.withLock { $0.bytes } }
    var sawEOF: Bool { received.withLock { $0.sawEOF } }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(host: String, mode: Mode) async throws -> RawTestUpstream {
        let box = ReceivedBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.autoRead, value: { if case .neverRead = mode { false } else { true } }())
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .greetThenHalfClose(let greeting) = mode {
                        try channel.pipeline.syncOperations.addHandler(GreetingHandler(greeting: greeting, box: box))
                    }
                }
            }
            .bind(host: host, port: 0).get()
        let upstream = RawTestUpstream(channel: channel)
        box.upstream.withLock { $0 = upstream }
        return upstream
    }

    func stop() async {
        try? await channel.close()
    }

    fileprivate func record(bytes: Int, eof: Bool) {
        received.withLock {
            $0.bytes += bytes
            $0.sawEOF = $0.sawEOF || eof
        }
    }

    fileprivate final class ReceivedBox: Sendable {
        let upstream = Mutex<RawTestUpstream?>(nil)
    }

    private final class GreetingHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let greeting: [UInt8]
        let box: ReceivedBox
        var failed = false

        init(greeting: [UInt8], box: ReceivedBox) {
            self.greeting = greeting
            self.box = box
        }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: greeting)), promise: nil)
            context.close(mode: .output, promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let count = unwrapInboundIn(data).readableBytes
            box.upstream.withLock { $0?.record(bytes: count, eof: false) }
        }

        /// Our output is already shut, so NIO turns the peer's FIN into a full close (no `inputClosed`
        /// event): going inactive without an error is the EOF.
        func channelInactive(context: ChannelHandlerContext) {
            if !failed { box.upstream.withLock { $0?.record(bytes: 0, eof: true) } }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            failed = true
            context.close(promise: nil)
        }
    }
}
