import InternetAddress
import MeshConfig
import NIOCore
import NIOPosix

/// Finds a cluster's endpoints the way Istio's service resolutions ask Envoy to: `STATIC` uses the
/// listed IPs, `EDS` (a Kubernetes Service) the ready EndpointSlice addresses istiod would send, `DNS`
/// (STRICT_DNS) makes every A/AAAA answer of every endpoint name an endpoint, in answer order,
/// `DNS_ROUND_ROBIN` (LOGICAL_DNS) uses only the first answer, and `NONE` has nothing to connect to on a
/// gateway. Answers come from the resolver's TTL cache, so a cluster is re-resolved only when its
/// records expire. Queries run on SwiftNIO event loops of `group`, never on the data plane's threads.
public struct ClusterEndpointResolver: ClusterEndpointResolving {
    private let dns: DNSResolver?
    private let group: any EventLoopGroup

    /// - Parameters:
    ///   - dns: the resolver for DNS clusters; without one, a DNS cluster fails (`UH`) with a message saying
    ///     so.
    ///   - group: where DNS queries run.
    public init(dns: DNSResolver?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.dns = dns
        self.group = group
    }

    public func endpoints(
        of cluster: ClusterPlan,
        completion: @escaping @Sendable (Result<[WeightedEndpoint], any Error>) -> Void
    ) {
        endpoints(of: cluster, on: group.any()).whenComplete(completion)
    }

    public func endpoints(of cluster: ClusterPlan, on eventLoop: any EventLoop) -> EventLoopFuture<[WeightedEndpoint]> {
        if let fixed = Self.fixedEndpoints(of: cluster) { return eventLoop.makeCompletedFuture(fixed) }
        let lookups = cluster.endpoints.map { endpoint in resolve(endpoint, on: eventLoop) }
        return EventLoopFuture.whenAllSucceed(lookups, on: eventLoop).map { answers in
            Self.selected(answers.flatMap { $0 }, for: cluster)
        }
    }

    /// STATIC, EDS and NONE clusters always; DNS clusters when every endpoint name is in the resolver's cache
    /// (a connection then needs no query, no future and no thread hop).
    public func immediateEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>? {
        if let fixed = Self.fixedEndpoints(of: cluster) { return fixed }
        var all: [WeightedEndpoint] = []
        for endpoint in cluster.endpoints {
            guard endpoint.needsResolution else {
                do { all.append(try Self.literal(endpoint)) } catch { return .failure(error) }
                continue
            }
            switch dns?.cachedAnswer(endpoint.address) {
            case .success(let answer): all += Self.endpoints(of: answer, for: endpoint)
            case .failure(let error): return .failure(error)
            case nil: return nil
            }
        }
        return .success(Self.selected(all, for: cluster))
    }

    /// The endpoints of a cluster that needs no DNS (STATIC, EDS, NONE); nil for DNS clusters.
    private static func fixedEndpoints(of cluster: ClusterPlan) -> Result<[WeightedEndpoint], any Error>? {
        switch cluster.resolution {
        case .none: .success([])
        case .static, .eds: Result { try cluster.endpoints.map(literal) }
        case .strictDNS, .logicalDNS: nil
        }
    }

    /// Every answer is an endpoint for STRICT_DNS; LOGICAL_DNS uses only the first.
    private static func selected(_ all: [WeightedEndpoint], for cluster: ClusterPlan) -> [WeightedEndpoint] {
        cluster.resolution == .logicalDNS ? Array(all.prefix(1)) : all
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
        return dns.resolve(endpoint.address, on: eventLoop).map { answer in Self.endpoints(of: answer, for: endpoint) }
    }

    /// The answer's addresses as endpoints on the endpoint's port and weight (address bytes read straight
    /// from the socket addresses, no text round trip: a cached answer is converted on every connection).
    private static func endpoints(of answer: DNSAnswer, for endpoint: EndpointPlan) -> [WeightedEndpoint] {
        answer.addresses.compactMap { address in
            guard var resolved = SocketAddressStorage(address).endpoint else { return nil }
            resolved.port = endpoint.port
            return WeightedEndpoint(address: resolved, weight: endpoint.weight)
        }
    }

    /// An endpoint that is an IP literal.
    private static func literal(_ endpoint: EndpointPlan) throws -> WeightedEndpoint {
        guard let bytes = IPLiteral.parse(endpoint.address),
            let address = EndpointAddress(addressBytes: bytes, port: endpoint.port)
        else { throw ResolverError(name: endpoint.address, nameserver: nil, reason: .invalidHost("not an IP address")) }
        return WeightedEndpoint(address: address, weight: endpoint.weight)
    }
}
