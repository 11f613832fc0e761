/// A simulated or real address the harness cannot use.
public enum AddressError: Error, Hashable, CustomStringConvertible {
    /// The text is not `IP:port` or `[IPv6]:port`; `reason` says what is wrong with it.
    case malformed(String, reason: String)
    /// The address is not in 127.0.0.0/8 or ::1.
    case notLoopback(String)
    /// Nothing is registered for the simulated address.
    case notMapped(String)

    public var description: String {
        switch self {
        case .malformed(let text, let reason): "'\(text)' is not an IP:port address: \(reason)"
        case .notLoopback(let text):
            "\(text) is not a loopback address: the harness only talks to 127.0.0.0/8 and ::1"
        case .notMapped(let text): "no upstream is registered at simulated address \(text)"
        }
    }
}
