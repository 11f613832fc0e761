/// A validated request-target (RFC 9112 §3.2).
///
/// Only the validating initialisers create one, so a target that reaches the
/// serializer can never carry SP, CR or LF into a request line.
public struct HTTPRequestTarget: Sendable, Hashable {
    /// The four request-target forms of RFC 9112 §3.2.1–§3.2.4.
    public enum Form: Sendable, Hashable {
        /// `/path?query`
        case origin
        /// `http://host/path?query` (sent to proxies; RFC 9112 §3.2.2)
        case absolute
        /// `host:port` (CONNECT only; RFC 9112 §3.2.3)
        case authority
        /// `*` (OPTIONS only; RFC 9112 §3.2.4)
        case asterisk
    }

    /// The target exactly as it appeared in the request line.
    public let raw: String
    public let form: Form
    // Offsets into `raw` of an absolute-form target's parts; the accessors
    // below make Strings only when asked, so parsing allocates one String.
    let isHTTPS: Bool
    let authorityStart: Int32
    let pathStart: Int32

    init(raw: String, form: Form, isHTTPS: Bool = false, authorityStart: Int32 = 0, pathStart: Int32 = 0) {
        self.raw = raw
        self.form = form
        self.isHTTPS = isHTTPS
        self.authorityStart = authorityStart
        self.pathStart = pathStart
    }

    /// Lower-cased scheme ("http" or "https") of an absolute-form target.
    public var scheme: String? {
        form == .absolute ? (isHTTPS ? "https" : "http") : nil
    }

    /// `host[:port]` of an absolute-form or authority-form target.
    public var authority: String? {
        switch form {
        case .absolute: return slice(Int(authorityStart), Int(pathStart))
        case .authority: return raw
        case .origin, .asterisk: return nil
        }
    }

    /// The origin-form equivalent: the target itself for origin-form, the
    /// path and query of an absolute-form target ("/" when its path is empty,
    /// RFC 9112 §3.3), "*" for asterisk-form and "" for authority-form. This
    /// is what a proxy puts in the request line it sends to an origin.
    public var pathAndQuery: String {
        switch form {
        case .origin: return raw
        case .asterisk: return "*"
        case .authority: return ""
        case .absolute:
            let count = raw.utf8.count
            let start = Int(pathStart)
            if start == count { return "/" }
            let rest = slice(start, count)
            return rest.utf8.first == 0x3F ? "/" + rest : rest
        }
    }

    private func slice(_ s: Int, _ e: Int) -> String {
        var copy = raw
        return copy.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }

