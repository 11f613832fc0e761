import Testing

@testable import HTTPWire

/// Consume `bytes` in pieces of `step` bytes (0 = all at once), stopping at
/// the end of the body. Returns body bytes and done, or the error.
func frame(
    _ framing: HTTPBodyFraming,
    _ bytes: [UInt8],
    step: Int = 0,
    limits: HTTPParseLimits = HTTPParseLimits()
) -> Result<(Int, Bool), HTTPParseError> {
    var framer = HTTPBodyFramer(framing, limits: limits)
    var offset = 0
    while true {
        let end = step == 0 ? bytes.count : min(bytes.count, offset + step)
        do throws(HTTPParseError) {
            let (used, done) = try framer.consume(bytes[offset..<end])
            offset += used
            if done { return .success((offset, true)) }
        } catch {
            return .failure(error)
        }
        if end == bytes.count { return .success((offset, false)) }
    }
}

struct ChunkedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    var testDescription: String { name }
}

struct ChunkedRejection: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    let error: HTTPParseError
    var testDescription: String { name }
}

@Suite("Body framing")
struct BodyFramerTests {
    @Test("no body consumes nothing")
    func none() throws {
        var framer = HTTPBodyFramer(.none)
        #expect(framer.isDone)
        let r = try framer.consume(b("GET / HTTP/1.1\r\n"))
        #expect(r == (0, true))
    }

    @Test("Content-Length stops at the length, whatever the split", arguments: [0, 1, 2, 3, 7])
    func contentLength(_ step: Int) {
        let r = frame(.contentLength(10), b("0123456789GET / HTTP/1.1\r\n"), step: step)
        #expect((try? r.get()).map { $0 == (10, true) } == true)
    }

    @Test("a Content-Length body cut by EOF is truncated")
    func contentLengthTruncated() throws {
        var framer = HTTPBodyFramer(.contentLength(10))
        _ = try framer.consume(b("01234"))
        #expect(throws: HTTPParseError.truncatedBody) { try framer.finish() }
    }

    @Test("a body until close takes everything and ends at EOF")
    func untilClose() throws {
        var framer = HTTPBodyFramer(.untilClose)
        #expect(try framer.consume(b("abc")) == (3, false))
        #expect(try framer.consume(b("defg")) == (4, false))
        try framer.finish()
        #expect(framer.isDone)
    }

    static let valid: [ChunkedCase] = [
        .init(name: "two chunks", body: "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        .init(
            name: "upper and lower hex, leading zeros",
            body: "000A\r\n0123456789\r\na\r\n0123456789\r\n0000\r\n\r\n"
        ),
        .init(name: "extension without value", body: "5;last\r\nhello\r\n0\r\n\r\n"),
        .init(
            name: "extensions with token and quoted values",
            body: "5;a=b;c=\"d e;f\\\"g\"\r\nhello\r\n0;x=y\r\n\r\n"
        ),
        .init(name: "BWS around ; and =", body: "5 ;\ta = b ; c\r\nhello\r\n0\r\n\r\n"),
        .init(name: "trailers", body: "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other:\r\n\r\n"),
        .init(name: "obs-text in trailer and quoted extension", body: "1;n=\"é\"\r\nx\r\n0\r\nX: café\r\n\r\n"),
        .init(name: "empty body", body: "0\r\n\r\n"),
    ]

    @Test("valid chunked bodies end exactly at the final CRLF, in one piece or byte by byte", arguments: valid)
    func validChunked(_ c: ChunkedCase) {
        let body = b(c.body)
        let input = body + b("NEXT / HTTP/1.1\r\n")
        for step in [0, 1, 2, 3, 5] {
            let r = frame(.chunked, input, step: step)
            #expect((try? r.get()).map { $0 == (body.count, true) } == true, "step \(step): \(r)")
        }
    }

    @Test("every two-piece split of a chunked body agrees with one piece", arguments: valid)
    func everySplit(_ c: ChunkedCase) throws {
        let body = b(c.body)
        for split in 0...body.count {
            var framer = HTTPBodyFramer(.chunked)
            let first = try framer.consume(body[0..<split])
            #expect(!first.done || split == body.count)
            let second = try framer.consume(body[split...])
            #expect(first.bodyBytes + second.bodyBytes == body.count)
            #expect(second.done || first.done)
        }
    }

