import BenchCore
import NIOCore
import NIOPosix

/// What one connection-rate worker saw.
struct ConnectionRateTally: Sendable {
    var served = 0
    var refused = 0
    var failed = 0
    var firstFailure: String?

    mutating func merge(_ other: ConnectionRateTally) {
        served += other.served
        refused += other.refused
        failed += other.failed
        firstFailure = firstFailure ?? other.firstFailure
    }
}

/// One of N concurrent workers: opens connections one after another on its event loop until its share of
/// the count is used or the deadline passes.
final class ConnectionRateWorker {
    private let configuration: LoadgenConfiguration
    private let eventLoop: any EventLoop
    private let deadline: NIODeadline
    private let promise: EventLoopPromise<ConnectionRateTally>
    private var remaining: Int
    private var tally = ConnectionRateTally()
    private var bootstrap: ClientBootstrap?

    init(
        configuration: LoadgenConfiguration,
        share: Int,
        deadline: NIODeadline,
        eventLoop: any EventLoop,
        promise: EventLoopPromise<ConnectionRateTally>
    ) {
        self.configuration = configuration
        self.remaining = share
        self.deadline = deadline
        self.eventLoop = eventLoop
        self.promise = promise
    }

    func start() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let hello = configuration.clientHello
        let replySize = configuration.replySize
        let replyTimeout = configuration.connectTimeout
        bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ConnectionRateHandler(
                        worker: bound.value,
                        hello: hello,
                        replySize: replySize,
                        replyTimeout: replyTimeout
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        connectNext()
    }

    private func connectNext() {
        guard remaining > 0, NIODeadline.now() < deadline, let bootstrap else {
            promise.succeed(tally)
            return
        }
        remaining -= 1
        bootstrap.connect(to: configuration.address).assumeIsolated().whenFailure { error in
            self.record(.failed("connect: \(error)"))
        }
    }

    /// Called once per connection, from its handler or its failed connect.
    func record(_ outcome: ConnectionOutcome) {
        switch outcome {
        case .served: tally.served += 1
        case .refused: tally.refused += 1
        case .failed(let reason):
            tally.failed += 1
            tally.firstFailure = tally.firstFailure ?? reason
        }
        // Through the loop, not recursively: a burst of instant failures must not grow the stack.
        eventLoop.assumeIsolated().execute { self.connectNext() }
    }
}

/// How one connection ended.
enum ConnectionOutcome {
    /// The whole reply arrived.
    case served
    /// The peer closed before the whole reply arrived.
    case refused
    /// Connect failed or the reply did not come in time.
    case failed(String)
}

/// Sends the ClientHello, reads the whole reply, closes.
final class ConnectionRateHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let worker: ConnectionRateWorker
    private let hello: ByteBuffer
    private let replySize: Int
    private let replyTimeout: TimeAmount
    private var received = 0
    private var outcome: ConnectionOutcome?
    private var timeout: Scheduled<Void>?

    init(worker: ConnectionRateWorker, hello: ByteBuffer, replySize: Int, replyTimeout: TimeAmount) {
        self.worker = worker
        self.hello = hello
        self.replySize = replySize
        self.replyTimeout = replyTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(hello), promise: nil)
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: replyTimeout) { [weak self] in
            guard let self, self.outcome == nil else { return }
            self.outcome = .failed("no reply within \(self.replyTimeout)")
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytes
        if received >= replySize, outcome == nil {
            outcome = .served
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        worker.record(outcome ?? .refused)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset before the reply is the target refusing the name; the outcome stays unset (refused).
        context.close(promise: nil)
    }
}

extension ConnectionOutcome: Equatable {}

/// Runs the connection-rate workload and returns its result line and whether it met the expectation.
func runConnectionRate(
    _ configuration: LoadgenConfiguration,
    group: MultiThreadedEventLoopGroup
) throws -> (
    ResultLine, Bool
) {
    let workers = min(configuration.connections, configuration.count)
    let cpuBefore = processCPUSeconds()
    let start = NIODeadline.now()
    let deadline = start + .nanoseconds(Int64(configuration.seconds * 1e9))
    var futures: [EventLoopFuture<ConnectionRateTally>] = []
    for index in 0..<workers {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: ConnectionRateTally.self)
        let share = configuration.count / workers + (index < configuration.count % workers ? 1 : 0)
        eventLoop.execute {
            ConnectionRateWorker(
                configuration: configuration,
                share: share,
                deadline: deadline,
                eventLoop: eventLoop,
                promise: promise
            ).start()
        }
        futures.append(promise.futureResult)
    }
    let tallies = try EventLoopFuture.whenAllSucceed(futures, on: group.next()).wait()
    let elapsed = Double((NIODeadline.now() - start).nanoseconds) / 1e9
    var total = ConnectionRateTally()
    for tally in tallies { total.merge(tally) }

    var line = ResultLine()
    line.add("workload", "cps")
    line.add("served", total.served)
    line.add("refused", total.refused)
    line.add("failed", total.failed)
    line.add("seconds", elapsed)
    line.add("cps", Double(total.served) / elapsed)
    line.add("loadgen_cpu", processCPUSeconds() - cpuBefore)
    if let failure = total.firstFailure { line.add("first_failure", failure) }
    let met =
        switch configuration.expectation {
        case .served: total.served > 0 && total.refused == 0 && total.failed == 0
        case .refused: total.served == 0 && total.refused + total.failed > 0
        }
    return (line, met)
}
