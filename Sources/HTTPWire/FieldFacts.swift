/// How the body after a head is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// No body follows the head.
    case none
    /// Exactly this many bytes (always > 0; a zero length is `.none`).
    case contentLength(Int)
    /// Chunked transfer coding, forwarded as is.
    case chunked
    /// Everything until the connection closes (responses only).
    case untilClose
}

/// Framing and connection facts gathered from field lines, one field at a
/// time, while the head is parsed — so the head is walked once.
struct FieldFacts {
    var contentLength: Int?
    var contentLengthCount = 0
    var transferEncodingCount = 0
    var transferEncodingIsChunked = false
    var hostCount = 0
    var hostIndex = -1
    var hostInvalid = false
    var connectionTokens: [String] = []
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    var upgradeIndices: [Int] = []
    var expectContinue = false

    /// Record field `index` whose name is `[ns, ne)` and trimmed value
    /// `[vs, ve)`. Only names of the six framing/connection fields are
    /// compared; their lengths are distinct, so one switch picks the
    /// candidate.
    @inline(__always)
    mutating func add(
        _ p: UnsafePointer<UInt8>,
        name ns: Int,
        _ ne: Int,
        value vs: Int,
        _ ve: Int,
        index: Int
    )
        throws(HTTPParseError)
    {
        switch ne &- ns {
        case 4 where asciiLowerEquals(p, ns, ne, "host"):
            hostCount &+= 1
            if hostCount == 1 {
                hostIndex = index
                // RFC 9112 §3.2: Host = uri-host [ ":" port ]; an empty value
                // is allowed (targets without authority).
                hostInvalid = !Authority.isValid(p, vs, ve, requirePort: false, allowEmpty: true)
            }
        case 14 where asciiLowerEquals(p, ns, ne, "content-length"):
            // Envoy configures balsa with disallow_multiple_content_length =
            // true: a second Content-Length line fails even with an equal value
            // (balsa_frame.cc ProcessHeaderLines, MULTIPLE_CONTENT_LENGTH_KEYS).
            contentLengthCount &+= 1
            if contentLengthCount > 1 { throw .multipleContentLength }
            contentLength = try Self.parseContentLength(p, vs, ve)
        case 17 where asciiLowerEquals(p, ns, ne, "transfer-encoding"):
            transferEncodingCount &+= 1
            // Envoy accepts only a Transfer-Encoding whose whole value is
            // "chunked" (case-insensitive); repeated lines are joined by its
            // header map into "chunked,chunked", which then fails too.
            transferEncodingIsChunked = transferEncodingCount == 1 && asciiLowerEquals(p, vs, ve, "chunked")
        case 10 where asciiLowerEquals(p, ns, ne, "connection"):
            addConnectionTokens(p, vs, ve)
        case 7 where asciiLowerEquals(p, ns, ne, "upgrade"):
            upgradeIndices.append(index)
        case 6 where asciiLowerEquals(p, ns, ne, "expect"):
            forEachListElement(p, vs, ve) { s, e in
                if asciiLowerEquals(p, s, e, "100-continue") { expectContinue = true }
            }
        default:
            break
        }
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). No sign, no list, no
    /// whitespace inside; balsa's ProcessContentLengthLine reads the same way.
    static func parseContentLength(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) throws(HTTPParseError) -> Int {
        guard s < e else { throw .invalidContentLength }
        var value = 0
        var i = s
        while i < e {
            let d = p[i] &- 0x30
            guard d < 10 else { throw .invalidContentLength }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { throw .invalidContentLength }
            value = next
            i &+= 1
        }
        return value
    }

    private mutating func addConnectionTokens(_ p: UnsafePointer<UInt8>, _ vs: Int, _ ve: Int) {
        forEachListElement(p, vs, ve) { s, e in
            // Small tokens ("close", "keep-alive", "upgrade") stay in the
            // String's inline storage: no allocation.
            let token = String(unsafeUninitializedCapacity: e &- s) { out in
                for i in 0..<(e &- s) { out[i] = ByteClass.lower(p[s &+ i]) }
                return e &- s
            }
            switch token {
            case "close": connectionClose = true
            case "keep-alive": connectionKeepAlive = true
            case "upgrade": connectionUpgrade = true
            default: break
            }
            connectionTokens.append(token)
        }
    }

