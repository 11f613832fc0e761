/// Parses HTTP/1.x message heads from a byte buffer.
///
/// Two ways to use it:
/// - one-shot: `HTTPHeadParser.parseRequest(bytes)` parses from scratch;
/// - incremental: keep one `HTTPHeadParser` per connection and call
///   `parser.parseRequest(buffer)` each time the read buffer grows. The
///   parser remembers how far it scanned, so a head arriving in many small
///   reads costs O(its length) overall. Between calls that returned
///   `.incomplete` the buffer must hold the same message start with bytes
///   only appended; after `.complete` or `.invalid` the parser starts over
///   by itself (slice the buffer past `headLength` for the next message).
///
/// Either way the verdict for a given byte sequence is the same, whatever
/// the split.
public struct HTTPHeadParser: Sendable {
    public var limits: HTTPParseLimits
    private var scanner: HeadScanner?

    public init(limits: HTTPParseLimits = HTTPParseLimits()) {
        self.limits = limits
    }

    /// Forget any partial head (e.g. when the connection is reused).
    public mutating func reset() {
        scanner = nil
    }

    // MARK: Requests

    public mutating func parseRequest(_ bytes: UnsafeRawBufferPointer) -> HTTPParseResult<HTTPRequestHead> {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            return .incomplete
        }
        var s = resumedScanner(isRequest: true, count: bytes.count)
        switch s.scan(base, count: bytes.count, limits: limits) {
        case .needMore:
            scanner = s
            return .incomplete
        case .invalid(let error):
            scanner = nil
            return .invalid(error)
        case .complete(let headLength):
            scanner = nil
            do throws(HTTPParseError) {
                return .complete(try Self.buildRequest(s, base, headLength, limits), headLength: headLength)
            } catch {
                return .invalid(error)
            }
        }
    }

    public mutating func parseRequest<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> HTTPParseResult<HTTPRequestHead> {
        if let result = bytes.withContiguousStorageIfAvailable({ parseRequest(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { parseRequest($0) }
    }

    public static func parseRequest(
        _ bytes: UnsafeRawBufferPointer,
        limits: HTTPParseLimits = HTTPParseLimits()
    ) -> HTTPParseResult<HTTPRequestHead> {
        var parser = HTTPHeadParser(limits: limits)
        return parser.parseRequest(bytes)
    }

    public static func parseRequest<Bytes: Collection<UInt8>>(
        _ bytes: Bytes,
        limits: HTTPParseLimits = HTTPParseLimits()
    ) -> HTTPParseResult<HTTPRequestHead> {
        var parser = HTTPHeadParser(limits: limits)
        return parser.parseRequest(bytes)
    }

    // MARK: Responses

    /// Parse a response to a request with `requestMethod` (HEAD and CONNECT
    /// change how the body is framed). An interim (1xx) response comes back
    /// complete on its own; parse the real response from the bytes after it.
    public mutating func parseResponse(
        _ bytes: UnsafeRawBufferPointer,
        requestMethod: String
    ) -> HTTPParseResult<HTTPResponseHead> {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            return .incomplete
        }
        var s = resumedScanner(isRequest: false, count: bytes.count)
        switch s.scan(base, count: bytes.count, limits: limits) {
        case .needMore:
            scanner = s
            return .incomplete
        case .invalid(let error):
            scanner = nil
            return .invalid(error)
        case .complete(let headLength):
            scanner = nil
            do throws(HTTPParseError) {
                let head = try Self.buildResponse(s, base, headLength, limits, requestMethod: requestMethod)
                return .complete(head, headLength: headLength)
            } catch {
                return .invalid(error)
            }
        }
    }

    public mutating func parseResponse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes,
        requestMethod: String
    ) -> HTTPParseResult<HTTPResponseHead> {
        if let result = bytes.withContiguousStorageIfAvailable({
            parseResponse(UnsafeRawBufferPointer($0), requestMethod: requestMethod)
        }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { parseResponse($0, requestMethod: requestMethod) }
    }

    public static func parseResponse(
        _ bytes: UnsafeRawBufferPointer,
        requestMethod: String,
        limits: HTTPParseLimits = HTTPParseLimits()
    ) -> HTTPParseResult<HTTPResponseHead> {
        var parser = HTTPHeadParser(limits: limits)
        return parser.parseResponse(bytes, requestMethod: requestMethod)
    }

    public static func parseResponse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes,
        requestMethod: String,
        limits: HTTPParseLimits = HTTPParseLimits()
    ) -> HTTPParseResult<HTTPResponseHead> {
        var parser = HTTPHeadParser(limits: limits)
        return parser.parseResponse(bytes, requestMethod: requestMethod)
    }

    // MARK: Assembly

    /// The saved scanner when it belongs to this kind of message and the
    /// buffer did not shrink (a shrunk buffer means a new message: rescan).
    private func resumedScanner(isRequest: Bool, count: Int) -> HeadScanner {
        if let s = scanner, s.isRequest == isRequest, s.pos <= count { return s }
        return HeadScanner(isRequest: isRequest)
    }

    private static func buildRequest(
        _ s: borrowing HeadScanner,
        _ p: UnsafePointer<UInt8>,
        _ headLength: Int,
        _ limits: HTTPParseLimits
    ) throws(HTTPParseError) -> HTTPRequestHead {
        var facts = FieldFacts()
        let fields = try FieldLineParser.parse(
            p,
            from: s.startLineEnd &+ 2,
            to: headLength &- 2,
            expectedCount: s.fieldLineCount,
            maxCount: limits.maxHeaderCount,
            facts: &facts
        )
        let layout = s.target
        let target = layout.makeTarget(raw: makeASCIIString(p, layout.start, layout.end))
        return try HTTPRequestHead(method: s.method, target: target, version: s.version, headers: fields, facts: &facts)
    }

    private static func buildResponse(
        _ s: borrowing HeadScanner,
        _ p: UnsafePointer<UInt8>,
        _ headLength: Int,
        _ limits: HTTPParseLimits,
        requestMethod: String
    ) throws(HTTPParseError) -> HTTPResponseHead {
        var facts = FieldFacts()
        let fields = try FieldLineParser.parse(
            p,
            from: s.startLineEnd &+ 2,
            to: headLength &- 2,
            expectedCount: s.fieldLineCount,
            maxCount: limits.maxHeaderCount,
            facts: &facts
        )
        // The reason phrase is only checked for control bytes; any other
        // bytes are kept, replacing broken UTF-8 (RFC 9112 §4: ignore it).
        let reason = String(
            decoding: UnsafeBufferPointer(start: p + s.reasonStart, count: s.startLineEnd &- s.reasonStart),
            as: UTF8.self
        )
        return try HTTPResponseHead(
            version: s.version,
            status: s.status,
            reason: reason,
            headers: fields,
            requestMethod: requestMethod,
            facts: &facts
        )
    }
}
