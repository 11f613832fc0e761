/// A parsed (or built) request head.
///
/// The derived facts (`host` … `bodyFraming`) are computed once, when the
/// head is parsed or initialised, and describe the message as received.
/// Editing `headers` afterwards (to forward a changed head) does not update
/// them; that is deliberate: framing decisions must follow what the client
/// sent, not what the proxy forwards.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: String
    public var target: HTTPRequestTarget
    public var version: HTTPVersion
    /// Field lines in the order received.
    public var headers: HTTPFields

    /// Authority of an absolute-form or authority-form target, else the Host
    /// field value (RFC 9112 §3.2.2: the target wins). nil only for an
    /// HTTP/1.0 request without Host.
    public internal(set) var host: String?
    public internal(set) var contentLength: Int?
    public internal(set) var isChunked: Bool
    /// Whether the connection may carry another request after this one.
    public internal(set) var keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request.
    public internal(set) var expectsContinue: Bool
    /// The Upgrade value, when Connection lists "upgrade" (HTTP/1.1 only).
    public internal(set) var upgrade: String?
    /// Lower-cased Connection options, in order.
    public internal(set) var connectionTokens: [String]
    public internal(set) var bodyFraming: HTTPBodyFraming

    /// Derive the facts from `facts` (gathered while the fields were read),
    /// in Envoy's order of checks: CONNECT body (`onHeadersCompleteImpl`),
    /// CL+TE, the Transfer-Encoding value, then Host (`requestHeadersValid`,
    /// then the connection manager's missing-Host check).
    init(
        method: String,
        target: HTTPRequestTarget,
        version: HTTPVersion,
        headers: consuming HTTPFields,
        facts: inout FieldFacts
    ) throws(HTTPParseError) {
        let isConnect = Methods.isCONNECT(method)
        if isConnect, let length = facts.contentLength, length != 0 {
            // RFC 9110 §9.3.6: a CONNECT body has no defined semantics;
            // Envoy drops "Content-Length: 0" and refuses anything else.
            throw .connectWithBody
        }
        if facts.transferEncodingCount > 0 {
            if facts.contentLengthCount > 0 { throw .contentLengthAndChunked }
            if version == .http10 { throw .transferEncodingInHTTP10 }
            if !facts.transferEncodingIsChunked || isConnect { throw .invalidTransferEncoding }
        }
        if facts.hostCount > 1 { throw .multipleHost }
        if facts.hostInvalid { throw .invalidHost }
        // RFC 9112 §3.2.2: with an absolute-form target the proxy MUST ignore
        // Host and use the target's authority; authority-form likewise names
        // the host. Envoy's handlePath does the same (setHost).
        if target.form == .absolute || target.form == .authority {
            host = target.authority
        } else if facts.hostIndex >= 0 {
            host = headers.value(at: facts.hostIndex)
        } else {
            // RFC 9112 §3.2: a 1.1 request without Host is 400. HTTP/1.0 may
            // omit it (Envoy would need default_host_for_http_10).
            if version == .http11 { throw .missingHost }
            host = nil
        }
        contentLength = facts.contentLength
        isChunked = facts.transferEncodingIsChunked
        // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive".
        keepAlive =
            version == .http11
            ? !facts.connectionClose
            : facts.connectionKeepAlive && !facts.connectionClose
        // RFC 9110 §10.1.1: ignore 100-continue in an HTTP/1.0 request.
        expectsContinue = version == .http11 && facts.expectContinue
        // RFC 9110 §7.8: Upgrade counts only when Connection names it, and a
        // server MUST ignore it in an HTTP/1.0 request.
        upgrade =
            version == .http11 && facts.connectionUpgrade
            ? joinedValues(headers, facts.upgradeIndices) : nil
        if isChunked {
            bodyFraming = .chunked
        } else if let length = facts.contentLength, length > 0 {
            bodyFraming = .contentLength(length)
        } else {
            // RFC 9112 §6.3 ¶7: a request without either has no body.
            bodyFraming = .none
        }
        connectionTokens = facts.connectionTokens
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// Build a head in code (e.g. a request the proxy originates). Runs the
    /// same semantic checks as the parser; byte-level validity of names and
    /// values is checked when the head is serialized.
    public init(
        method: String,
        target: HTTPRequestTarget,
        version: HTTPVersion = .http11,
        headers: HTTPFields
    ) throws(HTTPParseError) {
        guard !method.isEmpty, method.utf8.allSatisfy(ByteClass.isToken) else { throw .invalidMethod }
        switch target.form {
        case .authority where !Methods.isCONNECT(method): throw .invalidTarget
        case .origin where Methods.isCONNECT(method), .absolute where Methods.isCONNECT(method): throw .invalidURL
        case .asterisk where !Methods.isOPTIONS(method): throw .invalidURL
        default: break
        }
        var facts = try FieldFacts.gather(headers)
        try self.init(method: method, target: target, version: version, headers: headers, facts: &facts)
    }
}

