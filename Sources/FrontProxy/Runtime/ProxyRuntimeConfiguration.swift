import NIOCore

extension ProxyRuntime {
    /// Timeouts, limits and address mapping of a runtime. Defaults are Envoy's and Istio's.
    public struct Configuration: Sendable {
        /// How long to wait for a complete ClientHello (Envoy's `listener_filters_timeout`, 15 s).
        public var clientHelloTimeout: Duration = .seconds(15)
        /// The largest ClientHello read before giving up (Envoy's `max_client_hello_size`, 16 KiB).
        public var maximumClientHelloLength = 16_384
        /// The upstream connect timeout (Istio's `connectTimeout`, 10 s); one attempt is made.
        public var connectTimeout: Duration = .seconds(10)
        /// Close a connection when neither side has sent a byte for this long (tcp_proxy: 1 h); nil: never.
        public var idleTimeout: Duration? = .seconds(3600)
        /// How long connections on a removed listener or chain keep flowing after a plan change.
        public var drainTime: Duration = .seconds(5)
        /// Upstream connections allowed per cluster (circuit breaking); over it a connection gets `UO`.
        public var maximumConnectionsPerCluster: Int?
        /// Downstream connections allowed in all (Envoy's `global_downstream_max_connections`): over it a new
        /// connection is closed as soon as it is accepted, so every client already accepted can still open its
        /// upstream socket. nil: no cap.
        public var maximumDownstreamConnections: Int?
        /// Where a gateway server port binds, overriding the listener's `bind:port` (`--listen 443=ADDR:PORT`).
        public var listenAddresses: [Int: SocketAddress] = [:]
        /// When set, every gateway port without a `listenAddresses` entry binds an ephemeral port on this IP
        /// instead of `bind:port`: the harness gives each scenario a loopback IP of its own this way, and no
        /// scenario can open a port on another address.
        public var ephemeralListenIP: String?
        /// The clock timeouts run on; tests and the harness use a manual one and advance it.
        public var clock = ProxyClock.system
        /// Maps the upstream address a cluster names (what logs show) to the socket to connect to; nil keeps
        /// it. The harness uses it to send `127.0.10.1:443` to a fake upstream's ephemeral port.
        public var upstreamAddressMap: @Sendable (EndpointAddress) -> SocketAddress? = { _ in nil }
        /// Accept backlog of each listener.
        public var backlog: Int32 = 1024
        /// Data-plane threads; each has its own listening socket per listener. Default: one per core.
        public var threads = System.coreCount

        public init() {}
    }
}
