/// Finds where a message body ends, validating chunked framing on the way.
///
/// The proxy forwards body bytes untouched (a chunked body stays chunked,
/// extensions and trailers included), so the framer never copies or decodes
/// data; it only says how many of the bytes offered belong to the body and
/// whether the body is over. Chunk-data is skipped without being read;
/// Content-Length bodies cost O(1) per call. State survives any split of the
/// input, down to one byte per call.
public struct HTTPBodyFramer: Sendable {
    private enum Mode: UInt8, Sendable { case none, contentLength, chunked, untilClose }

    /// Position inside chunked framing (RFC 9112 §7.1).
    private enum ChunkState: UInt8, Sendable {
        case size  // 1*HEXDIG
        case sizeBWS  // BWS before ";" (after the size or a value)
        case extAfterSemi  // BWS after ";", before chunk-ext-name
        case extName
        case extNameBWS  // BWS after the name, before "=" or ";"
        case extAfterEquals  // BWS after "="
        case extToken
        case extQuoted
        case extQuotedPair
        case extAfterQuoted
        case sizeLF  // CR of the chunk-size line seen
        case data
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLF
        case endLF  // CR of the final empty line seen
        case done
    }

    private let mode: Mode
    private let limits: HTTPParseLimits
    /// Content-Length bytes left, or chunk-data bytes left.
    private var remaining: Int
    private var state: ChunkState = .size
    private var sizeDigits = 0
    private var chunkLineBytes = 0
    private var trailerBytes = 0
    private var trailerCount = 0
    private var failure: HTTPParseError?
    private var finished: Bool

    public init(_ framing: HTTPBodyFraming, limits: HTTPParseLimits = HTTPParseLimits()) {
        self.limits = limits
        switch framing {
        case .none:
            mode = .none
            remaining = 0
            finished = true
        case .contentLength(let n):
            mode = .contentLength
            remaining = max(n, 0)
            finished = n <= 0
        case .chunked:
            mode = .chunked
            remaining = 0
            finished = false
        case .untilClose:
            mode = .untilClose
            remaining = 0
            finished = false
        }
    }

    public init(request: HTTPRequestHead, limits: HTTPParseLimits = HTTPParseLimits()) {
        self.init(request.bodyFraming, limits: limits)
    }

    public init(response: HTTPResponseHead, limits: HTTPParseLimits = HTTPParseLimits()) {
        self.init(response.bodyFraming, limits: limits)
    }

    /// The body has ended; further bytes belong to the next message.
    public var isDone: Bool { finished }

