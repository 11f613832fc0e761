/// Phase one of head parsing: find where the head ends.
///
/// The scanner walks the bytes once, across calls, remembering where it
/// stopped, so a head that trickles in one byte per read costs O(total) and
/// not O(n²). On the way it checks what can be judged at a single position:
/// every CR is followed by LF, no LF stands alone, the method is a token (and
/// a known one, as soon as it cannot become one), the start line as soon as
/// its CRLF arrives, and the size limit. Field lines are parsed only once the
/// whole head is present (phase two, `FieldLineParser`).
///
/// Because each check fires at a fixed byte position, feeding a message in
/// any split gives the same verdict as feeding it whole; the fuzzer checks
/// this at every split point.
struct HeadScanner: Sendable {
    enum Phase: UInt8, Sendable {
        /// Empty lines before the start line (RFC 9112 §2.2 lets a server
        /// ignore them; balsa skips them for requests and responses).
        case leading
        case method
        /// The fixed "HTTP/" at the start of a status line.
        case statusPrefix
        case startLine
        case fields
    }

    enum Outcome {
        case needMore
        case complete(headLength: Int)
        case invalid(HTTPParseError)
    }

    let isRequest: Bool
    private(set) var pos = 0
    private var lineStart = 0
    private var phase = Phase.leading

    // Start line, once validated.
    private(set) var startLineStart = 0
    private(set) var startLineEnd = 0  // index of its CR
    private(set) var fieldLineCount = 0
    private(set) var method = ""
    private(set) var methodEnd = 0
    private(set) var target = TargetLayout(form: .origin, start: 0, end: 0)
    private(set) var version = HTTPVersion.http11
    private(set) var status = 0
    private(set) var reasonStart = 0

    init(isRequest: Bool) {
        self.isRequest = isRequest
    }

