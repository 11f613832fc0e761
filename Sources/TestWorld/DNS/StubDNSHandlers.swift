import DNSWire
import NIOCore

/// Answers queries arriving over UDP.
final class StubDNSUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let state: StubDNSServerState
    /// Where forged answers "from another source" are sent from.
    private let forger: any Channel

    init(state: StubDNSServerState, forger: any Channel) {
        self.state = state
        self.forger = forger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let plan = state.plan(for: Array(envelope.data.readableBytesView), over: .udp) else { return }
        let channel = context.channel
        let forger = self.forger
        let client = envelope.remoteAddress
        let send: @Sendable () -> Void = {
            let reply = plan.reply.map { AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: $0)) }
            guard let forged = plan.forged else {
                if let reply { channel.writeAndFlush(reply, promise: nil) }
                return
            }
            // The forger may live on another event loop: the real reply waits until the forgery is sent, so
            // the client always reads the forgery first.
            let sender = plan.forgedFromOtherSource ? forger : channel
            sender.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: forged)))
                .whenComplete { _ in
                    if let reply { channel.writeAndFlush(reply, promise: nil) }
                }
        }
        if plan.delayMilliseconds > 0 {
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(plan.delayMilliseconds)), send)
        } else {
            send()
        }
    }
}

@available(*, unavailable)
extension StubDNSUDPHandler: Sendable {}

/// Answers length-prefixed queries arriving over a TCP connection, one reply per query.
final class StubDNSTCPHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = ByteBuffer

    private let state: StubDNSServerState

    init(state: StubDNSServerState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let plan = state.plan(for: unwrapInboundIn(data), over: .tcp),
            let reply = plan.reply,
            let framed = try? DNSTCPFraming.frame(reply)
        else { return }
        let channel = context.channel
        let send: @Sendable () -> Void = { channel.writeAndFlush(ByteBuffer(bytes: framed), promise: nil) }
        if plan.delayMilliseconds > 0 {
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(plan.delayMilliseconds)), send)
        } else {
            send()
        }
    }
}

@available(*, unavailable)
extension StubDNSTCPHandler: Sendable {}
