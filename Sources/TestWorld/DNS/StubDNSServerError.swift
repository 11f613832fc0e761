/// Why the stub DNS server could not start or take a record.
public enum StubDNSServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Test servers listen on loopback only (127.0.0.0/8 or ::1).
    case nonLoopbackAddress(String)
    /// Simulated addresses are loopback only, so the stub never hands out another.
    case nonLoopbackRecord(String)
    /// No port was free for both UDP and TCP after several tries.
    case noCommonPort(host: String, attempts: Int)

    public var description: String {
        switch self {
        case .nonLoopbackAddress(let host):
            "stub DNS server: \(host) is not a loopback address (only 127.0.0.0/8 and ::1 are allowed)"
        case .nonLoopbackRecord(let address):
            "stub DNS server: record address \(address) is not loopback (only 127.0.0.0/8 and ::1 are allowed)"
        case .noCommonPort(let host, let attempts):
            "stub DNS server: no port on \(host) was free for both UDP and TCP after \(attempts) tries"
        }
    }
}
