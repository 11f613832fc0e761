/// `networking.istio.io` VirtualService: routing rules for the hosts it names, bound to gateways.
public struct VirtualService: Sendable, Hashable {
    public var metadata: ResourceMetadata
    public var hosts: [String]
    public var gateways: [String]
    public var http: [HTTPRoute]
    public var tls: [TLSRoute]
    public var tcp: [TCPRoute]
    public var exportTo: [String]

    public init(
        metadata: ResourceMetadata,
        hosts: [String] = [],
        gateways: [String] = [],
        http: [HTTPRoute] = [],
        tls: [TLSRoute] = [],
        tcp: [TCPRoute] = [],
        exportTo: [String] = []
    ) {
        self.metadata = metadata
        self.hosts = hosts
        self.gateways = gateways
        self.http = http
        self.tls = tls
        self.tcp = tcp
        self.exportTo = exportTo
    }

    public struct TLSRoute: Sendable, Hashable {
        public var match: [TLSMatch]
        public var route: [RouteDestination]

        public init(match: [TLSMatch], route: [RouteDestination]) {
            self.match = match
            self.route = route
        }
    }

    /// `TLSMatchAttributes`.
    public struct TLSMatch: Sendable, Hashable {
        public var sniHosts: [String] = []
        public var destinationSubnets: [String] = []
        public var port: Int = 0
        public var sourceLabels: [String: String] = [:]
        public var gateways: [String] = []
        public var sourceNamespace: String = ""

        public init(sniHosts: [String] = [], port: Int = 0, gateways: [String] = []) {
            self.sniHosts = sniHosts
            self.port = port
            self.gateways = gateways
        }
    }

    public struct TCPRoute: Sendable, Hashable {
        public var match: [L4Match]
        public var route: [RouteDestination]

        public init(match: [L4Match] = [], route: [RouteDestination]) {
            self.match = match
            self.route = route
        }
    }

    /// `L4MatchAttributes`.
    public struct L4Match: Sendable, Hashable {
        public var destinationSubnets: [String] = []
        public var port: Int = 0
        public var sourceSubnet: String = ""
        public var sourceLabels: [String: String] = [:]
        public var gateways: [String] = []
        public var sourceNamespace: String = ""

        public init(port: Int = 0, gateways: [String] = []) {
            self.port = port
            self.gateways = gateways
        }
    }

    /// `RouteDestination`, and `HTTPRouteDestination` (which adds `headers`; nil in TLS and TCP routes).
    public struct RouteDestination: Sendable, Hashable {
        public var destination: Destination?
        public var weight: Int
        public var headers: Headers?

        public init(destination: Destination?, weight: Int = 0, headers: Headers? = nil) {
            self.destination = destination
            self.weight = weight
            self.headers = headers
        }
    }

    public struct Destination: Sendable, Hashable {
        public var host: String
        public var subset: String
        /// `port.number`; nil when `port` is absent (0 when `port: {}`).
        public var port: Int?

        public init(host: String, subset: String = "", port: Int? = nil) {
            self.host = host
            self.subset = subset
            self.port = port
        }
    }
}

extension VirtualService {
    public var id: ResourceID {
        ResourceID(kind: .virtualService, namespace: metadata.namespace, name: metadata.name)
    }
}