    static let rejections: [ChunkedRejection] = [
        .init(name: "empty chunk size", body: "\r\nhello\r\n", error: .invalidChunkSize),
        .init(name: "non-hex size", body: "g\r\n", error: .invalidChunkSize),
        .init(name: "junk after size", body: "5x\r\nhello\r\n", error: .invalidChunkSize),
        .init(name: "signed size", body: "+5\r\nhello\r\n", error: .invalidChunkSize),
        .init(name: "0x prefix", body: "0x5\r\nhello\r\n", error: .invalidChunkSize),
        .init(name: "size overflow", body: "8000000000000000\r\n", error: .chunkSizeOverflow),
        .init(name: "very long size", body: "ffffffffffffffffffff\r\n", error: .chunkSizeOverflow),
        .init(name: "LF-only size line", body: "5\nhello\r\n", error: .bareLF),
        .init(name: "bare CR after size", body: "5\rhello\r\n", error: .bareCR),
        .init(name: "data not followed by CRLF", body: "5\r\nhelloXX", error: .invalidChunkTerminator),
        .init(name: "data followed by LF only", body: "5\r\nhello\n0\r\n\r\n", error: .invalidChunkTerminator),
        .init(name: "data followed by CR only", body: "5\r\nhello\rX", error: .invalidChunkTerminator),
        .init(name: "trailing whitespace after size", body: "5 \r\nhello\r\n", error: .invalidChunkExtension),
        .init(name: "empty extension", body: "5;\r\nhello\r\n", error: .invalidChunkExtension),
        .init(name: "extension with empty value", body: "5;a=\r\nhello\r\n", error: .invalidChunkExtension),
        .init(name: "extension name with bad byte", body: "5;a@b\r\nhello\r\n", error: .invalidChunkExtension),
        .init(name: "unterminated quoted value", body: "5;a=\"x\r\nhello\r\n", error: .invalidChunkExtension),
        .init(name: "bare LF in extension", body: "5;a=b\nhello\r\n", error: .bareLF),
        .init(name: "control byte in quoted value", body: "5;a=\"\u{1}\"\r\nhello\r\n", error: .invalidChunkExtension),
        .init(
            name: "extension too long",
            body: "5;a=\"" + String(repeating: "x", count: 5000) + "\"\r\nhello\r\n",
            error: .chunkExtensionTooLarge
        ),
        .init(name: "obs-fold in trailers", body: "0\r\nX: a\r\n b\r\n\r\n", error: .obsFold),
        .init(name: "space before colon in trailer", body: "0\r\nX : a\r\n\r\n", error: .whitespaceBeforeColon),
        .init(name: "trailer without colon", body: "0\r\nXa\r\n\r\n", error: .missingColon),
        .init(name: "trailer with empty name", body: "0\r\n: a\r\n\r\n", error: .invalidHeaderName),
        .init(name: "control byte in trailer value", body: "0\r\nX: \u{0}\r\n\r\n", error: .invalidHeaderValue),
        .init(name: "bare LF in trailer", body: "0\r\nX: a\n\r\n", error: .bareLF),
        .init(name: "bare CR ending the trailers", body: "0\r\n\rX", error: .bareCR),
        .init(name: "LF-only end of body", body: "0\r\n\n", error: .bareLF),
        .init(
            name: "trailers too large",
            body: "0\r\nX: " + String(repeating: "t", count: 61_440) + "\r\n\r\n",
            error: .trailersTooLarge
        ),
        .init(
            name: "too many trailers",
            body: "0\r\n" + String(repeating: "X: y\r\n", count: 101) + "\r\n",
            error: .tooManyTrailers
        ),
    ]

    @Test("malformed chunked framing is rejected at the same byte whatever the split", arguments: rejections)
    func rejectedChunked(_ c: ChunkedRejection) {
        for step in [0, 1, 7] {
            let r = frame(.chunked, b(c.body), step: step)
            guard case .failure(let error) = r else {
                Issue.record("step \(step): expected \(c.error), got \(r)")
                continue
            }
            #expect(error == c.error, "step \(step)")
        }
    }

    @Test("trailers too large answer 431 headers_too_large, like balsa's trailer limit in Envoy")
    func trailerStatus() {
        #expect(HTTPParseError.trailersTooLarge.status == 431)
        #expect(HTTPParseError.trailersTooLarge.details == "http1.headers_too_large")
    }

    @Test("a chunked body cut by EOF is truncated, and errors stick")
    func chunkedTruncated() throws {
        var framer = HTTPBodyFramer(.chunked)
        #expect(try framer.consume(b("5\r\nhel")) == (6, false))
        #expect(throws: HTTPParseError.truncatedBody) { try framer.finish() }
        #expect(throws: HTTPParseError.truncatedBody) { _ = try framer.consume(b("lo\r\n")) }
    }

    @Test("chunk data is skipped without being examined")
    func dataIsOpaque() {
        // Chunk data full of CR, LF and NUL is fine: only its length matters.
        let body = b("6\r\n\r\n\r\n\0\0\r\n0\r\n\r\n")
        #expect((try? frame(.chunked, body).get()).map { $0 == (body.count, true) } == true)
    }

    @Test("the framer is made from a head's framing")
    func fromHead() throws {
        let head = try #require(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").head)
        var framer = HTTPBodyFramer(request: head)
        #expect(try framer.consume(b("0\r\n\r\n")) == (5, true))
        let response = try #require(parseResponse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").head)
        #expect(HTTPBodyFramer(response: response).isDone)
    }
}
