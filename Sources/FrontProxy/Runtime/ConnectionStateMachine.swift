import NIOCore
import TLSWire

/// The life of a proxied connection, from accept to close: read the ClientHello without consuming it, route
/// and find endpoints, connect the upstream while holding what the client sent (reading nothing more past a
/// limit), then splice until closed.
///
/// Pure: it performs no I/O. `ProxiedConnection` feeds it what the sockets did and acts on what it returns;
/// the connection's phase is this machine's state and nothing else.
struct ConnectionStateMachine {
    private enum State {
        /// Reading the ClientHello; `buffered` holds every byte seen so far, to forward untouched.
        case inspecting(ClientHelloReader, buffered: ByteBuffer?)
        /// Routed; finding the cluster's endpoints (perhaps waiting for DNS).
        case resolving(buffered: ByteBuffer)
        /// The upstream connect is in flight.
        case connecting(buffered: ByteBuffer)
        /// Bytes move both ways; the relay directions own them.
        case spliced
        case closed
    }

    /// The state without its payload, for the connection's deadlines and event dispatch.
    enum Phase: Equatable {
        case inspecting
        case resolving
        case connecting
        case spliced
        case closed
    }

    /// What inspecting the first bytes established.
    enum Inspection: Hashable {
        /// A ClientHello: route on its SNI.
        case clientHello(ClientHello)
        /// Not a ClientHello the proxy can read (not TLS, malformed, SSLv2): route as "no SNI", as Envoy's
        /// tls_inspector does, so only a catch-all chain can take it.
        case unrecognised(ClientHelloError)
        /// Nothing was read: an opaque TCP listener routes at accept.
        case notInspected

        var serverName: String? {
            guard case .clientHello(let hello) = self else { return nil }
            return hello.serverName
        }
    }

    enum ReceiveAction {
        /// Keep reading: the ClientHello is not complete.
        case keepReading
        /// Inspection finished: route the connection.
        case route(Inspection)
        /// The ClientHello exceeds the cap: close without forwarding anything.
        case rejectTooLarge(ClientHelloError)
        /// Bytes after the routing decision, held (in order) until the upstream is up.
        case held
        /// Bytes arriving once the connection is spliced or closed: not the machine's to keep.
        case ignore
    }

    private var state: State

    /// A connection whose ClientHello is read first (TLS listeners).
    init(maximumClientHelloLength: Int) {
        state = .inspecting(ClientHelloReader(maximumLength: maximumClientHelloLength), buffered: nil)
    }

    /// A connection routed before reading anything (opaque TCP listeners: the server may speak first).
    static func routingImmediately() -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 0)
        machine.state = .resolving(buffered: ByteBuffer())
        return machine
    }

    var phase: Phase {
        switch state {
        case .inspecting: .inspecting
        case .resolving: .resolving
        case .connecting: .connecting
        case .spliced: .spliced
        case .closed: .closed
        }
    }

    /// The most bytes held while routing and connecting (beyond them, the socket is not read).
    static let connectingReadLimit = 64 * 1024

    /// Whether the client socket may be read now: while the ClientHello is incomplete, and while routing
    /// and connecting as long as less than `connectingReadLimit` bytes wait. A TLS client sends nothing more
    /// until the server answers, so in practice reading stays armed (no epoll re-registration per
    /// connection) and the limit only holds back a client that streams without waiting. Once spliced, the
    /// relay directions decide.
    var allowsSetupRead: Bool {
        switch state {
        case .inspecting: true
        case .resolving(let buffered), .connecting(let buffered):
            buffered.readableBytes < Self.connectingReadLimit
        case .spliced, .closed: false
        }
    }

    mutating func received(_ buffer: ByteBuffer) -> ReceiveAction {
        switch state {
        case .resolving(var buffered):
            buffered.writeImmutableBuffer(buffer)
            state = .resolving(buffered: buffered)
            return .held
        case .connecting(var buffered):
            buffered.writeImmutableBuffer(buffer)
            state = .connecting(buffered: buffered)
            return .held
        case .spliced, .closed:
            return .ignore
        case .inspecting(var reader, var buffered):
            let outcome = buffer.withUnsafeReadableBytes { reader.feed($0) }
            if buffered == nil {
                buffered = buffer
            } else {
                buffered!.writeImmutableBuffer(buffer)
            }
            switch outcome {
            case .needMoreBytes:
                state = .inspecting(reader, buffered: buffered)
                return .keepReading
            case .complete(let hello):
                state = .resolving(buffered: buffered!)
                return .route(.clientHello(hello))
            case .failed(let error):
                if case .tooLarge = error {
                    state = .inspecting(reader, buffered: buffered)
                    return .rejectTooLarge(error)
                }
                state = .resolving(buffered: buffered!)
                return .route(.unrecognised(error))
            }
        }
    }

    /// The ClientHello wait expired, or the client closed its write side before the ClientHello was
    /// complete: true when that closes the connection (it is still inspecting). Closing is `closed()`'s
    /// job, as for every other way a connection ends.
    var endsOnInspectionFailure: Bool { phase == .inspecting }

    /// Endpoints are known and the upstream connect has started. False if the connection is not routing.
    mutating func connectStarted() -> Bool {
        guard case .resolving(let buffered) = state else { return false }
        state = .connecting(buffered: buffered)
        return true
    }

    /// The upstream is connected: returns the bytes to forward first, or nil if the connection was not
    /// connecting.
    mutating func upstreamConnected() -> ByteBuffer? {
        guard case .connecting(let buffered) = state else { return nil }
        state = .spliced
        return buffered
    }

    /// The connection closed, for any reason. Returns false when it already was (close is idempotent).
    mutating func closed() -> Bool {
        if case .closed = state { return false }
        state = .closed
        return true
    }
}
