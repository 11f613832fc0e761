/// Envoy's response flags for a TCP connection, printed by `%RESPONSE_FLAGS%` as comma-joined short names
/// (`UF,URX`), or `-` when none is set.
public struct ResponseFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `UH`: no healthy upstream hosts (no endpoints, DNS failure).
    public static let noHealthyUpstream = ResponseFlags(rawValue: 1 << 0)
    /// `UF`: the upstream connection failed (refused, reset while connecting, connect timeout).
    public static let upstreamConnectionFailure = ResponseFlags(rawValue: 1 << 1)
    /// `UO`: a configured connection limit was reached (circuit breaking).
    public static let upstreamOverflow = ResponseFlags(rawValue: 1 << 2)
    /// `NR`: no filter chain matched the connection (`filter_chain_not_found`).
    public static let noRouteFound = ResponseFlags(rawValue: 1 << 3)
    /// `URX`: the maximum number of connect attempts was reached.
    public static let upstreamRetryLimitExceeded = ResponseFlags(rawValue: 1 << 4)
    /// `NC`: the route names a cluster that does not exist (no ServiceEntry).
    public static let noClusterFound = ResponseFlags(rawValue: 1 << 5)
    /// `DT`: the connection reached its maximum duration.
    public static let durationTimeout = ResponseFlags(rawValue: 1 << 6)

    /// Short names in Envoy's print order (`source/common/stream_info/utility.h`).
    private static let shortNames: [(ResponseFlags, String)] = [
        (.noHealthyUpstream, "UH"), (.upstreamConnectionFailure, "UF"), (.upstreamOverflow, "UO"),
        (.noRouteFound, "NR"), (.upstreamRetryLimitExceeded, "URX"), (.noClusterFound, "NC"),
        (.durationTimeout, "DT"),
    ]

    /// The `%RESPONSE_FLAGS%` rendering: `-` when empty.
    public var description: String {
        guard !isEmpty else { return "-" }  // nearly every line: no arrays built
        let names = Self.shortNames.filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    /// Parses a `%RESPONSE_FLAGS%` rendering back (`-`, `NR`, `UF,URX`); `nil` on an unknown short name.
    public init?(shortNames text: String) {
        self = []
        guard text != "-" else { return }
        for name in text.split(separator: ",") {
            guard let flag = Self.shortNames.first(where: { $0.1 == name })?.0 else { return nil }
            insert(flag)
        }
    }
}
