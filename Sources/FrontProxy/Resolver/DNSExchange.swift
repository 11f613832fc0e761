import DNSWire
import DNSWireNIO
import NIOCore
import NIOPosix

/// Why one query to one nameserver produced no usable answer.
enum DNSExchangeError: Error {
    case timeout
    case malformed(DNSWireError)
    case closedWithoutAnswer
    case shutDown
}

/// The answer a query may accept: a response with the query's id that echoes its one question.
struct DNSExpectedResponse: Sendable {
    let id: UInt16
    let question: DNSQuestion

    func accepts(_ message: DNSMessage) -> Bool {
        message.header.isResponse && message.header.id == id && message.questions == [question]
    }
}

/// One query to one nameserver over one transport, on one event loop, within a timeout.
enum DNSExchange {
    /// Over UDP from a fresh socket (a new random source port each time) connected to the nameserver, so
    /// the kernel drops datagrams from anyone else; the handler checks the source again anyway.
    static func udp(
        _ query: DNSMessage,
        to nameserver: SocketAddress,
        on eventLoop: any EventLoop,
        timeout: TimeAmount,
        state: DNSResolverState
    ) -> EventLoopFuture<DNSMessage> {
        run(query, on: eventLoop, timeout: timeout) { expected, bytes, promise in
            DatagramBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DNSUDPExchangeHandler(expected: expected, nameserver: nameserver, promise: promise)
                        )
                    }
                }
                .connect(to: nameserver)
                .map { channel in
                    (channel, AddressedEnvelope(remoteAddress: nameserver, data: ByteBuffer(bytes: bytes)))
                }
        } register: {
            state.register($0)
        }
    }

    /// Over TCP, after a truncated UDP answer (RFC 7766).
    static func tcp(
        _ query: DNSMessage,
        to nameserver: SocketAddress,
        on eventLoop: any EventLoop,
        timeout: TimeAmount,
        state: DNSResolverState
    ) -> EventLoopFuture<DNSMessage> {
        run(query, on: eventLoop, timeout: timeout) {
            expected,
            bytes,
            promise -> EventLoopFuture<(any Channel, ByteBuffer)> in
            // `encoded()` already refuses messages over 65535 bytes, so framing cannot fail here.
            guard let framed = try? DNSTCPFraming.frame(bytes) else {
                return eventLoop.makeFailedFuture(DNSExchangeError.closedWithoutAnswer)
            }
            return ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(
                            DNSTCPExchangeHandler(expected: expected, promise: promise)
                        )
                    }
                }
                .connect(to: nameserver)
                .map { channel in (channel, ByteBuffer(bytes: framed)) }
        } register: {
            state.register($0)
        }
    }

    /// The shared shape: encode, open a channel, write, wait for the handler to complete the promise or
    /// for the timeout, then close the channel.
    private static func run<Outbound: Sendable>(
        _ query: DNSMessage,
        on eventLoop: any EventLoop,
        timeout: TimeAmount,
        open: (DNSExpectedResponse, [UInt8], EventLoopPromise<DNSMessage>) -> EventLoopFuture<(any Channel, Outbound)>,
        register: @escaping @Sendable (any Channel) -> Bool
    ) -> EventLoopFuture<DNSMessage> {
        guard let question = query.questions.first else {
            return eventLoop.makeFailedFuture(DNSExchangeError.closedWithoutAnswer)
        }
        let bytes: [UInt8]
        do {
            bytes = try query.encoded()
        } catch {
            return eventLoop.makeFailedFuture(DNSExchangeError.malformed(error))
        }
        let promise = eventLoop.makePromise(of: DNSMessage.self)
        let timeoutTask = eventLoop.scheduleTask(in: timeout) { promise.fail(DNSExchangeError.timeout) }
        promise.futureResult.whenComplete { _ in timeoutTask.cancel() }
        open(DNSExpectedResponse(id: query.header.id, question: question), bytes, promise).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let (channel, outbound)):
                guard register(channel) else {
                    promise.fail(DNSExchangeError.shutDown)
                    channel.close(promise: nil)
                    return
                }
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                channel.writeAndFlush(outbound).whenFailure { promise.fail($0) }
            }
        }
        return promise.futureResult
    }
}
