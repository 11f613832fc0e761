import NIOCore

/// One half of a splice: bytes read on this handler's channel are written to the partner's channel.
///
/// The pair sits on two channels of one event loop, so the handlers call each other directly. Backpressure:
/// a handler asks its channel for more bytes only while the partner's channel is writable; otherwise it parks
/// the read until the partner drains (`channelWritabilityChanged`), so neither side buffers without bound.
/// A FIN on one side becomes a write-side shutdown on the other (half-close), and closing either channel
/// closes the partner.
final class GlueHandler {
    /// Which side of the proxy this handler's channel is.
    enum Side {
        /// The client's connection: its bytes are what the access log counts.
        case downstream
        case upstream
    }

    private let side: Side
    private let counters: SpliceCounters
    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    private init(side: Side, counters: SpliceCounters) {
        self.side = side
        self.counters = counters
    }

    /// A downstream/upstream pair sharing `counters`, each holding the other until removed.
    static func matchedPair(counters: SpliceCounters) -> (downstream: GlueHandler, upstream: GlueHandler) {
        let downstream = GlueHandler(side: .downstream, counters: counters)
        let upstream = GlueHandler(side: .upstream, counters: counters)
        downstream.partner = upstream
        upstream.partner = downstream
        return (downstream, upstream)
    }

    // MARK: - Calls from the partner

    private func partnerWrite(_ buffer: ByteBuffer) {
        if side == .downstream { counters.downstreamBytesSent += Int64(buffer.readableBytes) }
        context?.write(NIOAny(buffer), promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    private func partnerWriteEOF() {
        context?.close(mode: .output, promise: nil)
    }

    private func partnerCloseFull() {
        context?.close(promise: nil)
    }

    /// The partner closed cleanly: deliver what is still queued for this channel, then close it. NIO would
    /// drop queued writes on an immediate close (and a write-side shutdown becomes one when the read side is
    /// already shut), so when bytes are queued, wait for them, bounded by `flushOnCloseLimit` for a peer that
    /// never reads. Nothing queued (the usual case): close at once, with no timer.
    private func partnerClosedCleanly() {
        guard let context else { return }
        let channel = context.channel
        let queued = (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        guard queued > 0 else {
            context.close(promise: nil)
            return
        }
        let hardClose = context.eventLoop.scheduleTask(in: Self.flushOnCloseLimit) { channel.close(promise: nil) }
        context.writeAndFlush(NIOAny(ByteBuffer())).whenComplete { _ in
            hardClose.cancel()
            channel.close(promise: nil)
        }
    }

    /// How long queued bytes may take to drain once the other side has gone.
    static let flushOnCloseLimit = TimeAmount.seconds(30)

    private func partnerBecameWritable() {
        guard pendingRead else { return }
        pendingRead = false
        context?.read()
    }

    private var partnerWritable: Bool { context?.channel.isWritable ?? false }
}

extension GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if side == .downstream { counters.downstreamBytesReceived += Int64(buffer.readableBytes) }
        counters.lastActivity = .now()
        partner?.partnerWrite(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClosedCleanly()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            partner?.partnerWriteEOF()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or I/O error: nothing more can be delivered in order, so both sides close at once.
        context.fireErrorCaught(error)
        partner?.partnerCloseFull()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if partner?.partnerWritable ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }
}

@available(*, unavailable)
extension GlueHandler: Sendable {}
