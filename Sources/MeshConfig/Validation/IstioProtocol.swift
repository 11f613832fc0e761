/// Istio's port protocols (`pkg/config/protocol`), parsed case-insensitively.
enum IstioProtocol: Equatable {
    case tcp, udp, grpc, grpcWeb, http, httpProxy, http2, https, tls, mongo, redis, mysql
    /// `UnsupportedProtocol`: not declared, so the proxy sniffs it.
    case unsupported

    init(_ name: String) {
        switch name.lowercased() {
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "grpc": self = .grpc
        case "grpc-web": self = .grpcWeb
        case "http": self = .http
        case "http_proxy": self = .httpProxy
        case "http2": self = .http2
        case "https": self = .https
        case "tls": self = .tls
        case "mongo": self = .mongo
        case "redis": self = .redis
        case "mysql": self = .mysql
        default: self = .unsupported
        }
    }

    /// Ports that default to TCP when their name says nothing (`wellKnownPorts`: SMTP, DNS, MySQL, MongoDB),
    /// since sniffing would break the protocols that speak first from the server.
    private static let wellKnownTCPPorts: Set<Int> = [25, 53, 3306, 27017]

    /// `kube.ConvertProtocol`: a Kubernetes Service port's protocol from its `appProtocol`, else its name's
    /// prefix before the first `-` (`http-web`, `grpc-web-x`, `tcp`), UDP when the port is UDP.
    init(kubernetesPort port: Int, name: String, protocol: String, appProtocol: String?) {
        if `protocol` == "UDP" {
            self = .udp
            return
        }
        var candidate = name
        if let appProtocol {
            candidate = appProtocol
            // Kubernetes' own appProtocol names (name itself cannot hold these).
            switch appProtocol {
            case "kubernetes.io/h2c":
                self = .http2
                return
            case "kubernetes.io/ws":
                self = .http
                return
            case "kubernetes.io/wss":
                self = .https
                return
            default: break
            }
        }
        if candidate.utf8.count >= 8 && candidate.prefix(8).lowercased() == "grpc-web" {
            self = .grpcWeb
            return
        }
        if let dash = candidate.firstIndex(of: "-") { candidate = String(candidate[..<dash]) }
        let parsed = IstioProtocol(candidate)
        self = parsed == .unsupported && Self.wellKnownTCPPorts.contains(port) ? .tcp : parsed
    }

    /// Istio's name for it (`protocol.Instance`): `HTTP`, `GRPC-Web`, `Mongo`, `UnsupportedProtocol`, ...
    var name: String {
        switch self {
        case .tcp: "TCP"
        case .udp: "UDP"
        case .grpc: "GRPC"
        case .grpcWeb: "GRPC-Web"
        case .http: "HTTP"
        case .httpProxy: "HTTP_PROXY"
        case .http2: "HTTP2"
        case .https: "HTTPS"
        case .tls: "TLS"
        case .mongo: "Mongo"
        case .redis: "Redis"
        case .mysql: "MySQL"
        case .unsupported: "UnsupportedProtocol"
        }
    }

    var isHTTP: Bool { [.http, .http2, .httpProxy, .grpc, .grpcWeb].contains(self) }
    var isTLS: Bool { self == .https || self == .tls }
    var isTCP: Bool { [.tcp, .https, .tls, .mongo, .redis, .mysql].contains(self) }
}