    /// Gather facts from fields built in code (not parsed).
    static func gather(_ fields: [HTTPField]) throws(HTTPParseError) -> FieldFacts {
        var facts = FieldFacts()
        for (index, field) in fields.enumerated() {
            var bytes = Array(field.name.utf8)
            let nameCount = bytes.count
            bytes.append(contentsOf: field.value.utf8)
            let total = bytes.count
            let outcome: HTTPParseError? = bytes.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress else { return nil }
                do throws(HTTPParseError) {
                    try facts.add(base, name: 0, nameCount, value: nameCount, total, index: index)
                    return nil
                } catch {
                    return error
                }
            }
            if let outcome { throw outcome }
        }
        return facts
    }
}

/// Facts of a request derived once from its start line and fields.
struct RequestFacts {
    var host: String?
    var contentLength: Int?
    var isChunked: Bool
    var keepAlive: Bool
    var expectsContinue: Bool
    var upgrade: String?
    var bodyFraming: HTTPBodyFraming

    /// Checks in Envoy's order: CONNECT body (`onHeadersCompleteImpl`), CL+TE,
    /// Transfer-Encoding value, then Host (`requestHeadersValid`, then the
    /// connection manager's missing-Host check).
    init(
        _ facts: FieldFacts,
        fields: [HTTPField],
        version: HTTPVersion,
        method: String,
        target: HTTPRequestTarget
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
        if let authority = target.authority {
            host = authority
        } else if facts.hostIndex >= 0 {
            host = fields[facts.hostIndex].value
        } else {
            host = nil
            // RFC 9112 §3.2: a 1.1 request without Host is 400. HTTP/1.0 may
            // omit it (Envoy would need default_host_for_http_10).
            if version == .http11 { throw .missingHost }
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
            ? joinedValues(fields, facts.upgradeIndices) : nil
        if isChunked {
            bodyFraming = .chunked
        } else if let length = facts.contentLength, length > 0 {
            bodyFraming = .contentLength(length)
        } else {
            // RFC 9112 §6.3 ¶7: a request without either has no body.
            bodyFraming = .none
        }
    }
}

/// Facts of a response derived once from its status line and fields.
struct ResponseFacts {
    var contentLength: Int?
    var isChunked: Bool
    var keepAlive: Bool
    var upgrade: String?
    var startsTunnel: Bool
    var bodyFraming: HTTPBodyFraming

    init(
        _ facts: FieldFacts,
        fields: [HTTPField],
        version: HTTPVersion,
        status: Int,
        requestMethod: String
    ) throws(HTTPParseError) {
        // Envoy's generic CL/TE checks (onHeadersCompleteImpl) run before the
        // 1xx/204 ones (ClientConnectionImpl::onHeadersCompleteBase).
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
        upgrade = status == 101 && facts.connectionUpgrade ? joinedValues(fields, facts.upgradeIndices) : nil
        let connectEstablished = Methods.isCONNECT(requestMethod) && (200..<300).contains(status)
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
    }
}

/// Values of the fields at `indices`, combined as RFC 9110 §5.3 allows.
private func joinedValues(_ fields: [HTTPField], _ indices: [Int]) -> String? {
    guard let first = indices.first else { return nil }
    if indices.count == 1 { return fields[first].value }
    return indices.map { fields[$0].value }.joined(separator: ", ")
}

/// Call `body` with each non-empty element of a comma-separated list,
/// OWS trimmed (RFC 9110 §5.6.1).
@inline(__always)
func forEachListElement(_ p: UnsafePointer<UInt8>, _ vs: Int, _ ve: Int, _ body: (Int, Int) -> Void) {
    var s = vs
    while s < ve {
        var e = s
        while e < ve, p[e] != 0x2C { e &+= 1 }
        var a = s
        var b = e
        while a < b, p[a] == SP || p[a] == HTAB { a &+= 1 }
        while b > a, p[b &- 1] == SP || p[b &- 1] == HTAB { b &-= 1 }
        if a < b { body(a, b) }
        s = e &+ 1
    }
}
