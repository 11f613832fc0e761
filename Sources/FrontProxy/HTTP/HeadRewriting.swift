import MeshConfig

/// The request head the upstream receives and the response head the client receives, as Envoy's HTTP
/// connection manager and router rewrite them at a gateway. Pure functions over header lists.
enum HeadRewriting {
    /// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones Envoy consumes itself; never forwarded as received.
    /// `transfer-encoding` is forwarded: bodies pass through in their own framing.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "upgrade", "expect", "proxy-authenticate",
        "proxy-authorization", "trailer",
    ]

    struct ForwardedRequest {
        var method: String
        var path: String
        var authority: String
        /// The downstream client's address, appended to `x-forwarded-for`.
        var clientAddress: String
        /// Generated when the request has none.
        var requestID: String
        /// 1 for the first try (`x-envoy-attempt-count`).
        var attempt: Int
        /// The path as received, when a rewrite changed it (`x-envoy-original-path`).
        var originalPath: String?
        var timeout: Duration?
        var mutation: HeaderMutation
        /// `Upgrade` (WebSocket): the upgrade headers go on, as Envoy's upgrade support sends them.
        var upgrade: String?
    }

    /// The upstream request head, and the header list the access log reads (`%REQ(...)%`).
    static func upstreamRequest(
        _ request: ForwardedRequest,
        fields: [(name: String, value: String)]
    ) -> (bytes: [UInt8], headers: [HTTPExchangeFields.HeaderField]) {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(fields.count + 6)
        var forwardedFor: String?
        var requestID: String?
        for field in fields {
            let name = field.name.asciiLowercased()
            switch name {
            case "host", "x-forwarded-proto", "x-envoy-attempt-count", "x-envoy-original-path",
                "x-envoy-expected-rq-timeout-ms":
                continue
            case "x-forwarded-for":
                forwardedFor = forwardedFor.map { $0 + "," + field.value } ?? field.value
            case "x-request-id":
                requestID = requestID ?? field.value
            default:
                if hopByHop.contains(name) { continue }
                headers.append((name, field.value))
            }
        }
        // Envoy with use_remote_address appends the client's address and sets the scheme it arrived on.
        headers.append(
            ("x-forwarded-for", forwardedFor.map { "\($0),\(request.clientAddress)" } ?? request.clientAddress)
        )
        headers.append(("x-forwarded-proto", "http"))
        headers.append(("x-request-id", requestID ?? request.requestID))
        headers.append(("x-envoy-attempt-count", String(request.attempt)))
        if let originalPath = request.originalPath { headers.append(("x-envoy-original-path", originalPath)) }
        if let timeout = request.timeout {
            let (seconds, attoseconds) = timeout.components
            headers.append(
                ("x-envoy-expected-rq-timeout-ms", String(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            )
        }
        request.mutation.apply(to: &headers)
        if let upgrade = request.upgrade {
            headers.append(("connection", "upgrade"))
            headers.append(("upgrade", upgrade))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + headers.count * 32)
        bytes.append(contentsOf: "\(request.method) \(request.path) HTTP/1.1\r\nhost: \(request.authority)\r\n".utf8)
        for header in headers { append(header, to: &bytes) }
        bytes.append(contentsOf: "\r\n".utf8)
        var logged = headers.map { HTTPExchangeFields.HeaderField(name: $0.name, value: $0.value) }
        logged.append(HTTPExchangeFields.HeaderField(name: "host", value: request.authority))
        return (bytes, logged)
    }

    struct ForwardedResponse {
        var status: Int
        var reason: String
        /// Milliseconds from the request reaching the upstream to its response head.
        var upstreamServiceTime: Int64
        var mutation: HeaderMutation
        var extraHeaders: [(name: String, value: String)]
        /// The client connection closes after this response.
        var closing: Bool
        var upgrade: Bool
    }

    /// The response head the client receives, and the headers the access log reads (`%RESP(...)%`).
    static func downstreamResponse(
        _ response: ForwardedResponse,
        fields: [(name: String, value: String)]
    ) -> (bytes: [UInt8], headers: [HTTPExchangeFields.HeaderField]) {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(fields.count + 4)
        for field in fields {
            let name = field.name.asciiLowercased()
            if name == "server" || name == "x-envoy-upstream-service-time" { continue }
            if hopByHop.contains(name) && !(response.upgrade && (name == "upgrade" || name == "connection")) {
                continue
            }
            headers.append((name, field.value))
        }
        headers.append(("x-envoy-upstream-service-time", String(response.upstreamServiceTime)))
        // Envoy's server_header_transformation OVERWRITE with Istio's server name.
        headers.append(("server", "istio-envoy"))
        headers += response.extraHeaders
        response.mutation.apply(to: &headers)
        if response.closing && !response.upgrade { headers.append(("connection", "close")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + headers.count * 32)
        bytes.append(contentsOf: "HTTP/1.1 \(response.status) \(response.reason)\r\n".utf8)
        for header in headers { append(header, to: &bytes) }
        bytes.append(contentsOf: "\r\n".utf8)
        return (bytes, headers.map { HTTPExchangeFields.HeaderField(name: $0.name, value: $0.value) })
    }

    private static func append(_ header: (name: String, value: String), to bytes: inout [UInt8]) {
        bytes.append(contentsOf: header.name.utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: header.value.utf8)
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }
}
