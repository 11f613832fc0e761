import Testing

@testable import HTTPWire

private let h = "Host: example.com\r\n"

/// Every request the parser must refuse, with the exact error. Status and
/// details follow from the error (checked in `ErrorCatalogTests`), and are
/// asserted here too so a regression shows the wire-visible effect.
@Suite("Request rejections")
struct RequestRejectionTests {
    static let framing: [RejectionCase] = [
        .init(
            "Content-Length then Transfer-Encoding",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthAndChunked
        ),
        .init(
            "Transfer-Encoding then Content-Length",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
            .contentLengthAndChunked
        ),
        .init(
            "unknown coding with Content-Length is still CL+TE (Envoy checks that first)",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n",
            .contentLengthAndChunked
        ),
        .init(
            "differing Content-Length lines",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
            .multipleContentLength
        ),
        .init(
            "identical Content-Length lines (Envoy: disallow_multiple_content_length)",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 5\r\nContent-Length: 5\r\n\r\n",
            .multipleContentLength
        ),
        .init("Content-Length list 5, 5", "POST / HTTP/1.1\r\n\(h)Content-Length: 5, 5\r\n\r\n", .invalidContentLength),
        .init("Content-Length list 5,6", "POST / HTTP/1.1\r\n\(h)Content-Length: 5,6\r\n\r\n", .invalidContentLength),
        .init(
            "non-numeric Content-Length",
            "POST / HTTP/1.1\r\n\(h)Content-Length: abc\r\n\r\n",
            .invalidContentLength
        ),
        .init("plus-signed Content-Length", "POST / HTTP/1.1\r\n\(h)Content-Length: +5\r\n\r\n", .invalidContentLength),
        .init("negative Content-Length", "POST / HTTP/1.1\r\n\(h)Content-Length: -5\r\n\r\n", .invalidContentLength),
        .init("hex Content-Length", "POST / HTTP/1.1\r\n\(h)Content-Length: 0x10\r\n\r\n", .invalidContentLength),
        .init(
            "Content-Length with inner space",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 1 0\r\n\r\n",
            .invalidContentLength
        ),
        .init("empty Content-Length", "POST / HTTP/1.1\r\n\(h)Content-Length:\r\n\r\n", .invalidContentLength),
        .init(
            "overflowing Content-Length",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 9223372036854775808\r\n\r\n",
            .invalidContentLength
        ),
        .init(
            "20-digit Content-Length",
            "POST / HTTP/1.1\r\n\(h)Content-Length: 99999999999999999999\r\n\r\n",
            .invalidContentLength
        ),
        .init(
            "gzip transfer coding",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "chunked not alone",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip, chunked\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "chunked not final",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked, gzip\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "chunked twice in one line",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked, chunked\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "chunked on two lines",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "identity coding",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: identity\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init("empty Transfer-Encoding", "POST / HTTP/1.1\r\n\(h)Transfer-Encoding:\r\n\r\n", .invalidTransferEncoding),
        .init(
            "chunked with a parameter",
            "POST / HTTP/1.1\r\n\(h)Transfer-Encoding: chunked;q=1\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "Transfer-Encoding on CONNECT",
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nTransfer-Encoding: chunked\r\n\r\n",
            .invalidTransferEncoding
        ),
        .init(
            "Transfer-Encoding in HTTP/1.0",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            .transferEncodingInHTTP10
        ),
        .init(
            "CONNECT with a body",
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nContent-Length: 5\r\n\r\n",
            .connectWithBody
        ),
    ]

    static let lines: [RejectionCase] = [
        .init("obs-fold with SP", "GET / HTTP/1.1\r\n\(h)X-A: b\r\n c\r\n\r\n", .obsFold),
        .init("obs-fold with HTAB", "GET / HTTP/1.1\r\n\(h)X-A: b\r\n\tc\r\n\r\n", .obsFold),
        .init("first field line starting with SP", "GET / HTTP/1.1\r\n Host: example.com\r\n\r\n", .obsFold),
        .init("bare CR in a value", "GET / HTTP/1.1\r\n\(h)X-A: a\rb\r\n\r\n", .bareCR),
        .init("bare CR in the request line", "GET /a\rb HTTP/1.1\r\n\(h)\r\n", .bareCR),
        .init("bare CR before the terminator", "GET / HTTP/1.1\r\n\(h)\r\r\n", .bareCR),
        .init("bare CR in leading empty lines", "\r\rGET / HTTP/1.1\r\n\(h)\r\n", .bareCR),
        .init("LF-only request line", "GET / HTTP/1.1\n\(h)\r\n", .bareLF),
        .init("LF-only field line", "GET / HTTP/1.1\r\nHost: example.com\n\r\n", .bareLF),
        .init("LF-only terminator", "GET / HTTP/1.1\r\n\(h)\n", .bareLF),
        .init("LF-only leading line", "\nGET / HTTP/1.1\r\n\(h)\r\n", .bareLF),
        .init("space before colon", "GET / HTTP/1.1\r\nHost : example.com\r\n\r\n", .whitespaceBeforeColon),
        .init("tab before colon", "GET / HTTP/1.1\r\nHost\t: example.com\r\n\r\n", .whitespaceBeforeColon),
        .init("space inside a name", "GET / HTTP/1.1\r\n\(h)X A: b\r\n\r\n", .whitespaceBeforeColon),
        .init("empty field name", "GET / HTTP/1.1\r\n\(h): b\r\n\r\n", .invalidHeaderName),
        .init("parenthesis in a name", "GET / HTTP/1.1\r\n\(h)X(A): b\r\n\r\n", .invalidHeaderName),
        .init("quote in a name", "GET / HTTP/1.1\r\n\(h)X\"A: b\r\n\r\n", .invalidHeaderName),
        .init("slash in a name", "GET / HTTP/1.1\r\n\(h)X/A: b\r\n\r\n", .invalidHeaderName),
        .init("DEL in a name", "GET / HTTP/1.1\r\n\(h)X\u{7F}A: b\r\n\r\n", .invalidHeaderName),
        .init("non-ASCII name", "GET / HTTP/1.1\r\n\(h)Xé: b\r\n\r\n", .invalidHeaderName),
        .init("line without colon", "GET / HTTP/1.1\r\n\(h)NoColonHere\r\n\r\n", .missingColon),
        .init("NUL in a value", "GET / HTTP/1.1\r\n\(h)X-A: a\u{0}b\r\n\r\n", .invalidHeaderValue),
        .init("SOH in a value", "GET / HTTP/1.1\r\n\(h)X-A: a\u{1}b\r\n\r\n", .invalidHeaderValue),
        .init("ESC in a value", "GET / HTTP/1.1\r\n\(h)X-A: a\u{1B}[0m\r\n\r\n", .invalidHeaderValue),
        .init("DEL in a value", "GET / HTTP/1.1\r\n\(h)X-A: a\u{7F}b\r\n\r\n", .invalidHeaderValue),
        .init(
            "control byte after 8 clean bytes",
            "GET / HTTP/1.1\r\n\(h)X-A: abcdefghijkl\u{2}mnop\r\n\r\n",
            .invalidHeaderValue
        ),
        .init(
            "Latin-1 (not UTF-8) value",
            b("GET / HTTP/1.1\r\n\(h)X-A: caf") + [0xE9] + b("\r\n\r\n"),
            .invalidHeaderValue
        ),
        .init(
            "truncated UTF-8 value",
            b("GET / HTTP/1.1\r\n\(h)X-A: ") + [0xE2, 0x82] + b("\r\n\r\n"),
            .invalidHeaderValue
        ),
    ]

    static let requestLine: [RejectionCase] = [
        .init("lower-case method", "get / HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("unknown method (allow_custom_methods off)", "FOO / HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .invalidMethod),
        .init("non-token method byte", "G(T / HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("empty method", " / HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("HTAB after method", "GET\t/ HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("no space after method", "GET/ HTTP/1.1\r\n\(h)\r\n", .invalidMethod),
        .init("TLS ClientHello on a plain port", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01], .invalidMethod),
        .init("missing version", "GET /\r\n\(h)\r\n", .invalidRequestLine),
        .init("missing space before version", "GET /HTTP/1.1\r\n\(h)\r\n", .invalidRequestLine),
        .init("double space after method", "GET  / HTTP/1.1\r\n\(h)\r\n", .invalidRequestLine),
        .init("double space before version", "GET /  HTTP/1.1\r\n\(h)\r\n", .invalidRequestLine),
        .init("trailing space", "GET / HTTP/1.1 \r\n\(h)\r\n", .invalidRequestLine),
        .init("space inside the target", "GET /a b HTTP/1.1\r\n\(h)\r\n", .invalidRequestLine),
        .init("control byte in target", "GET /a\u{1}b HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("HTAB in target", "GET /a\tb HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("DEL in target", "GET /a\u{7F} HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("non-ASCII target", "GET /café HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("fragment in target", "GET /a#frag HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("bad percent escape", "GET /a%zz HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("truncated percent escape", "GET /a%4 HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("percent at the end", "GET /a% HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("bad escape after 8 clean bytes", "GET /abcdefghij%g0 HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("bare host as target", "GET example.com HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("authority-form outside CONNECT", "GET example.com:80 HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("scheme without //", "GET http:example.com/ HTTP/1.1\r\n\(h)\r\n", .invalidTarget),
        .init("asterisk outside OPTIONS", "GET * HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("asterisk with suffix", "OPTIONS *x HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("CONNECT with origin-form", "CONNECT / HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("CONNECT without port", "CONNECT example.com HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("CONNECT to port 0", "CONNECT example.com:0 HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("CONNECT to port 65536", "CONNECT example.com:65536 HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("CONNECT with absolute-form", "CONNECT http://example.com:443/ HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("absolute-form with empty host", "GET http:///p HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("absolute-form with userinfo", "GET http://user:pw@example.com/ HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("absolute-form with empty port", "GET http://example.com:/ HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("absolute-form with letters in port", "GET http://example.com:8o/ HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("absolute-form with unclosed IPv6", "GET http://[::1/ HTTP/1.1\r\n\(h)\r\n", .invalidURL),
        .init("ftp scheme", "GET ftp://example.com/ HTTP/1.1\r\n\(h)\r\n", .invalidScheme),
        .init("ws scheme", "GET ws://example.com/ HTTP/1.1\r\n\(h)\r\n", .invalidScheme),
        .init("lower-case HTTP name", "GET / http/1.1\r\n\(h)\r\n", .invalidVersion),
        .init("version without dot", "GET / HTTP/11\r\n\(h)\r\n", .invalidVersion),
        .init("two-digit minor", "GET / HTTP/1.10\r\n\(h)\r\n", .invalidVersion),
        .init("not HTTP at all", "GET / FTP/1.1\r\n\(h)\r\n", .invalidVersion),
        .init("HTTP/1.2", "GET / HTTP/1.2\r\n\(h)\r\n", .unsupportedVersion),
        .init("HTTP/2.0 in a request line", "GET / HTTP/2.0\r\n\(h)\r\n", .unsupportedVersion),
        .init("HTTP/0.9 with version", "GET / HTTP/0.9\r\n\(h)\r\n", .unsupportedVersion),
        .init("HTTP/3.0", "GET / HTTP/3.0\r\n\(h)\r\n", .unsupportedVersion),
    ]

    static let host: [RejectionCase] = [
        .init("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .missingHost),
        .init("HTTP/1.1 OPTIONS * without Host", "OPTIONS * HTTP/1.1\r\n\r\n", .missingHost),
        .init("two Host lines", "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", .multipleHost),
        .init("two equal Host lines", "GET / HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n", .multipleHost),
        .init(
            "two Host lines with absolute-form",
            "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
            .multipleHost
        ),
        .init("two Host lines in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHost),
        .init("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost),
        .init("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n", .invalidHost),
        .init("Host with empty port", "GET / HTTP/1.1\r\nHost: example.com:\r\n\r\n", .invalidHost),
        .init("Host with port too large", "GET / HTTP/1.1\r\nHost: example.com:65536\r\n\r\n", .invalidHost),
        .init("Host with a path", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n", .invalidHost),
        .init("Host list", "GET / HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n", .invalidHost),
        .init("Host with bad escape", "GET / HTTP/1.1\r\nHost: ex%zzample\r\n\r\n", .invalidHost),
    ]

    @Test("framing conflicts are rejected", arguments: framing)
    func rejectsFraming(_ c: RejectionCase) { expectRejection(c) }

    @Test("malformed field lines are rejected", arguments: lines)
    func rejectsFieldLines(_ c: RejectionCase) { expectRejection(c) }

    @Test("malformed request lines are rejected", arguments: requestLine)
    func rejectsRequestLines(_ c: RejectionCase) { expectRejection(c) }

    @Test("bad or missing Host is rejected", arguments: host)
    func rejectsHost(_ c: RejectionCase) { expectRejection(c) }

    @Test("status and details are what the proxy answers")
    func statusAndDetails() {
        let expectations: [(String, Int, String)] = [
            (
                "POST / HTTP/1.1\r\n\(h)Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
                "http1.content_length_and_chunked_not_allowed"
            ),
            ("POST / HTTP/1.1\r\n\(h)Transfer-Encoding: gzip\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
            ("GET / HTTP/1.1\r\n\(h)X: a\u{1}\r\n\r\n", 400, "http1.invalid_characters"),
            ("GET / HTTP/1.1\r\n\r\n", 400, "missing_host_header"),
            ("get / HTTP/1.1\r\n\(h)\r\n", 400, "http1.codec_error"),
            ("GET / HTTP/1.2\r\n\(h)\r\n", 505, "http1.codec_error"),
            ("GET * HTTP/1.1\r\n\(h)\r\n", 400, "http1.invalid_url"),
            ("GET ftp://a/ HTTP/1.1\r\n\(h)\r\n", 400, "http1.invalid_scheme"),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "http.invalid_authority"),
            ("CONNECT a:1 HTTP/1.1\r\nContent-Length: 2\r\n\r\n", 400, "http1.body_disallowed"),
        ]
        for (raw, status, details) in expectations {
            let error = parseRequest(raw).error
            #expect(error?.status == status, "\(raw)")
            #expect(error?.details == details, "\(raw)")
        }
    }

    private func expectRejection(_ c: RejectionCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = parseRequest(c.raw)
        #expect(result == .invalid(c.error), sourceLocation: sourceLocation)
        // Whatever the split, the verdict is the same.
        var parser = HTTPHeadParser()
        var incremental: HTTPParseResult<HTTPRequestHead> = .incomplete
        for k in 1...c.raw.count {
            incremental = parser.parseRequest(c.raw[0..<k])
            if case .incomplete = incremental { continue }
            break
        }
        #expect(incremental == .invalid(c.error), "byte-at-a-time", sourceLocation: sourceLocation)
    }
}
