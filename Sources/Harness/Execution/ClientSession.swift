import NIOCore
import Synchronization
import TestWorld

/// A client connection of a connect step with a reader running beside it, so a client that sends a lot
/// (100 MB through an echo) never blocks on its own unread replies. Later steps may continue it by name.
final class ClientSession: Sendable {
    enum End: Sendable, Equatable {
        /// The peer ended its output (FIN, or close_notify on TLS).
        case closed
        case reset
        case failed(String)
    }

    struct ReadState: Sendable {
        var count = 0
        /// The first bytes received (plaintext on TLS), up to `keptBytes`.
        var prefix: [UInt8] = []
        var end: End?
    }

    /// Bytes of received data kept for `received` checks.
    static let keptBytes = 1 << 20

    let connection: ClientConnection
    /// Upstream connection counts when it connected, to tell which upstream it reached.
    let baseline: LiveWorld.UpstreamBaseline
    let openedByStep: Int
    private let state = Mutex(ReadState())

    init(connection: ClientConnection, baseline: LiveWorld.UpstreamBaseline, openedByStep: Int) {
        self.connection = connection
        self.baseline = baseline
        self.openedByStep = openedByStep
    }

    /// Reads until the peer closes or the connection fails; bounded by the connection's life.
    func startReading() {
        Task {
            while true {
                do {
                    guard let bytes = try await connection.read(deadline: nil) else {
                        finish(.closed)
                        return
                    }
                    state.withLock { state in
                        state.count += bytes.count
                        let room = Self.keptBytes - state.prefix.count
                        if room > 0 { state.prefix += bytes.prefix(room) }
                    }
                } catch ClientConnectionError.reset {
                    finish(.reset)
                    return
                } catch {
                    finish(.failed("\(error)"))
                    return
                }
            }
        }
    }

    private func finish(_ end: End) {
        state.withLock { if $0.end == nil { $0.end = end } }
    }

    var read: ReadState { state.withLock { $0 } }

    /// Waits (bounded) until `condition` holds for what was read.
    func wait(timeout: Duration, until condition: (ReadState) -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while !condition(read), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