    /// Parse and validate `raw` as the target of a request with `method`
    /// (CONNECT needs authority-form, `*` needs OPTIONS).
    public init(_ raw: String, method: String) throws(HTTPParseError) {
        var copy = raw
        let isConnect = Methods.isCONNECT(method)
        let isOptions = Methods.isOPTIONS(method)
        let result: Result<HTTPRequestTarget, HTTPParseError> = copy.withUTF8 { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return .failure(.invalidRequestLine) }
            do throws(HTTPParseError) {
                let layout = try TargetLayout.analyze(base, 0, buf.count, isConnect: isConnect, isOptions: isOptions)
                return .success(layout.makeTarget(raw: raw))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// An origin-form target, for rewriting the path a request is forwarded
    /// with. `pathAndQuery` must start with "/".
    public static func origin(_ pathAndQuery: String) throws(HTTPParseError) -> HTTPRequestTarget {
        let target = try HTTPRequestTarget(pathAndQuery, method: "GET")
        guard target.form == .origin else { throw .invalidTarget }
        return target
    }
}

/// Offsets of a validated target inside the head buffer.
struct TargetLayout {
    var form: HTTPRequestTarget.Form
    var start: Int
    var end: Int
    /// absolute-form: scheme is `[start, schemeEnd)`, authority
    /// `[authorityStart, pathStart)`, path and query `[pathStart, end)`.
    var schemeIsHTTPS = false
    var authorityStart = 0
    var pathStart = 0

    @inline(__always)
    static func percentOK(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        i &+ 2 < end && ByteClass.hexValue(p[i &+ 1]) != nil && ByteClass.hexValue(p[i &+ 2]) != nil
    }

    /// Validate `[start, end)` as a request-target. Character errors come
    /// first (balsa `isUrlValid` → `HPE_INVALID_URL` → `http1.codec_error`),
    /// then structure per form (Envoy `handlePath` → `http1.invalid_url`).
    static func analyze(
        _ p: UnsafePointer<UInt8>,
        _ start: Int,
        _ end: Int,
        isConnect: Bool,
        isOptions: Bool
    ) throws(HTTPParseError) -> TargetLayout {
        // Character level: VCHAR except "#", and "%" must start "%" HEXDIG HEXDIG
        // (a broken escape is read differently by different origins).
        var i = start
        while i < end {
            if i &+ 8 <= end {
                let w = SWAR.load(p, i)
                let bad =
                    SWAR.lessMask(w, 0x21) | (w & SWAR.highs)
                    | SWAR.zeroMask(w ^ (SWAR.ones &* 0x7F))
                    | SWAR.zeroMask(w ^ (SWAR.ones &* 0x23))
                    | SWAR.zeroMask(w ^ (SWAR.ones &* 0x25))
                if bad == 0 {
                    i &+= 8
                    continue
                }
            }
            let c = p[i]
            guard ByteClass.isTargetByte(c) else { throw .invalidTarget }
            if c == 0x25 {
                guard percentOK(p, i, end) else { throw .invalidTarget }
                i &+= 3
            } else {
                i &+= 1
            }
        }

        if isConnect {
            // RFC 9110 §9.3.6: CONNECT's target is only host and port.
            guard Authority.isValid(p, start, end, requirePort: true, allowEmpty: false) else {
                throw .invalidURL
            }
            return TargetLayout(form: .authority, start: start, end: end, authorityStart: start, pathStart: end)
        }
        switch p[start] {
        case 0x2F:  // "/"
            return TargetLayout(form: .origin, start: start, end: end, pathStart: start)
        case 0x2A:  // "*"
            // Envoy sends a "*" target of any other method to its absolute-URL
            // parser, which fails it as http1.invalid_url.
            guard end &- start == 1, isOptions else { throw .invalidURL }
            return TargetLayout(form: .asterisk, start: start, end: end, pathStart: start)
        default:
            return try analyzeAbsolute(p, start, end)
        }
    }

    private static func analyzeAbsolute(
        _ p: UnsafePointer<UInt8>,
        _ start: Int,
        _ end: Int
    ) throws(HTTPParseError) -> TargetLayout {
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )   (RFC 3986 §3.1)
        guard ByteClass.isAlpha(p[start]) else { throw .invalidTarget }
        var j = start &+ 1
        while j < end {
            let c = p[j]
            guard ByteClass.isAlpha(c) || ByteClass.isDigit(c) || c == 0x2B || c == 0x2D || c == 0x2E else { break }
            j &+= 1
        }
        // Balsa wants "://" after the scheme; anything else (e.g. a bare
        // "host:80" outside CONNECT) is HPE_INVALID_URL.
        guard end &- j >= 3, p[j] == COLON, p[j &+ 1] == 0x2F, p[j &+ 2] == 0x2F else { throw .invalidTarget }
        let https: Bool
        if asciiLowerEquals(p, start, j, "http") {
            https = false
        } else if asciiLowerEquals(p, start, j, "https") {
            https = true
        } else {
            throw .invalidScheme
        }
        let authorityStart = j &+ 3
        var k = authorityStart
        while k < end, p[k] != 0x2F, p[k] != 0x3F { k &+= 1 }
        // RFC 9110 §4.2.1: an empty host is invalid; §4.2.4: userinfo is to be
        // treated as an error (the reg-name set has no "@").
        guard Authority.isValid(p, authorityStart, k, requirePort: false, allowEmpty: false) else {
            throw .invalidURL
        }
        return TargetLayout(
            form: .absolute,
            start: start,
            end: end,
            schemeIsHTTPS: https,
            authorityStart: authorityStart,
            pathStart: k
        )
    }

    func makeTarget(raw: String) -> HTTPRequestTarget {
        // Offsets only mean something for absolute-form; keep them zero
        // otherwise so equal targets compare equal.
        guard form == .absolute else { return HTTPRequestTarget(raw: raw, form: form) }
        return HTTPRequestTarget(
            raw: raw,
            form: form,
            isHTTPS: schemeIsHTTPS,
            authorityStart: Int32(truncatingIfNeeded: authorityStart &- start),
            pathStart: Int32(truncatingIfNeeded: pathStart &- start)
        )
    }
}

/// `uri-host [ ":" port ]` validation shared by targets and the Host field.
enum Authority {
    /// RFC 3986 §3.2: host is an IP-literal `[...]` or a reg-name (which also
    /// covers IPv4); no userinfo. Port, when present, is 1*5DIGIT ≤ 65535; an
    /// empty port (`host:`) is refused although RFC 3986 allows it, since
    /// origins disagree on what it means.
    static func isValid(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, requirePort: Bool, allowEmpty: Bool) -> Bool {
        if s == e { return allowEmpty }
        var i = s
        if p[i] == 0x5B {  // "["
            i &+= 1
            let ipStart = i
            var sawColon = false
            while i < e, p[i] != 0x5D {
                let c = p[i]
                if c == COLON { sawColon = true } else if ByteClass.hexValue(c) == nil && c != 0x2E { return false }
                i &+= 1
            }
            guard i < e, i &- ipStart >= 2, sawColon else { return false }
            i &+= 1  // past "]"
        } else {
            while i < e {
                let c = p[i]
                if ByteClass.isRegName(c) {
                    i &+= 1
                } else if c == 0x25 {
                    guard TargetLayout.percentOK(p, i, e) else { return false }
                    i &+= 3
                } else if c == COLON {
                    break
                } else {
                    return false
                }
            }
            guard i > s else { return false }
        }
        if i == e { return !requirePort }
        guard p[i] == COLON else { return false }
        i &+= 1
        let digits = e &- i
        guard digits >= 1, digits <= 5 else { return false }
        var port = 0
        while i < e {
            let c = p[i]
            guard ByteClass.isDigit(c) else { return false }
            port = port &* 10 &+ Int(c &- 0x30)
            i &+= 1
        }
        // CONNECT to port 0 cannot be a real tunnel.
        return port <= 65535 && (!requirePort || port > 0)
    }
}

@inline(__always)
func asciiLowerEquals(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ lower: StaticString) -> Bool {
    guard e &- s == lower.utf8CodeUnitCount else { return false }
    let l = lower.utf8Start
    var i = 0
    while i < e &- s {
        if ByteClass.lower(p[s &+ i]) != l[i] { return false }
        i &+= 1
    }
    return true
}

@inline(__always)
func makeASCIIString(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: p + s, count: e &- s), as: UTF8.self)
}
