import DNSWire
import NIOCore

/// Waits on a UDP socket for the one datagram that answers the query. Anything else (another source, an
/// undecodable datagram, another id or question) is ignored rather than accepted or treated as failure, so
/// a forged datagram can neither poison the answer nor cut the wait short.
final class DNSUDPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let expected: DNSExpectedResponse
    private let nameserver: SocketAddress
    private let promise: EventLoopPromise<DNSMessage>

    init(expected: DNSExpectedResponse, nameserver: SocketAddress, promise: EventLoopPromise<DNSMessage>) {
        self.expected = expected
        self.nameserver = nameserver
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == nameserver,
            let message = try? DNSMessage(decoding: Array(envelope.data.readableBytesView)),
            expected.accepts(message)
        else { return }
        promise.succeed(message)
    }

    /// On a connected UDP socket, an ICMP "port unreachable" surfaces here: the nameserver is not there.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}

@available(*, unavailable)
extension DNSUDPExchangeHandler: Sendable {}

/// Reads the answer on a TCP connection. The server chose to answer on this connection, so an answer that
/// does not decode is a failure of this nameserver, not something to wait past.
final class DNSTCPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]

    private let expected: DNSExpectedResponse
    private let promise: EventLoopPromise<DNSMessage>

    init(expected: DNSExpectedResponse, promise: EventLoopPromise<DNSMessage>) {
        self.expected = expected
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            let message = try DNSMessage(decoding: unwrapInboundIn(data))
            if expected.accepts(message) { promise.succeed(message) }
        } catch {
            promise.fail(DNSExchangeError.malformed(error))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSExchangeError.closedWithoutAnswer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}

@available(*, unavailable)
extension DNSTCPExchangeHandler: Sendable {}