/// A parsed (or built) response head. Derived facts are fixed at parse time,
/// as for `HTTPRequestHead`.
public struct HTTPResponseHead: Sendable, Hashable {
    public var version: HTTPVersion
    public var status: Int
    /// Reason phrase as received (may be empty; RFC 9112 §4 says to ignore it).
    public var reason: String
    public var headers: HTTPFields

    public internal(set) var contentLength: Int?
    public internal(set) var isChunked: Bool
    /// Whether the connection may carry another response after this one
    /// (false for a body read until close and for a tunnel).
    public internal(set) var keepAlive: Bool
    /// The Upgrade value of a 101 response whose Connection lists "upgrade".
    public internal(set) var upgrade: String?
    public internal(set) var connectionTokens: [String]
    /// 101 Switching Protocols, or 2xx to CONNECT: after this head the
    /// connection carries another protocol (RFC 9110 §9.3.6, §15.2.2).
    public internal(set) var startsTunnel: Bool
    public internal(set) var bodyFraming: HTTPBodyFraming

    /// 1xx other than 101: an interim response. The proxy forwards it and
    /// parses the next head from the bytes after it (RFC 9110 §15.2).
    public var isInterim: Bool { status >= 100 && status < 200 && status != 101 }

    /// Envoy's generic CL/TE checks (`onHeadersCompleteImpl`) run before the
    /// 1xx/204 ones (`ClientConnectionImpl::onHeadersCompleteBase`).
    init(
        version: HTTPVersion,
        status: Int,
        reason: String,
        headers: consuming HTTPFields,
        requestMethod: String,
        facts: inout FieldFacts
    ) throws(HTTPParseError) {
        if facts.transferEncodingCount > 0 {
            if facts.contentLengthCount > 0 { throw .contentLengthAndChunked }
            if version == .http10 { throw .transferEncodingInHTTP10 }
            if !facts.transferEncodingIsChunked { throw .invalidTransferEncoding }
        }
        let noContent = status < 200 || status == 204
        if noContent {
            // RFC 9110 §8.6 / RFC 9112 §6.1: neither field belongs on 1xx/204.
            // Envoy papers over "Content-Length: 0" and refuses the rest.
            if facts.transferEncodingCount > 0 { throw .transferEncodingNotAllowed }
            if let length = facts.contentLength, length != 0 { throw .contentLengthNotAllowed }
        }
        contentLength = facts.contentLength
        isChunked = facts.transferEncodingIsChunked
        upgrade = status == 101 && facts.connectionUpgrade ? joinedValues(headers, facts.upgradeIndices) : nil
        let connectEstablished = Methods.isCONNECT(requestMethod) && status >= 200 && status < 300
        startsTunnel = status == 101 || connectEstablished

        // RFC 9112 §6.3: HEAD responses, 1xx, 204 and 304 end at the head;
        // a 2xx to CONNECT turns the connection into a tunnel.
        if Methods.isHEAD(requestMethod) || noContent || status == 304 || connectEstablished {
            bodyFraming = .none
        } else if isChunked {
            bodyFraming = .chunked
        } else if let length = facts.contentLength {
            bodyFraming = length > 0 ? .contentLength(length) : .none
        } else {
            bodyFraming = .untilClose
        }
        let persistent =
            version == .http11
            ? !facts.connectionClose
            : facts.connectionKeepAlive && !facts.connectionClose
        // A body read until close, or a switch to another protocol, leaves no
        // room for another HTTP/1 message on the connection.
        keepAlive = persistent && bodyFraming != .untilClose && !startsTunnel
        connectionTokens = facts.connectionTokens
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// Build a response head in code (e.g. a local reply). `requestMethod`
    /// decides the framing as for a parsed response.
    public init(
        version: HTTPVersion = .http11,
        status: Int,
        reason: String = "",
        headers: HTTPFields = [],
        requestMethod: String = "GET"
    ) throws(HTTPParseError) {
        guard status >= 100, status <= 599 else { throw .invalidStatusLine }
        var facts = try FieldFacts.gather(headers)
        try self.init(
            version: version,
            status: status,
            reason: reason,
            headers: headers,
            requestMethod: requestMethod,
            facts: &facts
        )
    }
}
