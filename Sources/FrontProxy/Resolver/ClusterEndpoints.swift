import NIOCore
import Synchronization

/// The endpoints of one cluster and the choice of endpoint for each new connection, by Istio's
/// ServiceEntry resolution.
public final class ClusterEndpoints: Sendable {
    /// Where the endpoints come from.
    public enum Resolution: Hashable, Sendable {
        /// `STATIC`: the given endpoints, no DNS.
        case `static`([SocketAddress])
        /// `DNS` (Envoy STRICT_DNS): every address of the answer is an endpoint, in answer order.
        case dns(host: String, port: Int)
        /// `DNS_ROUND_ROBIN` (Envoy LOGICAL_DNS): only the first address of the answer is used.
        case dnsRoundRobin(host: String, port: Int)
    }

    public let resolution: Resolution
    private let resolver: DNSResolver
    /// Round-robin position shared by every connection of the cluster.
    private let nextIndex = Atomic<Int>(0)

    public init(_ resolution: Resolution, resolver: DNSResolver) {
        self.resolution = resolution
        self.resolver = resolver
    }

    /// The current endpoints: the static list, every answer (STRICT_DNS) or the first one (LOGICAL_DNS),
    /// each with the cluster's port. Fails with `ResolverError` when the name does not resolve.
    public func endpoints(on eventLoop: any EventLoop) -> EventLoopFuture<[SocketAddress]> {
        switch resolution {
        case .static(let endpoints):
            return eventLoop.makeSucceededFuture(endpoints)
        case .dns(let host, let port):
            return resolver.resolve(host, on: eventLoop).map { answer in
                answer.addresses.map { Self.withPort($0, port) }
            }
        case .dnsRoundRobin(let host, let port):
            return resolver.resolve(host, on: eventLoop).map { answer in
                answer.addresses.prefix(1).map { Self.withPort($0, port) }
            }
        }
    }

    /// The endpoint for a new connection, round-robin over `endpoints(on:)`. Fails with `ResolverError`
    /// (DNS failure) or `ClusterEndpointsError.noEndpoints`: either way Envoy's `UH`.
    public func nextEndpoint(on eventLoop: any EventLoop) -> EventLoopFuture<SocketAddress> {
        endpoints(on: eventLoop).flatMapThrowing { [self] endpoints in
            guard !endpoints.isEmpty else { throw ClusterEndpointsError.noEndpoints(resolution) }
            let position = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            return endpoints[Int(UInt(bitPattern: position) % UInt(endpoints.count))]
        }
    }

    private static func withPort(_ address: SocketAddress, _ port: Int) -> SocketAddress {
        var address = address
        address.port = port
        return address
    }
}

/// A cluster with nothing to connect to.
public enum ClusterEndpointsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The resolution produced no endpoint (an empty static list).
    case noEndpoints(ClusterEndpoints.Resolution)

    public var description: String {
        switch self {
        case .noEndpoints(let resolution): "no endpoints for \(resolution)"
        }
    }
}
