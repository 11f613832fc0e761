import Glibc
import NIOCore

/// The channel side of a `ClientConnection`: records raw bytes, drives the TLS engine (confined to this
/// channel's event loop) and buffers plaintext until the owner reads it.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case handshaking
        case open
        /// No more plaintext will arrive (FIN or close_notify).
        case inputEnded
        case failed(ClientConnectionError)
    }

    private let engine: TLSEngine?
    private let writtenBytes: ByteRecorder
    private let readBytes: ByteRecorder
    private var phase: Phase
    private var plaintext: [UInt8] = []
    private var context: ChannelHandlerContext?
    private var handshakePromise: EventLoopPromise<Void>?
    private var readPromise: EventLoopPromise<[UInt8]?>?
    private var readTimeout: Scheduled<Void>?
    private var lastWrite: EventLoopFuture<Void>?
    private var handshakeDone = false

    init(tls: ClientTLSOptions?, captureCap: Int) throws(OpenSSLError) {
        writtenBytes = ByteRecorder(cap: captureCap)
        readBytes = ByteRecorder(cap: captureCap)
        if let tls {
            let context = try TLSContext(clientTrusting: tls.trustedRoots, verifyPeer: tls.verifiesPeer)
            engine = try TLSEngine(
                client: context,
                serverName: tls.serverName,
                verifyName: tls.verifiesPeer ? tls.verifyName : nil,
                alpn: tls.alpn
            )
            phase = .handshaking
        } else {
            engine = nil
            phase = .open
        }
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        guard let engine else { return }
        advanceHandshake(engine, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(buffer: unwrapInboundIn(data))
        readBytes.record(bytes)
        guard let engine else {
            plaintext.append(contentsOf: bytes)
            return deliver()
        }
        engine.feed(bytes)
        if case .handshaking = phase { advanceHandshake(engine, context: context) }
        guard case .open = phase else { return deliver() }
        do {
            while case .open = phase {
                switch try engine.read() {
                case .data(let chunk) where chunk.isEmpty: return deliver()
                case .data(let chunk): plaintext.append(contentsOf: chunk)
                case .closed: phase = .inputEnded
                }
            }
        } catch {
            phase = .failed(.tlsFailed(error))
        }
        deliver()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        inputEnded()
    }

    func channelInactive(context: ChannelHandlerContext) {
        inputEnded()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let isReset = (error as? IOError)?.errnoCode == ECONNRESET
        switch phase {
        case .handshaking: failHandshake(isReset ? .resetDuringHandshake : .ioFailed("\(error)"))
        case .open, .inputEnded: phase = .failed(isReset ? .reset : .ioFailed("\(error)"))
        case .failed: break
        }
        deliver()
        context.close(promise: nil)
    }

    private func inputEnded() {
        switch phase {
        case .handshaking: failHandshake(.closedDuringHandshake)
        case .open: phase = .inputEnded
        case .inputEnded, .failed: break
        }
        deliver()
    }

    // MARK: - Handshake

    private func advanceHandshake(_ engine: TLSEngine, context: ChannelHandlerContext) {
        do {
            let state = try engine.handshake()
            send(ciphertext: engine.takeOutput(), context: context)
            guard state == .complete else { return }
            phase = .open
            handshakeDone = true
            handshakePromise?.succeed()
            handshakePromise = nil
        } catch {
            send(ciphertext: engine.takeOutput(), context: context)  // the alert
            failHandshake(.handshakeFailed(error))
            context.close(promise: nil)
        }
    }

    private func failHandshake(_ error: ClientConnectionError) {
        phase = .failed(error)
        handshakePromise?.fail(error)
        handshakePromise = nil
    }

    /// Completes when the handshake has (at once for plain TCP), or fails with its error.
    func waitForHandshake(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        switch phase {
        case .handshaking:
            let promise = handshakePromise ?? eventLoop.makePromise()
            handshakePromise = promise
            return promise.futureResult
        case .failed(let error): return eventLoop.makeFailedFuture(error)
        case .open, .inputEnded: return eventLoop.makeSucceededVoidFuture()
        }
    }

    /// Gives up on the handshake (its deadline passed).
    func abandonHandshake() {
        guard case .handshaking = phase else { return }
        failHandshake(.handshakeTimedOut)
        context?.close(promise: nil)
    }

    var negotiated: NegotiatedTLS? {
        guard let engine else { return nil }
        return NegotiatedTLS(
            protocolVersion: engine.protocolVersion,
            cipher: engine.cipher,
            alpn: engine.negotiatedALPN,
            peerCertificate: engine.peerCertificate
        )
    }

    // MARK: - Reading

    /// The next plaintext available (waiting until `deadline`), or nil once the peer ended its output.
    func read(on eventLoop: any EventLoop, deadline: NIODeadline?) -> EventLoopFuture<[UInt8]?> {
        if !plaintext.isEmpty {
            defer { plaintext.removeAll() }
            return eventLoop.makeSucceededFuture(plaintext)
        }
        switch phase {
        case .failed(let error): return eventLoop.makeFailedFuture(error)
        case .inputEnded: return eventLoop.makeSucceededFuture(nil)
        case .handshaking, .open: break
        }
        let promise = readPromise ?? eventLoop.makePromise()
        readPromise = promise
        if let deadline {
            readTimeout?.cancel()
            readTimeout = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
                readPromise?.fail(ClientConnectionError.readTimedOut)
                readPromise = nil
            }
        }
        return promise.futureResult
    }

    /// Hands buffered plaintext, the end of input, or a failure to a waiting reader.
    private func deliver() {
        guard let promise = readPromise else { return }
        if !plaintext.isEmpty {
            promise.succeed(plaintext)
            plaintext.removeAll()
        } else {
            switch phase {
            case .failed(let error): promise.fail(error)
            case .inputEnded: promise.succeed(nil)
            case .handshaking, .open: return
            }
        }
        readPromise = nil
        readTimeout?.cancel()
        readTimeout = nil
    }

    // MARK: - Writing

    /// Sends `bytes` (encrypted on TLS); completes when they are on the wire.
    func write(_ bytes: [UInt8], on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, context.channel.isActive else {
            return eventLoop.makeFailedFuture(ClientConnectionError.notWritable)
        }
        guard let engine else { return send(ciphertext: bytes, context: context) }
        do {
            try engine.write(bytes)
        } catch {
            return eventLoop.makeFailedFuture(ClientConnectionError.tlsFailed(error))
        }
        return send(ciphertext: engine.takeOutput(), context: context)
    }

    /// Ends our output: close_notify on TLS, then a FIN (half-close); reading goes on.
    func closeOutput(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, context.channel.isActive else { return eventLoop.makeSucceededVoidFuture() }
        if let engine, handshakeDone {
            engine.shutdown()
            send(ciphertext: engine.takeOutput(), context: context)
        }
        let promise = eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: promise)
        return promise.futureResult
    }

    /// Closes the connection, sending close_notify first on an established TLS connection.
    func closeGracefully(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, context.channel.isActive else { return eventLoop.makeSucceededVoidFuture() }
        if let engine, handshakeDone {
            engine.shutdown()
            send(ciphertext: engine.takeOutput(), context: context)
        }
        let promise = eventLoop.makePromise(of: Void.self)
        context.close(promise: promise)
        return promise.futureResult
    }

    @discardableResult
    private func send(ciphertext bytes: [UInt8], context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        guard !bytes.isEmpty else { return lastWrite ?? context.eventLoop.makeSucceededVoidFuture() }
        writtenBytes.record(bytes)
        let write = context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)))
        lastWrite = write
        return write
    }

    // MARK: - Capture

    /// The raw bytes written to and read from the socket so far.
    var captured: (written: CapturedBytes, read: CapturedBytes) { (writtenBytes.captured, readBytes.captured) }
}

@available(*, unavailable)
extension ClientConnectionHandler: Sendable {}
