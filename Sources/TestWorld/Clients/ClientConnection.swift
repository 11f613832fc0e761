import Glibc
import NIOCore
import NIOPosix

/// A test client connection over loopback, plain TCP or TLS (the OpenSSL engine on the channel's event
/// loop): send bytes, read bytes, half-close, close, and see every raw byte written and read. The
/// curl-equivalent runs on it; tests use it directly for non-HTTP cases (raw ClientHellos, echo).
public final class ClientConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>

    /// The address connected to.
    public let remoteAddress: SocketAddress
    /// What TLS negotiated (nil for plain TCP).
    public let tls: NegotiatedTLS?

    private init(
        channel: any Channel,
        handler: NIOLoopBound<ClientConnectionHandler>,
        remoteAddress: SocketAddress,
        tls: NegotiatedTLS?
    ) {
        self.channel = channel
        self.handler = handler
        self.remoteAddress = remoteAddress
        self.tls = tls
    }

    /// Connects to `address` (loopback only) and, with `tls`, completes the handshake.
    ///
    /// - Parameters:
    ///   - deadline: bounds the connect and the handshake together.
    ///   - connectTimeout: bounds the TCP connect alone.
    ///   - captureCap: raw bytes kept per direction (digests cover all).
    public static func connect(
        to address: SocketAddress,
        tls: ClientTLSOptions? = nil,
        connectTimeout: TimeAmount = .seconds(10),
        deadline: NIODeadline? = nil,
        captureCap: Int = ByteRecorder.defaultCap,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ClientConnection {
        try LoopbackCheck.require(address)
        var timeout = connectTimeout
        if let deadline { timeout = min(timeout, max(.zero, deadline - .now())) }
        let eventLoop = group.next()
        // The handler is handed over as soon as it exists: a failed handshake may remove it from the
        // pipeline before we could look it up there.
        let handlerPromise = eventLoop.makePromise(of: NIOLoopBound<ClientConnectionHandler>.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try ClientConnectionHandler(tls: tls, captureCap: captureCap)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        handlerPromise.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    }
                }
                .connect(to: address)
                .get()
        } catch let error as OpenSSLError {
            handlerPromise.fail(error)
            throw error
        } catch {
            handlerPromise.fail(error)
            throw Self.connectError(error, address: address.displayString)
        }
        let handler = try await handlerPromise.futureResult.get()
        do {
            let negotiated = try await eventLoop.flatSubmit { () -> EventLoopFuture<NegotiatedTLS?> in
                let timer = deadline.map { deadline in
                    eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { handler.value.abandonHandshake() }
                }
                return handler.value.waitForHandshake(on: eventLoop).map {
                    timer?.cancel()
                    return handler.value.negotiated
                }
            }.get()
            return ClientConnection(channel: channel, handler: handler, remoteAddress: address, tls: negotiated)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func connectError(_ error: any Error, address: String) -> ClientConnectionError {
        if case ChannelError.connectTimeout = error { return .connectTimedOut(address: address) }
        let io = (error as? IOError) ?? (error as? NIOConnectionError)?.connectionErrors.first?.error as? IOError
        if io?.errnoCode == ECONNREFUSED { return .refused(address: address) }
        return .connectFailed(address: address, reason: "\(error)")
    }

    /// Sends `bytes` (encrypted on TLS); returns once they are handed to the socket.
    public func send(_ bytes: [UInt8]) async throws {
        let handler = self.handler
        try await channel.eventLoop.flatSubmit { handler.value.write(bytes, on: handler.eventLoop) }.get()
    }

    /// The next bytes received, waiting until `deadline` (nil: forever); nil when the peer has ended its
    /// output (FIN, or close_notify on TLS). Throws on reset, TLS failure or timeout.
    public func read(deadline: NIODeadline? = nil) async throws -> [UInt8]? {
        let handler = self.handler
        return try await channel.eventLoop.flatSubmit { handler.value.read(on: handler.eventLoop, deadline: deadline) }
            .get()
    }

    /// Everything received until the peer ends its output, bounded by `limit` bytes and `deadline`.
    public func readToEnd(limit: Int = 64 * 1024 * 1024, deadline: NIODeadline? = nil) async throws -> [UInt8] {
        var received: [UInt8] = []
        while let bytes = try await read(deadline: deadline) {
            received.append(contentsOf: bytes)
            guard received.count <= limit else { throw ClientConnectionError.ioFailed("more than \(limit) bytes") }
        }
        return received
    }

    /// Half-closes: sends close_notify on TLS, then a FIN; the peer can still send.
    public func closeOutput() async throws {
        let handler = self.handler
        try await channel.eventLoop.flatSubmit { handler.value.closeOutput(on: handler.eventLoop) }.get()
    }

    /// Closes the connection (after close_notify on an established TLS connection).
    public func close() async {
        let handler = self.handler
        try? await channel.eventLoop.flatSubmit { handler.value.closeGracefully(on: handler.eventLoop) }.get()
        try? await channel.closeFuture.get()
    }

    /// Closes at once with an RST (SO_LINGER 0), as a client that crashes would.
    public func reset() async {
        let lingerZero = unsafeBitCast((Int32(1), Int32(0)), to: NIOLinger.self)
        try? await (channel as? any SocketOptionProvider)?.setSoLinger(lingerZero).get()
        try? await channel.close()
    }

    /// The raw bytes written to and read from the socket so far (ciphertext on TLS).
    public var captured: (written: CapturedBytes, read: CapturedBytes) {
        get async {
            let handler = self.handler
            return (try? await channel.eventLoop.submit { handler.value.captured }.get())
                ?? (CapturedBytes.empty, CapturedBytes.empty)
        }
    }
}
