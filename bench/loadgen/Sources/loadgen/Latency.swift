import BenchCore
import NIOCore
import NIOPosix

/// Round-trip times of one connection, in nanoseconds, after its warm-up.
struct RoundTrips: Sendable {
    var samples: [UInt64] = []
    var failure: String?
}

/// One established connection doing ping-pong: one message of `messageSize` bytes in flight at a time, each
/// round trip timed from the write to the last byte of its echo.
final class PingPongHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingReply(received: Int)
        case pinging(received: Int, sentAt: NIODeadline)
        case done
    }

    private let configuration: LoadgenConfiguration
    private let promise: EventLoopPromise<RoundTrips>
    private var state: State = .awaitingReply(received: 0)
    private var message = ByteBuffer()
    private var roundTrips = RoundTrips()
    private var completed = 0
    private var start = NIODeadline.now()
    private var hardDeadline: Scheduled<Void>?

    init(configuration: LoadgenConfiguration, promise: EventLoopPromise<RoundTrips>) {
        self.configuration = configuration
        self.promise = promise
        roundTrips.samples.reserveCapacity(min(configuration.count, 1_000_000))
    }

    func channelActive(context: ChannelHandlerContext) {
        message = context.channel.allocator.buffer(capacity: configuration.messageSize)
        message.writeRepeatingByte(0x70, count: configuration.messageSize)
        context.writeAndFlush(wrapOutboundOut(configuration.clientHello), promise: nil)
        let limit = TimeAmount.nanoseconds(Int64(configuration.seconds * 1e9)) + .seconds(10)
        hardDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [weak self] in
            self?.finish(context: context, failure: "did not finish within the time bound")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        switch state {
        case .awaitingReply(let received):
            guard received + count >= configuration.replySize else {
                state = .awaitingReply(received: received + count)
                return
            }
            var command = context.channel.allocator.buffer(capacity: BenchCommand.frameLength)
            BenchCommand.echo.write(to: &command)
            context.write(wrapOutboundOut(command), promise: nil)
            start = NIODeadline.now()
            ping(context: context)
        case .pinging(let received, let sentAt):
            guard received + count >= configuration.messageSize else {
                state = .pinging(received: received + count, sentAt: sentAt)
                return
            }
            let now = NIODeadline.now()
            completed += 1
            if completed > configuration.warmup {
                roundTrips.samples.append(UInt64((now - sentAt).nanoseconds))
            }
            let elapsed = now - start
            if completed >= configuration.count + configuration.warmup
                || elapsed >= .nanoseconds(Int64(configuration.seconds * 1e9))
            {
                finish(context: context, failure: nil)
            } else {
                ping(context: context)
            }
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, failure: "closed by the peer")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, failure: "\(error)")
    }

    private func ping(context: ChannelHandlerContext) {
        state = .pinging(received: 0, sentAt: NIODeadline.now())
        context.writeAndFlush(wrapOutboundOut(message), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, failure: String?) {
        if case .done = state { return }
        state = .done
        hardDeadline?.cancel()
        roundTrips.failure = failure
        promise.succeed(roundTrips)
        context.close(promise: nil)
    }
}

/// Runs the latency workload and reports nearest-rank percentiles over every recorded round trip.
func runLatency(_ configuration: LoadgenConfiguration, group: MultiThreadedEventLoopGroup) throws -> (ResultLine, Bool)
{
    let cpuBefore = processCPUSeconds()
    var futures: [EventLoopFuture<RoundTrips>] = []
    for _ in 0..<configuration.connections {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: RoundTrips.self)
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        PingPongHandler(configuration: configuration, promise: promise)
                    )
                }
            }
            .connect(to: configuration.address)
            .whenFailure { error in promise.succeed(RoundTrips(failure: "connect: \(error)")) }
        futures.append(promise.futureResult)
    }
    let results = try EventLoopFuture.whenAllSucceed(futures, on: group.next()).wait()
    let failures = results.compactMap(\.failure)
    let percentiles = Percentiles(samples: results.flatMap(\.samples))
    func microseconds(_ p: Double) -> Double { Double(percentiles.value(at: p) ?? 0) / 1000 }

    var line = ResultLine()
    line.add("workload", "latency")
    line.add("connections", configuration.connections)
    line.add("failed", failures.count)
    line.add("samples", percentiles.sorted.count)
    line.add("p50_us", microseconds(50))
    line.add("p99_us", microseconds(99))
    line.add("p999_us", microseconds(99.9))
    line.add("max_us", microseconds(100))
    line.add("loadgen_cpu", processCPUSeconds() - cpuBefore)
    if let failure = failures.first { line.add("first_failure", failure) }
    return (line, failures.isEmpty && !percentiles.sorted.isEmpty)
}
