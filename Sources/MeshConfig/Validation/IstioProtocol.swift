/// Istio's port protocols (`pkg/config/protocol`), parsed case-insensitively.
enum IstioProtocol: Equatable {
    case tcp, udp, grpc, grpcWeb, http, httpProxy, http2, https, tls, mongo, redis, mysql
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

    var isHTTP: Bool { [.http, .http2, .httpProxy, .grpc, .grpcWeb].contains(self) }
    var isTLS: Bool { self == .https || self == .tls }
    var isTCP: Bool { [.tcp, .https, .tls, .mongo, .redis, .mysql].contains(self) }
}
