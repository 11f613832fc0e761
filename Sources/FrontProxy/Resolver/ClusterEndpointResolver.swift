import MeshConfig
import NIOCore

/// Finds a cluster's endpoints the way Istio's ServiceEntry resolutions ask Envoy to: `STATIC` uses the
/// listed IPs, `DNS` (STRICT_DNS) makes every A/AAAA answer of every endpoint name an endpoint, in answer
/// order, `DNS_ROUND_ROBIN` (LOGICAL_DNS) uses only the first answer, and `NONE` has nothing to connect to
/// on a gateway. Answers come from the resolver's TTL cache, so a cluster is re-resolved only when its
/// records expire.
public struct ClusterEndpointResolver: ClusterEndpointResolving {
    private let dns: DNSResolver?

    /// - Parameter dns: the resolver for DNS clusters; without one, a DNS cluster fails (`UH`) with a
    ///   message saying so.
    public init(dns: DNSResolver?) {
        self.dns = dns
    }

    public func endpoints(of cluster: ClusterPlan, on eventLoop: any EventLoop) -> EventLoopFuture<[WeightedEndpoint]> {
        switch cluster.resolution {
        case .none:
            return eventLoop.makeSucceededFuture([])
        case .static:
            return eventLoop.makeCompletedFuture { try cluster.endpoints.map(Self.literal) }
        case .strictDNS, .logicalDNS:
            let lookups = cluster.endpoints.map { endpoint in resolve(endpoint, on: eventLoop) }
            return EventLoopFuture.whenAllSucceed(lookups, on: eventLoop).map { answers in
                let all = answers.flatMap { $0 }
                return cluster.resolution == .logicalDNS ? Array(all.prefix(1)) : all
            }
        }
    }

    public func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>? {
        switch cluster.resolution {
        case .none: .success([])
        case .static: Result { try cluster.endpoints.map(Self.literal) }
        case .strictDNS, .logicalDNS: nil
        }
    }

    private func resolve(_ endpoint: EndpointPlan, on eventLoop: any EventLoop) -> EventLoopFuture<[WeightedEndpoint]> {
        guard endpoint.needsResolution else {
            return eventLoop.makeCompletedFuture { [try Self.literal(endpoint)] }
        }
        guard let dns else {
            return eventLoop.makeFailedFuture(
                ResolverError(name: endpoint.address, nameserver: nil, reason: .noNameservers)
            )
        }
        return dns.resolve(endpoint.address, on: eventLoop).map { answer in
            answer.addresses.compactMap { address in
                guard let host = address.ipAddress, let bytes = IPAddressText.parse(host[...]) else { return nil }
                return EndpointAddress(addressBytes: bytes, port: endpoint.port).map {
                    WeightedEndpoint(address: $0, weight: endpoint.weight)
                }
            }
        }
    }

    /// An endpoint that is an IP literal.
    private static func literal(_ endpoint: EndpointPlan) throws -> WeightedEndpoint {
        guard let bytes = IPAddressText.parse(endpoint.address[...]),
            let address = EndpointAddress(addressBytes: bytes, port: endpoint.port)
        else { throw ResolverError(name: endpoint.address, nameserver: nil, reason: .invalidHost("not an IP address")) }
        return WeightedEndpoint(address: address, weight: endpoint.weight)
    }
}
