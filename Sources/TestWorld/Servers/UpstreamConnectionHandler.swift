import NIOCore

/// Serves one accepted connection of a `FakeUpstream`: records raw bytes, applies the fault, drives the
/// TLS engine (confined to this channel's event loop), and runs the behaviour on the plaintext.
final class UpstreamConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Application {
        case http(HTTPResponderSession)
        case echo
        case sink
    }

    private let upstream: FakeUpstream
    private let engine: TLSEngine?
    private var application: Application
    private var id = 0
    private var fault: UpstreamFault?
    private var bytesRead = 0
    private var handshakeComplete = false
    /// Set once we decided to close: nothing more is read or answered.
    private var closing = false
    private var inputClosed = false
    private var lastWrite: EventLoopFuture<Void>?

    init(upstream: FakeUpstream) throws(OpenSSLError) {
        self.upstream = upstream
        engine = try upstream.tls.map { context throws(OpenSSLError) in try TLSEngine(server: context) }
        switch upstream.behavior {
        case .http(let responder): application = .http(HTTPResponderSession(responder: responder))
        case .echo: application = .echo
        case .sink: application = .sink
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        guard let (id, fault) = upstream.connectionOpened(context.channel) else {
            context.close(promise: nil)
            return
        }
        self.id = id
        self.fault = fault
        switch fault {
        case .closeAfterReading(bytes: let limit) where limit <= 0: abort(context)
        case .resetAfterReading(bytes: let limit) where limit <= 0: reset(context)
        case .closeAfterHandshake where engine == nil: abort(context)
        default: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if id > 0 { upstream.connectionClosed(id) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(buffer: unwrapInboundIn(data))
        upstream.updateLog(id) { $0.read.record(bytes) }
        bytesRead += bytes.count
        guard !closing else { return }
        switch fault {
        case .stall: return
        case .resetAfterReading(bytes: let limit) where bytesRead >= limit: return reset(context)
        case .closeAfterReading(bytes: let limit) where bytesRead >= limit: return abort(context)
        default: break
        }
        guard let engine else { return receivePlaintext(bytes, context: context) }
        engine.feed(bytes)
        if !handshakeComplete { advanceHandshake(engine, context: context) }
        guard handshakeComplete, !closing else { return }
        readPlaintext(engine, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        inputClosed = true
        // Half-close: whatever we still owe the client is written, then the connection closes.
        finish(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - TLS

    private func advanceHandshake(_ engine: TLSEngine, context: ChannelHandlerContext) {
        do {
            let state = try engine.handshake()
            recordOffer(engine)
            sendCiphertext(engine.takeOutput(), context: context)
            guard state == .complete else { return }
            handshakeComplete = true
            upstream.updateLog(id) { log in
                log.handshakeCompleted = true
                log.negotiatedALPN = engine.negotiatedALPN
            }
            if fault == .closeAfterHandshake { closeAfterWrites(context) }
        } catch {
            recordOffer(engine)
            upstream.updateLog(id) { $0.tlsFailure = error.description }
            sendCiphertext(engine.takeOutput(), context: context)  // the alert, if any
            closeAfterWrites(context)
        }
    }

    private func recordOffer(_ engine: TLSEngine) {
        let (name, alpn) = (engine.offeredServerName, engine.offeredALPN)
        upstream.updateLog(id) { log in
            log.serverName = name
            log.offeredALPN = alpn
        }
    }

    private func readPlaintext(_ engine: TLSEngine, context: ChannelHandlerContext) {
        while !closing {
            do {
                switch try engine.read() {
                case .data(let plaintext) where plaintext.isEmpty: return
                case .data(let plaintext): receivePlaintext(plaintext, context: context)
                case .closed:
                    // close_notify: answer it and close our side; the TCP close follows.
                    engine.shutdown()
                    sendCiphertext(engine.takeOutput(), context: context)
                    closeAfterWrites(context)
                    return
                }
            } catch {
                upstream.updateLog(id) { $0.tlsFailure = error.description }
                sendCiphertext(engine.takeOutput(), context: context)
                closeAfterWrites(context)
                return
            }
        }
    }

    // MARK: - Behaviour

    private func receivePlaintext(_ plaintext: [UInt8], context: ChannelHandlerContext) {
        switch application {
        case .sink:
            return
        case .echo:
            respond(plaintext, thenClose: false, context: context)
        case .http(var session):
            let reply = session.receive(plaintext)
            application = .http(session)
            if !reply.requests.isEmpty {
                upstream.updateLog(id) { log in
                    let room = UpstreamConnectionLog.requestLimit - log.requests.count
                    log.requests.append(contentsOf: reply.requests.prefix(max(0, room)))
                }
            }
            respond(reply.responses.flatMap { $0 }, thenClose: reply.close, context: context)
        }
    }

    /// Sends `plaintext` now, or after the fault's delay.
    private func respond(_ plaintext: [UInt8], thenClose close: Bool, context: ChannelHandlerContext) {
        guard case .delayResponse(let delay) = fault else {
            sendPlaintext(plaintext, context: context)
            if close { finish(context) }
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            guard context.channel.isActive else { return }
            sendPlaintext(plaintext, context: context)
            if close { finish(context) }
        }
    }

    private func sendPlaintext(_ plaintext: [UInt8], context: ChannelHandlerContext) {
        guard !plaintext.isEmpty, !closing else { return }
        guard let engine else { return sendCiphertext(plaintext, context: context) }
        do {
            try engine.write(plaintext)
            sendCiphertext(engine.takeOutput(), context: context)
        } catch {
            upstream.updateLog(id) { $0.tlsFailure = error.description }
            closeAfterWrites(context)
        }
    }

    private func sendCiphertext(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard !bytes.isEmpty, context.channel.isActive else { return }
        upstream.updateLog(id) { $0.written.record(bytes) }
        lastWrite = context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)))
    }

    // MARK: - Closing

    /// Ends the conversation politely: close_notify on TLS, then close once everything is written. When the
    /// answer is delayed, the close waits for it.
    private func finish(_ context: ChannelHandlerContext) {
        if case .delayResponse(let delay) = fault, !closing {
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in finishNow(context) }
        } else {
            finishNow(context)
        }
    }

    private func finishNow(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        if let engine, handshakeComplete {
            engine.shutdown()
            sendCiphertext(engine.takeOutput(), context: context)
        }
        closeAfterWrites(context)
    }

    /// Closes once the writes issued so far are on the wire.
    private func closeAfterWrites(_ context: ChannelHandlerContext) {
        closing = true
        guard let lastWrite else { return context.close(promise: nil) }
        lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Closes at once with a FIN, answering nothing more.
    private func abort(_ context: ChannelHandlerContext) {
        closing = true
        context.close(promise: nil)
    }

    /// Closes at once with an RST (SO_LINGER 0).
    private func reset(_ context: ChannelHandlerContext) {
        closing = true
        guard let options = context.channel as? any SocketOptionProvider else { return context.close(promise: nil) }
        // struct linger is { int l_onoff; int l_linger; }; its C initializer is not visible from this module.
        let lingerZero = unsafeBitCast((Int32(1), Int32(0)), to: NIOLinger.self)
        options.setSoLinger(lingerZero).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension UpstreamConnectionHandler: Sendable {}