    mutating func scan(_ p: UnsafePointer<UInt8>, count n: Int, limits: HTTPParseLimits) -> Outcome {
        // Never look past the size limit: a head that has not ended within
        // `maxHeadSize` bytes is too large whatever follows.
        let window = min(n, limits.maxHeadSize)
        var i = pos
        scanning: while i < window {
            switch phase {
            case .leading:
                let c = p[i]
                if c == CR {
                    guard i &+ 1 < window else { break scanning }
                    guard p[i &+ 1] == LF else { return .invalid(.bareCR) }
                    i &+= 2
                    continue
                }
                if c == LF { return .invalid(.bareLF) }
                startLineStart = i
                lineStart = i
                phase = isRequest ? .method : .statusPrefix

            case .method:
                while i < window, ByteClass.isToken(p[i]) { i &+= 1 }
                if i == window { break scanning }
                // Anything but SP ends the method wrongly: HTAB, CR, LF and
                // non-tchar alike (RFC 9112 §3 separates with a single SP).
                guard p[i] == SP, i > startLineStart else { return .invalid(.invalidMethod) }
                if let known = Methods.known(p, startLineStart, i) {
                    method = known
                } else if limits.allowCustomMethods {
                    method = makeASCIIString(p, startLineStart, i)
                } else {
                    return .invalid(.invalidMethod)
                }
                methodEnd = i
                i &+= 1
                phase = .startLine

            case .statusPrefix:
                // Balsa fails a response whose first byte is not 'H'
                // (HPE_INVALID_CONSTANT); we check all of "HTTP/" as it arrives.
                let expected: StaticString = "HTTP/"
                guard p[i] == expected.utf8Start[i &- lineStart] else { return .invalid(.invalidStatusLine) }
                i &+= 1
                if i &- lineStart == 5 { phase = .startLine }

            case .startLine, .fields:
                i = SWAR.firstLineBreak(p, from: i, end: window)
                if i == window { break scanning }
                if p[i] == LF { return .invalid(.bareLF) }
                guard i &+ 1 < window else { break scanning }
                guard p[i &+ 1] == LF else { return .invalid(.bareCR) }
                if phase == .startLine {
                    do throws(HTTPParseError) {
                        if isRequest {
                            try validateRequestLine(p, end: i)
                        } else {
                            try validateStatusLine(p, end: i)
                        }
                    } catch {
                        return .invalid(error)
                    }
                    startLineEnd = i
                    phase = .fields
                } else if i == lineStart {
                    pos = i
                    return .complete(headLength: i &+ 2)
                } else {
                    fieldLineCount &+= 1
                }
                i &+= 2
                lineStart = i
            }
        }
        pos = i
        if phase == .method, !limits.allowCustomMethods, !Methods.isKnownPrefix(p, startLineStart, i) {
            return .invalid(.invalidMethod)
        }
        if n >= limits.maxHeadSize { return .invalid(.headersTooLarge) }
        return .needMore
    }

    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3).
    /// The method (up to `methodEnd`) is already checked.
    private mutating func validateRequestLine(_ p: UnsafePointer<UInt8>, end e: Int) throws(HTTPParseError) {
        let ts = methodEnd &+ 1
        guard ts < e, p[ts] != SP else { throw .invalidRequestLine }
        var sp2 = ts
        while sp2 < e, p[sp2] != SP { sp2 &+= 1 }
        guard sp2 < e else { throw .invalidRequestLine }  // no version: HTTP/0.9 is not spoken
        var k = sp2 &+ 1
        while k < e {
            if p[k] == SP { throw .invalidRequestLine }
            k &+= 1
        }
        // Envoy's balsa order: method, URL, version.
        target = try TargetLayout.analyze(
            p,
            ts,
            sp2,
            isConnect: Methods.isCONNECT(method),
            isOptions: Methods.isOPTIONS(method)
        )
        version = try Self.parseVersion(p, sp2 &+ 1, e)
    }

    /// HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
    static func parseVersion(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) throws(HTTPParseError) -> HTTPVersion {
        guard e &- s == 8, p[s] == 0x48, p[s &+ 1] == 0x54, p[s &+ 2] == 0x54, p[s &+ 3] == 0x50,
            p[s &+ 4] == 0x2F, ByteClass.isDigit(p[s &+ 5]), p[s &+ 6] == 0x2E, ByteClass.isDigit(p[s &+ 7])
        else { throw .invalidVersion }
        if p[s &+ 5] == 0x31 {
            if p[s &+ 7] == 0x31 { return .http11 }
            if p[s &+ 7] == 0x30 { return .http10 }
        }
        throw .unsupportedVersion
    }

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ]
    /// (RFC 9112 §4). A missing SP after the code is tolerated, as balsa
    /// treats it as a warning and many servers send "HTTP/1.1 200\r\n".
    private mutating func validateStatusLine(_ p: UnsafePointer<UInt8>, end e: Int) throws(HTTPParseError) {
        let s = startLineStart
        guard e &- s >= 12 else { throw .invalidStatusLine }
        do throws(HTTPParseError) {
            version = try Self.parseVersion(p, s, s &+ 8)
        } catch .unsupportedVersion {
            throw .unsupportedVersion
        } catch {
            throw .invalidStatusLine
        }
        guard p[s &+ 8] == SP else { throw .invalidStatusLine }
        let d0 = p[s &+ 9] &- 0x30
        let d1 = p[s &+ 10] &- 0x30
        let d2 = p[s &+ 11] &- 0x30
        guard d0 >= 1, d0 <= 5, d1 < 10, d2 < 10 else { throw .invalidStatusLine }
        status = Int(d0) * 100 + Int(d1) * 10 + Int(d2)
        if e &- s == 12 {
            reasonStart = e
            return
        }
        guard p[s &+ 12] == SP else { throw .invalidStatusLine }
        var i = s &+ 13
        while i < e {
            guard ByteClass.isFieldValueByte(p[i]) else { throw .invalidStatusLine }
            i &+= 1
        }
        reasonStart = s &+ 13
    }
}
