import NIOCore
import Synchronization

/// Maps the simulated loopback addresses a scenario talks about (`127.0.10.1:443`) to the real sockets
/// the fake upstreams listen on (`127.0.10.1:40123`), so scenarios need no privileged ports.
public final class AddressMap: Sendable {
    private let entries = Mutex<[SimulatedAddress: SocketAddress]>([:])

    public init() {}

    /// Records that `simulated` is served by the socket listening at `real` (which must be loopback).
    public func register(_ simulated: SimulatedAddress, at real: SocketAddress) throws(AddressError) {
        try LoopbackCheck.require(real)
        entries.withLock { $0[simulated] = real }
    }

    /// Forgets `simulated`.
    public func remove(_ simulated: SimulatedAddress) {
        _ = entries.withLock { $0.removeValue(forKey: simulated) }
    }

    /// The real socket for `simulated`, or nil when nothing is registered there.
    public func realAddress(for simulated: SimulatedAddress) -> SocketAddress? {
        entries.withLock { $0[simulated] }
    }

    /// The real socket for the text `IP:port`: fails when it is malformed, not loopback or not registered.
    public func resolve(_ text: String) throws(AddressError) -> SocketAddress {
        let simulated = try SimulatedAddress(parsing: text)
        guard let real = realAddress(for: simulated) else { throw .notMapped(simulated.description) }
        return real
    }

    /// Every registered simulated address, sorted by its text.
    public var simulatedAddresses: [SimulatedAddress] {
        entries.withLock { $0.keys.sorted { $0.description < $1.description } }
    }
}