    /// Offer the next bytes of the connection. `bodyBytes` of them (a
    /// prefix) belong to the body — forward them as they are; `done` tells
    /// that the body ended there. After an error every call throws it again.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (bodyBytes: Int, done: Bool)
    {
        if let failure { throw failure }
        if finished { return (0, true) }
        switch mode {
        case .none:
            return (0, true)
        case .untilClose:
            return (bytes.count, false)
        case .contentLength:
            let n = min(remaining, bytes.count)
            remaining &-= n
            finished = remaining == 0
            return (n, finished)
        case .chunked:
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
                return (0, false)
            }
            do throws(HTTPParseError) {
                let used = try consumeChunked(base, bytes.count)
                return (used, finished)
            } catch {
                failure = error
                throw error
            }
        }
    }

    public mutating func consume<Bytes: Collection<UInt8>>(
        _ bytes: Bytes
    ) throws(HTTPParseError) -> (bodyBytes: Int, done: Bool) {
        let result: Result<(bodyBytes: Int, done: Bool), HTTPParseError>
        if let r = bytes.withContiguousStorageIfAvailable({ buf in
            Result { () throws(HTTPParseError) in try consume(UnsafeRawBufferPointer(buf)) }
        }) {
            result = r
        } else {
            result = Array(bytes).withUnsafeBytes { raw in
                Result { () throws(HTTPParseError) in try consume(raw) }
            }
        }
        return try result.get()
    }

    /// The connection closed. Fine for a body read until close (which ends
    /// here) and for a body already complete; a Content-Length or chunked
    /// body cut short is `truncatedBody`.
    public mutating func finish() throws(HTTPParseError) {
        if let failure { throw failure }
        if finished { return }
        if mode == .untilClose {
            finished = true
            return
        }
        failure = .truncatedBody
        throw .truncatedBody
    }

    // MARK: Chunked

    @inline(__always)
    private static func isBWS(_ c: UInt8) -> Bool { c == SP || c == HTAB }

    /// qdtext = HTAB / SP / "!" / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4)
    @inline(__always)
    private static func isQDText(_ c: UInt8) -> Bool {
        c == HTAB || c == SP || c == 0x21 || (c >= 0x23 && c != 0x5C && c != 0x7F)
    }

    private mutating func consumeChunked(_ p: UnsafePointer<UInt8>, _ n: Int) throws(HTTPParseError) -> Int {
        var i = 0
        var st = state
        defer { state = st }
        while i < n {
            // Chunk-data is skipped in one step: the framer never reads it.
            if st == .data {
                let take = min(remaining, n &- i)
                remaining &-= take
                i &+= take
                if remaining == 0 { st = .dataCR }
                continue
            }
            let c = p[i]
            i &+= 1
            switch st {
            // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
            // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
            case .size, .sizeBWS, .extAfterSemi, .extName, .extNameBWS, .extAfterEquals,
                .extToken, .extQuoted, .extQuotedPair, .extAfterQuoted:
                chunkLineBytes &+= 1
                if chunkLineBytes > limits.maxChunkLineSize { throw .chunkExtensionTooLarge }
                st = try chunkLineStep(st, c)
            case .sizeLF:
                guard c == LF else { throw .bareCR }
                chunkLineBytes = 0
                if remaining == 0 {
                    st = .trailerLineStart  // last-chunk: trailer section follows
                } else {
                    st = .data
                }
            case .data:
                break  // handled above
            case .dataCR:
                guard c == CR else { throw .invalidChunkTerminator }
                st = .dataLF
            case .dataLF:
                guard c == LF else { throw .invalidChunkTerminator }
                st = .size
                sizeDigits = 0
            // trailer-section = *( field-line CRLF ), then CRLF (RFC 9112 §7.1.2)
            case .trailerLineStart, .trailerName, .trailerValue, .trailerLF, .endLF:
                trailerBytes &+= 1
                if trailerBytes > limits.maxTrailerSize { throw .trailersTooLarge }
                st = try trailerStep(st, c)
                if st == .done {
                    finished = true
                    return i
                }
            case .done:
                return i &- 1
            }
        }
        return i
    }

    /// One byte of a chunk-size line (size digits and extensions).
    @inline(__always)
    private mutating func chunkLineStep(_ st: ChunkState, _ c: UInt8) throws(HTTPParseError) -> ChunkState {
        switch st {
        case .size:
            if let d = ByteClass.hexValue(c) {
                guard remaining <= (Int.max &- d) >> 4 else { throw .chunkSizeOverflow }
                remaining = remaining &<< 4 | d
                sizeDigits &+= 1
                return .size
            }
            guard sizeDigits > 0 else { throw .invalidChunkSize }
            switch c {
            case 0x3B: return .extAfterSemi
            case SP, HTAB: return .sizeBWS
            case CR: return .sizeLF
            case LF: throw .bareLF
            default: throw .invalidChunkSize
            }
        case .sizeBWS:
            if Self.isBWS(c) { return .sizeBWS }
            if c == 0x3B { return .extAfterSemi }
            throw .invalidChunkExtension
        case .extAfterSemi:
            if Self.isBWS(c) { return .extAfterSemi }
            if ByteClass.isToken(c) { return .extName }
            throw .invalidChunkExtension
        case .extName:
            if ByteClass.isToken(c) { return .extName }
            return try afterExtElement(c, bws: .extNameBWS, allowEquals: true)
        case .extNameBWS:
            if Self.isBWS(c) { return .extNameBWS }
            if c == 0x3D { return .extAfterEquals }
            if c == 0x3B { return .extAfterSemi }
            throw .invalidChunkExtension
        case .extAfterEquals:
            if Self.isBWS(c) { return .extAfterEquals }
            if c == 0x22 { return .extQuoted }
            if ByteClass.isToken(c) { return .extToken }
            throw .invalidChunkExtension
        case .extToken:
            if ByteClass.isToken(c) { return .extToken }
            return try afterExtElement(c, bws: .sizeBWS, allowEquals: false)
        case .extQuoted:
            if c == 0x22 { return .extAfterQuoted }
            if c == 0x5C { return .extQuotedPair }
            // A lone CR in an extension is refused (Envoy's
            // http1_balsa_disallow_lone_cr_in_chunk_extension).
            if Self.isQDText(c) { return .extQuoted }
            throw .invalidChunkExtension
        case .extQuotedPair:
            // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
            if c == HTAB || (c >= 0x20 && c != 0x7F) { return .extQuoted }
            throw .invalidChunkExtension
        case .extAfterQuoted:
            return try afterExtElement(c, bws: .sizeBWS, allowEquals: false)
        default:
            preconditionFailure("not a chunk-size line state")
        }
    }

    /// What may follow a complete extension name or value.
    @inline(__always)
    private func afterExtElement(_ c: UInt8, bws: ChunkState, allowEquals: Bool) throws(HTTPParseError) -> ChunkState {
        switch c {
        case SP, HTAB: return bws
        case 0x3B: return .extAfterSemi
        case 0x3D where allowEquals: return .extAfterEquals
        case CR: return .sizeLF
        case LF: throw .bareLF
        default: throw .invalidChunkExtension
        }
    }

    /// One byte of the trailer section, with the same field-line rules as
    /// the head (no obs-fold, token names, no whitespace before ':', no
    /// control bytes in values, CRLF only).
    @inline(__always)
    private mutating func trailerStep(_ st: ChunkState, _ c: UInt8) throws(HTTPParseError) -> ChunkState {
        switch st {
        case .trailerLineStart:
            if c == CR { return .endLF }
            if c == LF { throw .bareLF }
            if Self.isBWS(c) { throw .obsFold }
            guard ByteClass.isToken(c) else { throw .invalidHeaderName }
            trailerCount &+= 1
            if trailerCount > limits.maxTrailerCount { throw .tooManyTrailers }
            return .trailerName
        case .trailerName:
            if ByteClass.isToken(c) { return .trailerName }
            if c == COLON { return .trailerValue }
            if Self.isBWS(c) { throw .whitespaceBeforeColon }
            if c == CR || c == LF { throw .missingColon }
            throw .invalidHeaderName
        case .trailerValue:
            if c == CR { return .trailerLF }
            if c == LF { throw .bareLF }
            // Trailers are forwarded as bytes, never decoded, so obs-text
            // needs no UTF-8 check here.
            if ByteClass.isFieldValueByte(c) { return .trailerValue }
            throw .invalidHeaderValue
        case .trailerLF:
            guard c == LF else { throw .bareCR }
            return .trailerLineStart
        case .endLF:
            guard c == LF else { throw .bareCR }
            return .done
        default:
            preconditionFailure("not a trailer state")
        }
    }
}
