import Testing

@testable import HTTPWire

@Suite("Responses")
struct ResponseTests {
    @Test("a 200 with Content-Length")
    func okWithLength() {
        let raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
        guard case .complete(let head, let length) = parseResponse(raw + "hello world!") else {
            Issue.record("not complete")
            return
        }
        #expect(length == raw.utf8.count)
        #expect(head.version == .http11)
        #expect(head.status == 200)
        #expect(head.reason == "OK")
        #expect(head.contentLength == 12)
        #expect(head.bodyFraming == .contentLength(12))
        #expect(head.keepAlive)
        #expect(!head.isInterim)
        #expect(!head.startsTunnel)
    }

    struct FramingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let raw: String
        let method: String
        let framing: HTTPBodyFraming
        let keepAlive: Bool
        var testDescription: String { name }
    }

    @Test(
        "body framing by method and status (RFC 9112 §6.3)",
        arguments: [
            FramingCase(
                name: "no length: read until close",
                raw: "HTTP/1.1 200 OK\r\n\r\n",
                method: "GET",
                framing: .untilClose,
                keepAlive: false
            ),
            FramingCase(
                name: "chunked",
                raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                method: "GET",
                framing: .chunked,
                keepAlive: true
            ),
            FramingCase(
                name: "Content-Length: 0",
                raw: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                method: "GET",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "HEAD with Content-Length",
                raw: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
                method: "HEAD",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "HEAD with chunked",
                raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                method: "HEAD",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "HEAD without length",
                raw: "HTTP/1.1 200 OK\r\n\r\n",
                method: "HEAD",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "204",
                raw: "HTTP/1.1 204 No Content\r\n\r\n",
                method: "DELETE",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "204 with Content-Length: 0",
                raw: "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
                method: "GET",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "304 with Content-Length",
                raw: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5000\r\n\r\n",
                method: "GET",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "100 Continue",
                raw: "HTTP/1.1 100 Continue\r\n\r\n",
                method: "PUT",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "103 Early Hints",
                raw: "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n",
                method: "GET",
                framing: .none,
                keepAlive: true
            ),
            FramingCase(
                name: "HTTP/1.0 without keep-alive",
                raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n",
                method: "GET",
                framing: .contentLength(2),
                keepAlive: false
            ),
            FramingCase(
                name: "HTTP/1.0 keep-alive",
                raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n",
                method: "GET",
                framing: .contentLength(2),
                keepAlive: true
            ),
            FramingCase(
                name: "Connection: close",
                raw: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n",
                method: "GET",
                framing: .contentLength(2),
                keepAlive: false
            ),
            FramingCase(
                name: "2xx to CONNECT is a tunnel",
                raw: "HTTP/1.1 200 Connection Established\r\n\r\n",
                method: "CONNECT",
                framing: .none,
                keepAlive: false
            ),
            FramingCase(
                name: "4xx to CONNECT has a body",
                raw: "HTTP/1.1 403 Forbidden\r\nContent-Length: 3\r\n\r\n",
                method: "CONNECT",
                framing: .contentLength(3),
                keepAlive: true
            ),
        ]
    )
    func framing(_ c: FramingCase) {
        let head = completeHead(parseResponse(c.raw, method: c.method))
        #expect(head?.bodyFraming == c.framing)
        #expect(head?.keepAlive == c.keepAlive)
    }

    @Test("100 Continue is complete on its own; the real response follows it")
    func continueThenFinal() {
        let interim = "HTTP/1.1 100 Continue\r\n\r\n"
        let final = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        let buffer = b(interim + final)
        guard case .complete(let first, let n) = HTTPHeadParser.parseResponse(buffer, requestMethod: "PUT") else {
            Issue.record("interim")
            return
        }
        #expect(first.isInterim)
        #expect(first.status == 100)
        #expect(n == interim.utf8.count)
        let second = HTTPHeadParser.parseResponse(buffer[n...], requestMethod: "PUT").head
        #expect(second?.status == 201)
        #expect(second?.isInterim == false)
    }

    @Test("101 Switching Protocols starts a tunnel with the upgrade protocol")
    func switchingProtocols() {
        let head = completeHead(
            parseResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        )
        #expect(head?.isInterim == false)
        #expect(head?.startsTunnel == true)
        #expect(head?.upgrade == "websocket")
        #expect(head?.bodyFraming == HTTPBodyFraming.none)
    }

    @Test("a status line without reason phrase is accepted, as balsa does")
    func noReason() {
        #expect(completeHead(parseResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"))?.reason == "")
        #expect(completeHead(parseResponse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"))?.reason == "")
        #expect(
            completeHead(parseResponse("HTTP/1.1 404 Not  Found\t!\r\nContent-Length: 0\r\n\r\n"))?.reason
                == "Not  Found\t!"
        )
    }

    static let rejections: [RejectionCase] = [
        .init("two-digit status", "HTTP/1.1 20 OK\r\n\r\n", .invalidStatusLine),
        .init("four-digit status", "HTTP/1.1 2000 OK\r\n\r\n", .invalidStatusLine),
        .init("status below 100", "HTTP/1.1 099 Odd\r\n\r\n", .invalidStatusLine),
        .init("status 600", "HTTP/1.1 600 Odd\r\n\r\n", .invalidStatusLine),
        .init("no space before reason", "HTTP/1.1 200OK\r\n\r\n", .invalidStatusLine),
        .init("double space before status", "HTTP/1.1  200 OK\r\n\r\n", .invalidStatusLine),
        .init("wrong protocol name", "HTTX/1.1 200 OK\r\n\r\n", .invalidStatusLine),
        .init("lower-case protocol name", "http/1.1 200 OK\r\n\r\n", .invalidStatusLine),
        .init("not a status line at all", "<html>\r\n\r\n", .invalidStatusLine),
        .init("control byte in reason", "HTTP/1.1 200 O\u{1}K\r\n\r\n", .invalidStatusLine),
        .init("HTTP/2.0 status line", "HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion),
        .init("bare LF status line", "HTTP/1.1 200 OK\n\r\n", .bareLF),
        .init("Transfer-Encoding gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding),
        .init(
            "CL and TE",
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthAndChunked
        ),
        .init(
            "differing CLs",
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            .multipleContentLength
        ),
        .init(
            "TE in HTTP/1.0 response",
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            .transferEncodingInHTTP10
        ),
        .init(
            "TE on 204",
            "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
            .transferEncodingNotAllowed
        ),
        .init("TE on 100", "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingNotAllowed),
        .init("CL on 204", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", .contentLengthNotAllowed),
        .init("CL on 101", "HTTP/1.1 101 Switching Protocols\r\nContent-Length: 5\r\n\r\n", .contentLengthNotAllowed),
        .init("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", .obsFold),
        .init("NUL in value", "HTTP/1.1 200 OK\r\nX: a\u{0}\r\n\r\n", .invalidHeaderValue),
    ]

    @Test("malformed responses are rejected", arguments: rejections)
    func rejected(_ c: RejectionCase) {
        #expect(HTTPHeadParser.parseResponse(c.raw, requestMethod: "GET") == .invalid(c.error))
        var parser = HTTPHeadParser()
        var last: HTTPParseResult<HTTPResponseHead> = .incomplete
        for k in 1...c.raw.count {
            last = parser.parseResponse(c.raw[0..<k], requestMethod: "GET")
            if case .incomplete = last { continue }
            break
        }
        #expect(last == .invalid(c.error), "byte-at-a-time")
    }

    @Test("a response error is answered 502 upstream, with the codec details")
    func upstreamStatus() {
        let error = parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").error
        #expect(HTTPParseError.upstreamStatus == 502)
        #expect(error?.details == "http1.invalid_transfer_encoding")
    }

    @Test("a response does not need Host and may repeat it")
    func noHostRules() {
        #expect(
            completeHead(parseResponse("HTTP/1.1 200 OK\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n")) != nil
        )
    }
}
