import BenchCore
import NIOCore
import NIOPosix

/// What one bulk connection measured: bytes and seconds of each direction.
struct BulkTransfer: Sendable {
    var uploadBytes = 0
    var uploadSeconds = 0.0
    var downloadBytes = 0
    var downloadSeconds = 0.0
    var failure: String?
}

/// One long connection: ClientHello and reply, then the bulk command, then upload blocks for half the time
/// (or up to the byte bound), then read the download for the other half (or up to the byte bound), then close.
final class BulkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingReply(received: Int)
        case uploading
        case awaitingDownload
        case downloading
        case done
    }

    private let configuration: LoadgenConfiguration
    private let phaseTime: TimeAmount
    private let promise: EventLoopPromise<BulkTransfer>
    private var state: State = .awaitingReply(received: 0)
    private var transfer = BulkTransfer()
    private var block = ByteBuffer()
    private var uploadStart = NIODeadline.uptimeNanoseconds(0)
    private var downloadStart = NIODeadline.uptimeNanoseconds(0)
    private var hardDeadline: Scheduled<Void>?
    private var isUploading = false

    init(configuration: LoadgenConfiguration, promise: EventLoopPromise<BulkTransfer>) {
        self.configuration = configuration
        self.phaseTime = .nanoseconds(Int64(configuration.seconds * 1e9 / 2))
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        block = BulkBlockHeader(isLast: false, downloadBytes: 0)
            .block(size: configuration.blockSize, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(configuration.clientHello), promise: nil)
        // Whatever happens, the connection ends a little after its two phases.
        let limit = TimeAmount.nanoseconds(Int64(configuration.seconds * 1e9)) + .seconds(10)
        hardDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [weak self] in
            self?.finish(context: context, failure: "did not finish within the time bound")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        let now = NIODeadline.now()
        switch state {
        case .awaitingReply(let received):
            guard received + count >= configuration.replySize else {
                state = .awaitingReply(received: received + count)
                return
            }
            var command = context.channel.allocator.buffer(capacity: BenchCommand.frameLength)
            BenchCommand.bulk(blockSize: configuration.blockSize).write(to: &command)
            context.write(wrapOutboundOut(command), promise: nil)
            state = .uploading
            uploadStart = now
            upload(context: context)
        case .uploading, .awaitingDownload:
            transfer.uploadSeconds = Double((now - uploadStart).nanoseconds) / 1e9
            state = .downloading
            downloadStart = now
            transfer.downloadBytes = count
        case .downloading:
            transfer.downloadBytes += count
            transfer.downloadSeconds = Double((now - downloadStart).nanoseconds) / 1e9
            if transfer.downloadBytes >= configuration.bulkBytes || now - downloadStart >= phaseTime {
                finish(context: context, failure: nil)
            }
        case .done:
            break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .uploading = state { upload(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, failure: "closed by the peer")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, failure: "\(error)")
    }

    /// Writes blocks while the channel is writable; the last block asks for the download. A flush can make
    /// the channel writable again and re-enter through `channelWritabilityChanged`: that call returns at once
    /// and this loop goes on instead.
    private func upload(context: ChannelHandlerContext) {
        guard !isUploading else { return }
        isUploading = true
        defer { isUploading = false }
        repeat {
            while context.channel.isWritable {
                let lastBlock =
                    transfer.uploadBytes + 2 * configuration.blockSize > configuration.bulkBytes
                    || NIODeadline.now() - uploadStart >= phaseTime
                if lastBlock {
                    let header = BulkBlockHeader(isLast: true, downloadBytes: UInt64(configuration.bulkBytes))
                    let last = header.block(size: configuration.blockSize, allocator: context.channel.allocator)
                    transfer.uploadBytes += configuration.blockSize
                    state = .awaitingDownload
                    context.writeAndFlush(wrapOutboundOut(last), promise: nil)
                    return
                }
                context.write(wrapOutboundOut(block), promise: nil)
                transfer.uploadBytes += configuration.blockSize
            }
            context.flush()
        } while context.channel.isWritable
    }

    private func finish(context: ChannelHandlerContext, failure: String?) {
        if case .done = state { return }
        let complete: Bool
        if case .downloading = state { complete = true } else { complete = false }
        state = .done
        hardDeadline?.cancel()
        transfer.failure = complete ? nil : (failure ?? "incomplete")
        promise.succeed(transfer)
        context.close(promise: nil)
    }
}

/// Runs the throughput workload: `connections` long connections in parallel.
func runThroughput(
    _ configuration: LoadgenConfiguration,
    group: MultiThreadedEventLoopGroup
) throws -> (ResultLine, Bool) {
    let cpuBefore = processCPUSeconds()
    var futures: [EventLoopFuture<BulkTransfer>] = []
    for _ in 0..<configuration.connections {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: BulkTransfer.self)
        let connected = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Large reads: the generator must out-read any proxy, so it reads up to 1 MiB per syscall.
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64 << 10, initial: 256 << 10, maximum: 1 << 20)
            )
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        BulkHandler(configuration: configuration, promise: promise)
                    )
                }
            }
            .connect(to: configuration.address)
        connected.whenFailure { error in promise.succeed(BulkTransfer(failure: "connect: \(error)")) }
        futures.append(promise.futureResult)
    }
    let transfers = try EventLoopFuture.whenAllSucceed(futures, on: group.next()).wait()
    let failures = transfers.compactMap(\.failure)
    // Connections run side by side, so their rates add up.
    let up = transfers.reduce(0.0) { $0 + rate($1.uploadBytes, $1.uploadSeconds) }
    let down = transfers.reduce(0.0) { $0 + rate($1.downloadBytes, $1.downloadSeconds) }

    var line = ResultLine()
    line.add("workload", "throughput")
    line.add("connections", configuration.connections)
    line.add("failed", failures.count)
    line.add("up_bytes", transfers.reduce(0) { $0 + $1.uploadBytes })
    line.add("down_bytes", transfers.reduce(0) { $0 + $1.downloadBytes })
    line.add("up_mbps", up)
    line.add("down_mbps", down)
    line.add("loadgen_cpu", processCPUSeconds() - cpuBefore)
    if let failure = failures.first { line.add("first_failure", failure) }
    return (line, failures.isEmpty)
}

/// Megabytes (10^6 bytes) per second.
private func rate(_ bytes: Int, _ seconds: Double) -> Double {
    seconds > 0 ? Double(bytes) / seconds / 1e6 : 0
}
