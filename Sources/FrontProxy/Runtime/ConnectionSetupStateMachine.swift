import NIOCore
import TLSWire

/// The life of a downstream connection before its bytes are spliced: read the ClientHello without
/// consuming it, then hold those bytes (reading nothing more) until the upstream connection is up.
///
/// Pure: it performs no I/O. `ConnectionSetupHandler` feeds it events and carries out the actions.
struct ConnectionSetupStateMachine {
    private enum State {
        /// Reading the ClientHello; `buffered` holds every byte seen so far, to forward untouched.
        case inspecting(ClientHelloReader, buffered: ByteBuffer?)
        /// Routed; the upstream connect is in flight. `buffered` grows only up to `connectingReadLimit`
        /// (plus one read): past it no read is issued.
        case connecting(buffered: ByteBuffer)
        /// The glue handlers own the connection now.
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
        /// Inspection finished: route the connection; reads are suppressed until `upstreamConnected`.
        case route(Inspection)
        /// The ClientHello exceeds the cap: close without forwarding anything.
        case rejectTooLarge(ClientHelloError)
        /// Bytes after the decision: held with the ClientHello (routed) or dropped (closed).
        case ignore
    }

    private var state: State

    /// A connection whose ClientHello is read first (TLS listeners).
    init(maximumClientHelloLength: Int) {
        state = .inspecting(ClientHelloReader(maximumLength: maximumClientHelloLength), buffered: nil)
    }

    /// A connection routed before reading anything (opaque TCP listeners: the server may speak first).
    static func routingImmediately() -> ConnectionSetupStateMachine {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 0)
        machine.state = .connecting(buffered: ByteBuffer())
        return machine
    }

    /// Whether a `read()` request may pass to the socket: while the ClientHello is incomplete, and while the
    /// upstream connects as long as less than `connectingReadLimit` bytes wait. A TLS client sends nothing
    /// more until the server answers, so in practice reading stays armed (no epoll re-registration per
    /// connection) and the limit only holds back a client that streams without waiting.
    var allowsRead: Bool {
        switch state {
        case .inspecting: true
        case .connecting(let buffered): buffered.readableBytes < Self.connectingReadLimit
        case .spliced, .closed: false
        }
    }

    /// Whether the ClientHello is still being read (an opaque TCP connection never is).
    var isInspecting: Bool {
        if case .inspecting = state { return true }
        return false
    }

    /// The most bytes held while the upstream connects (beyond them, the socket is not read).
    static let connectingReadLimit = 64 * 1024

    mutating func received(_ buffer: ByteBuffer) -> ReceiveAction {
        if case .connecting(var buffered) = state {
            // Bytes after the ClientHello, before the upstream is up: keep them, in order. Bounded by
            // `connectingReadLimit` (plus one read), past which no read is issued.
            buffered.writeImmutableBuffer(buffer)
            state = .connecting(buffered: buffered)
            return .ignore
        }
        guard case .inspecting(var reader, var buffered) = state else { return .ignore }
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
            state = .connecting(buffered: buffered!)
            return .route(.clientHello(hello))
        case .failed(let error):
            if case .tooLarge = error {
                state = .closed
                return .rejectTooLarge(error)
            }
            state = .connecting(buffered: buffered!)
            return .route(.unrecognised(error))
        }
    }

    /// The ClientHello wait expired. Returns true when the connection must close (still inspecting).
    mutating func inspectionTimedOut() -> Bool {
        guard case .inspecting = state else { return false }
        state = .closed
        return true
    }

    /// The client closed its write side before the ClientHello was complete. Returns true when the
    /// connection must close for that reason (still inspecting).
    mutating func inputClosedDuringInspection() -> Bool {
        inspectionTimedOut()
    }

    /// The upstream is connected: returns the bytes to forward first, or nil if the connection is gone.
    mutating func upstreamConnected() -> ByteBuffer? {
        guard case .connecting(let buffered) = state else { return nil }
        state = .spliced
        return buffered
    }

    /// The connection closed (for any reason) during set-up.
    mutating func closed() {
        state = .closed
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }
}
