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
            // The common options are matched on bytes and stored as literals
            // (no String is built for them).
            let token: String
            if asciiLowerEquals(p, s, e, "keep-alive") {
                connectionKeepAlive = true
                token = "keep-alive"
            } else if asciiLowerEquals(p, s, e, "close") {
                connectionClose = true
                token = "close"
            } else if asciiLowerEquals(p, s, e, "upgrade") {
                connectionUpgrade = true
                token = "upgrade"
            } else {
                token = String(unsafeUninitializedCapacity: e &- s) { out in
                    for i in 0..<(e &- s) { out[i] = ByteClass.lower(p[s &+ i]) }
                    return e &- s
                }
            }
            connectionTokens.append(token)
        }
    }

    /// Gather facts from fields built in code (not parsed). Name and value
    /// are copied into one buffer so `add` sees the same layout as when
    /// parsing.
    static func gather(_ fields: HTTPFields) throws(HTTPParseError) -> FieldFacts {
        var facts = FieldFacts()
        var bytes: [UInt8] = []
        for index in 0..<fields.count {
            bytes.removeAll(keepingCapacity: true)
            let nameCount = fields.withBytes(index) { n, v in
                bytes.append(contentsOf: n)
                bytes.append(contentsOf: v)
                return n.count
            }
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

/// Values of the fields at `indices`, combined as RFC 9110 §5.3 allows.
func joinedValues(_ fields: HTTPFields, _ indices: [Int]) -> String? {
    guard let first = indices.first else { return nil }
    if indices.count == 1 { return fields.value(at: first) }
    return indices.map { fields.value(at: $0) }.joined(separator: ", ")
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
