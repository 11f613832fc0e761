/// Envoy's response flags, printed by `%RESPONSE_FLAGS%` as comma-joined short names (`UF,URX`) and by
/// `%RESPONSE_FLAGS_LONG%` as comma-joined long names (`UpstreamConnectionFailure,UpstreamRetryLimitExceeded`),
/// or `-` when none is set. The bits follow Envoy's `CoreResponseFlag` order, which is also the print order
/// (`source/common/stream_info/utility.h`).
public struct ResponseFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `LH`: the local health check failed.
    public static let failedLocalHealthCheck = ResponseFlags(rawValue: 1 << 0)
    /// `UH`: no healthy upstream hosts (no endpoints, DNS failure).
    public static let noHealthyUpstream = ResponseFlags(rawValue: 1 << 1)
    /// `UT`: the upstream did not answer within the route's timeout (HTTP 504).
    public static let upstreamRequestTimeout = ResponseFlags(rawValue: 1 << 2)
    /// `LR`: the connection was reset locally.
    public static let localReset = ResponseFlags(rawValue: 1 << 3)
    /// `UR`: the upstream reset the stream.
    public static let upstreamRemoteReset = ResponseFlags(rawValue: 1 << 4)
    /// `UF`: the upstream connection failed (refused, reset while connecting, connect timeout).
    public static let upstreamConnectionFailure = ResponseFlags(rawValue: 1 << 5)
    /// `UC`: the upstream connection ended before a response.
    public static let upstreamConnectionTermination = ResponseFlags(rawValue: 1 << 6)
    /// `UO`: a configured connection limit was reached (circuit breaking).
    public static let upstreamOverflow = ResponseFlags(rawValue: 1 << 7)
    /// `NR`: no filter chain (TCP) or route (HTTP) matched.
    public static let noRouteFound = ResponseFlags(rawValue: 1 << 8)
    /// `DI`: the request was delayed by fault injection.
    public static let delayInjected = ResponseFlags(rawValue: 1 << 9)
    /// `FI`: the request was aborted by fault injection.
    public static let faultInjected = ResponseFlags(rawValue: 1 << 10)
    /// `RL`: rate limited.
    public static let rateLimited = ResponseFlags(rawValue: 1 << 11)
    /// `UAEX`: refused by an external authorization service.
    public static let unauthorizedExternalService = ResponseFlags(rawValue: 1 << 12)
    /// `RLSE`: the rate limit service failed.
    public static let rateLimitServiceError = ResponseFlags(rawValue: 1 << 13)
    /// `DC`: the downstream connection ended before the response was complete.
    public static let downstreamConnectionTermination = ResponseFlags(rawValue: 1 << 14)
    /// `URX`: the maximum number of attempts (retries or connect attempts) was reached.
    public static let upstreamRetryLimitExceeded = ResponseFlags(rawValue: 1 << 15)
    /// `SI`: the stream idle timeout fired.
    public static let streamIdleTimeout = ResponseFlags(rawValue: 1 << 16)
    /// `IH`: invalid `x-envoy-*` request headers.
    public static let invalidEnvoyRequestHeaders = ResponseFlags(rawValue: 1 << 17)
    /// `DPE`: the downstream request was malformed (HTTP codec error).
    public static let downstreamProtocolError = ResponseFlags(rawValue: 1 << 18)
    /// `UMSDR`: the upstream stream reached its maximum duration.
    public static let upstreamMaxStreamDurationReached = ResponseFlags(rawValue: 1 << 19)
    /// `RFCF`: the response came from a cache filter.
    public static let responseFromCacheFilter = ResponseFlags(rawValue: 1 << 20)
    /// `NFCF`: a filter configuration was missing.
    public static let noFilterConfigFound = ResponseFlags(rawValue: 1 << 21)
    /// `DT`: the connection or stream reached its maximum duration.
    public static let durationTimeout = ResponseFlags(rawValue: 1 << 22)
    /// `UPE`: the upstream response was malformed.
    public static let upstreamProtocolError = ResponseFlags(rawValue: 1 << 23)
    /// `NC`: the route names a cluster that does not exist (no ServiceEntry).
    public static let noClusterFound = ResponseFlags(rawValue: 1 << 24)
    /// `OM`: the overload manager ended the request.
    public static let overloadManager = ResponseFlags(rawValue: 1 << 25)
    /// `DF`: DNS resolution failed.
    public static let dnsResolutionFailed = ResponseFlags(rawValue: 1 << 26)
    /// `DO`: dropped by overload (drop_overload).
    public static let dropOverload = ResponseFlags(rawValue: 1 << 27)
    /// `DR`: the downstream reset the stream.
    public static let downstreamRemoteReset = ResponseFlags(rawValue: 1 << 28)

    /// Short and long names in Envoy's print order.
    private static let names: [(flag: ResponseFlags, short: String, long: String)] = [
        (.failedLocalHealthCheck, "LH", "FailedLocalHealthCheck"), (.noHealthyUpstream, "UH", "NoHealthyUpstream"),
        (.upstreamRequestTimeout, "UT", "UpstreamRequestTimeout"), (.localReset, "LR", "LocalReset"),
        (.upstreamRemoteReset, "UR", "UpstreamRemoteReset"),
        (.upstreamConnectionFailure, "UF", "UpstreamConnectionFailure"),
        (.upstreamConnectionTermination, "UC", "UpstreamConnectionTermination"),
        (.upstreamOverflow, "UO", "UpstreamOverflow"), (.noRouteFound, "NR", "NoRouteFound"),
        (.delayInjected, "DI", "DelayInjected"), (.faultInjected, "FI", "FaultInjected"),
        (.rateLimited, "RL", "RateLimited"), (.unauthorizedExternalService, "UAEX", "UnauthorizedExternalService"),
        (.rateLimitServiceError, "RLSE", "RateLimitServiceError"),
        (.downstreamConnectionTermination, "DC", "DownstreamConnectionTermination"),
        (.upstreamRetryLimitExceeded, "URX", "UpstreamRetryLimitExceeded"),
        (.streamIdleTimeout, "SI", "StreamIdleTimeout"),
        (.invalidEnvoyRequestHeaders, "IH", "InvalidEnvoyRequestHeaders"),
        (.downstreamProtocolError, "DPE", "DownstreamProtocolError"),
        (.upstreamMaxStreamDurationReached, "UMSDR", "UpstreamMaxStreamDurationReached"),
        (.responseFromCacheFilter, "RFCF", "ResponseFromCacheFilter"),
        (.noFilterConfigFound, "NFCF", "NoFilterConfigFound"), (.durationTimeout, "DT", "DurationTimeout"),
        (.upstreamProtocolError, "UPE", "UpstreamProtocolError"), (.noClusterFound, "NC", "NoClusterFound"),
        (.overloadManager, "OM", "OverloadManagerTerminated"), (.dnsResolutionFailed, "DF", "DnsResolutionFailed"),
        (.dropOverload, "DO", "DropOverload"), (.downstreamRemoteReset, "DR", "DownstreamRemoteReset"),
    ]

    /// The `%RESPONSE_FLAGS%` rendering: `-` when empty.
    public var description: String {
        guard !isEmpty else { return "-" }  // nearly every line: no arrays built
        let names = Self.names.filter { contains($0.flag) }.map(\.short)
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    /// The `%RESPONSE_FLAGS_LONG%` rendering: `-` when empty.
    public var longDescription: String {
        guard !isEmpty else { return "-" }
        let names = Self.names.filter { contains($0.flag) }.map(\.long)
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    /// Parses a `%RESPONSE_FLAGS%` or `%RESPONSE_FLAGS_LONG%` rendering back (`-`, `NR`, `UF,URX`); nil on an
    /// unknown name.
    public init?(shortNames text: String) {
        self = []
        guard text != "-" else { return }
        for name in text.split(separator: ",") {
            guard let flag = Self.names.first(where: { $0.short == name || $0.long == name })?.flag else { return nil }
            insert(flag)
        }
    }
}
