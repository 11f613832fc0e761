/// A response the gateway writes itself (Envoy's `sendLocalReply`): no route, no cluster, a failed upstream, a
/// redirect, a direct response, a fault abort, a rejected request.
struct LocalReply: Sendable, Equatable {
    var status: Int
    var body: [UInt8]
    /// Headers besides the ones every local reply has (`location`, CORS headers, route response headers).
    var headers: [(name: String, value: String)] = []
    /// `%RESPONSE_CODE_DETAILS%`.
    var details: String
    var flags: ResponseFlags = []
    /// The connection closes after this reply (a rejected request, or the client asked for it).
    var closesConnection = false

    static func == (lhs: LocalReply, rhs: LocalReply) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.details == rhs.details && lhs.flags == rhs.flags
            && lhs.closesConnection == rhs.closesConnection
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Envoy's replies for its failures, with Envoy's bodies.
    static func routeNotFound() -> LocalReply {
        LocalReply(status: 404, body: [], details: "route_not_found", flags: .noRouteFound)
    }

    static func clusterNotFound() -> LocalReply {
        LocalReply(status: 503, body: [], details: "cluster_not_found", flags: .noClusterFound)
    }

    static func noHealthyUpstream() -> LocalReply {
        LocalReply(
            status: 503,
            body: Array("no healthy upstream".utf8),
            details: "no_healthy_upstream",
            flags: .noHealthyUpstream
        )
    }

    static func upstreamOverflow() -> LocalReply {
        LocalReply(
            status: 503,
            body: Array("upstream connect error or disconnect/reset before headers. reset reason: overflow".utf8),
            details: "upstream_reset_before_response_started{overflow}",
            flags: .upstreamOverflow
        )
    }

    /// The upstream could not be reached (`UF`); `URX` too when this was a retry.
    static func connectFailure(_ reason: String, retried: Bool) -> LocalReply {
        resetBeforeHeaders(
            reason: "remote connection failure, transport failure reason: \(reason)",
            details: "remote_connection_failure|\(reason.replacingSpaces)",
            flag: .upstreamConnectionFailure,
            retried: retried
        )
    }

    /// The upstream reset or closed before its response headers (`UC`).
    static func upstreamReset(retried: Bool) -> LocalReply {
        resetBeforeHeaders(
            reason: "connection termination",
            details: "connection_termination",
            flag: .upstreamConnectionTermination,
            retried: retried
        )
    }

    /// Envoy's 503 for a stream reset before the upstream's headers, in its words.
    private static func resetBeforeHeaders(
        reason: String,
        details: String,
        flag: ResponseFlags,
        retried: Bool
    ) -> LocalReply {
        let prefix =
            retried
            ? "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: "
            : "upstream connect error or disconnect/reset before headers. reset reason: "
        var flags = flag
        if retried { flags.formUnion(.upstreamRetryLimitExceeded) }
        return LocalReply(
            status: 503,
            body: Array((prefix + reason).utf8),
            details: "upstream_reset_before_response_started{\(details)}",
            flags: flags
        )
    }

    static func upstreamTimeout() -> LocalReply {
        LocalReply(
            status: 504,
            body: Array("upstream request timeout".utf8),
            details: "upstream_response_timeout",
            flags: .upstreamRequestTimeout
        )
    }

    static func faultAbort(status: Int) -> LocalReply {
        LocalReply(
            status: status,
            body: Array("fault filter abort".utf8),
            details: "fault_filter_abort",
            flags: .faultInjected
        )
    }

    /// A request the codec refused: Envoy's downstream protocol error, and the connection closes.
    static func rejected(status: Int, details: String) -> LocalReply {
        LocalReply(
            status: status,
            body: Array(HTTPStatus.reason(status).utf8),
            details: details,
            flags: .downstreamProtocolError,
            closesConnection: true
        )
    }

    /// The bytes on the wire: status line, Envoy's headers, the body.
    func serialized(date: String, keepAlive: Bool, headRequest: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + body.count)
        bytes.append(contentsOf: "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n".utf8)
        if !body.isEmpty {
            bytes.append(contentsOf: "content-length: \(body.count)\r\n".utf8)
            if !headers.contains(where: { $0.name == "content-type" }) {
                bytes.append(contentsOf: "content-type: text/plain\r\n".utf8)
            }
        } else {
            bytes.append(contentsOf: "content-length: 0\r\n".utf8)
        }
        for header in headers { bytes.append(contentsOf: "\(header.name): \(header.value)\r\n".utf8) }
        bytes.append(contentsOf: "date: \(date)\r\nserver: istio-envoy\r\n".utf8)
        if !keepAlive || closesConnection { bytes.append(contentsOf: "connection: close\r\n".utf8) }
        bytes.append(contentsOf: "\r\n".utf8)
        if !headRequest { bytes.append(contentsOf: body) }
        return bytes
    }
}

extension String {
    /// Envoy writes spaces in response code details as underscores.
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "_" : $0 }) }
}

/// Reason phrases, as Envoy writes them.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Payload Too Large"
        case 414: "URI Too Long"
        case 417: "Expectation Failed"
        case 418: "I'm a teapot"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}
