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
    public var headers: [HTTPField]

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

    init(
        method: String,
        target: HTTPRequestTarget,
        version: HTTPVersion,
        headers: [HTTPField],
        facts: FieldFacts,
        derived: RequestFacts
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.host = derived.host
        self.contentLength = derived.contentLength
        self.isChunked = derived.isChunked
        self.keepAlive = derived.keepAlive
        self.expectsContinue = derived.expectsContinue
        self.upgrade = derived.upgrade
        self.connectionTokens = facts.connectionTokens
        self.bodyFraming = derived.bodyFraming
    }

    /// Build a head in code (e.g. a request the proxy originates). Runs the
    /// same semantic checks as the parser; byte-level validity of names and
    /// values is checked when the head is serialized.
    public init(
        method: String,
        target: HTTPRequestTarget,
        version: HTTPVersion = .http11,
        headers: [HTTPField]
    ) throws(HTTPParseError) {
        guard !method.isEmpty, method.utf8.allSatisfy(ByteClass.isToken) else { throw .invalidMethod }
        switch target.form {
        case .authority where method != "CONNECT": throw .invalidTarget
        case .origin where method == "CONNECT", .absolute where method == "CONNECT": throw .invalidURL
        case .asterisk where method != "OPTIONS": throw .invalidURL
        default: break
        }
        let facts = try FieldFacts.gather(headers)
        let derived = try RequestFacts(facts, fields: headers, version: version, method: method, target: target)
        self.init(method: method, target: target, version: version, headers: headers, facts: facts, derived: derived)
    }
}

/// A parsed (or built) response head. Derived facts are fixed at parse time,
/// as for `HTTPRequestHead`.
public struct HTTPResponseHead: Sendable, Hashable {
    public var version: HTTPVersion
    public var status: Int
    /// Reason phrase as received (may be empty; RFC 9112 §4 says to ignore it).
    public var reason: String
    public var headers: [HTTPField]

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

    init(
        version: HTTPVersion,
        status: Int,
        reason: String,
        headers: [HTTPField],
        facts: FieldFacts,
        derived: ResponseFacts
    ) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.contentLength = derived.contentLength
        self.isChunked = derived.isChunked
        self.keepAlive = derived.keepAlive
        self.upgrade = derived.upgrade
        self.connectionTokens = facts.connectionTokens
        self.startsTunnel = derived.startsTunnel
        self.bodyFraming = derived.bodyFraming
    }

    /// Build a response head in code (e.g. a local reply). `requestMethod`
    /// decides the framing as for a parsed response.
    public init(
        version: HTTPVersion = .http11,
        status: Int,
        reason: String = "",
        headers: [HTTPField] = [],
        requestMethod: String = "GET"
    ) throws(HTTPParseError) {
        guard (100...599).contains(status) else { throw .invalidStatusLine }
        let facts = try FieldFacts.gather(headers)
        let derived = try ResponseFacts(
            facts,
            fields: headers,
            version: version,
            status: status,
            requestMethod: requestMethod
        )
        self.init(version: version, status: status, reason: reason, headers: headers, facts: facts, derived: derived)
    }
}
