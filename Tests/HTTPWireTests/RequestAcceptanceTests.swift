import Testing

@testable import HTTPWire

@Suite("Valid requests")
struct RequestAcceptanceTests {
    @Test("a curl request parses with its facts")
    func curlRequest() throws {
        let raw = "GET /api/items?id=42 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
        let result = parseRequest(raw)
        guard case .complete(let head, let length) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(length == raw.utf8.count)
        #expect(head.method == "GET")
        #expect(head.target.raw == "/api/items?id=42")
        #expect(head.target.form == .origin)
        #expect(head.target.pathAndQuery == "/api/items?id=42")
        #expect(head.version == .http11)
        #expect(
            head.headers == [
                HTTPField(name: "Host", value: "example.com"),
                HTTPField(name: "User-Agent", value: "curl/8.5.0"),
                HTTPField(name: "Accept", value: "*/*"),
            ]
        )
        #expect(head.host == "example.com")
        #expect(head.contentLength == nil)
        #expect(!head.isChunked)
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
        #expect(head.upgrade == nil)
        #expect(head.connectionTokens.isEmpty)
        #expect(head.bodyFraming == .none)
    }

    @Test("the head length leaves the body and pipelined bytes alone")
    func headLengthStopsAtEmptyLine() {
        let head = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"
        let result = parseRequest(head + "hello" + "GET / HTTP/1.1\r\n")
        guard case .complete(let parsed, let length) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(length == head.utf8.count)
        #expect(parsed.contentLength == 5)
        #expect(parsed.bodyFraming == .contentLength(5))
    }

    @Test("surrounding OWS is trimmed from values, inner whitespace kept")
    func valuesAreTrimmed() {
        let head = completeHead(
            parseRequest("GET / HTTP/1.1\r\nHost:\t example.com \t\r\nX-A:  a  b  \r\nX-Empty:\r\nX-Spaces:   \r\n\r\n")
        )
        #expect(head?.headers.map(\.value) == ["example.com", "a  b", "", ""])
    }

    @Test("names keep their case and lookups ignore it")
    func namesKeepCase() {
        let head = completeHead(parseRequest("GET / HTTP/1.1\r\nhOsT: a\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n"))
        #expect(head?.headers.first?.name == "hOsT")
        #expect(head?.host == "a")
        #expect(head?.headers.firstValue(named: "x-forwarded-for") == "1.2.3.4")
    }

    @Test("UTF-8 obs-text in a value is kept byte for byte")
    func utf8ValueKept() {
        let head = completeHead(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX-Name: café ☕\r\n\r\n"))
        #expect(head?.headers.last?.value == "café ☕")
    }

    @Test("leading empty lines before the request line are skipped and counted")
    func leadingCRLF() {
        let raw = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        guard case .complete(let head, let length) = parseRequest(raw) else {
            Issue.record("not complete")
            return
        }
        #expect(head.method == "GET")
        #expect(length == raw.utf8.count)
    }

    @Test("absolute-form: the target's authority wins over Host")
    func absoluteForm() {
        let head = completeHead(
            parseRequest("GET http://origin.example:8080/p?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n")
        )
        #expect(head?.target.form == .absolute)
        #expect(head?.target.scheme == "http")
        #expect(head?.target.authority == "origin.example:8080")
        #expect(head?.target.pathAndQuery == "/p?q=1")
        #expect(head?.host == "origin.example:8080")
    }

    @Test(
        "absolute-form without path becomes / for forwarding",
        arguments: [
            ("HTTP://Example.COM", "/", "http"),
            ("https://example.com?x=1", "/?x=1", "https"),
            ("http://[::1]:8080/a", "/a", "http"),
            ("http://127.0.0.1/", "/", "http"),
        ]
    )
    func absoluteFormPaths(_ target: String, _ path: String, _ scheme: String) {
        let head = completeHead(parseRequest("GET \(target) HTTP/1.1\r\n\r\n"))
        #expect(head?.target.pathAndQuery == path)
        #expect(head?.target.scheme == scheme)
        #expect(head?.host != nil, "absolute-form needs no Host field")
    }

    @Test(
        "CONNECT takes an authority-form target",
        arguments: [
            "example.com:443", "[2001:db8::1]:443", "10.0.0.1:8443",
        ]
    )
    func connectAuthorityForm(_ authority: String) {
        let head = completeHead(parseRequest("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\r\n"))
        #expect(head?.target.form == .authority)
        #expect(head?.target.authority == authority)
        #expect(head?.host == authority)
        #expect(head?.bodyFraming == HTTPBodyFraming.none)
    }

    @Test("CONNECT with Content-Length: 0 is accepted, as Envoy does")
    func connectZeroLength() {
        let head = completeHead(parseRequest("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 0\r\n\r\n"))
        #expect(head?.bodyFraming == HTTPBodyFraming.none)
    }

    @Test("OPTIONS * uses asterisk-form")
    func asteriskForm() {
        let head = completeHead(parseRequest("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(head?.target.form == .asterisk)
        #expect(head?.target.pathAndQuery == "*")
    }

    @Test("Expect: 100-continue is seen on HTTP/1.1 and ignored on HTTP/1.0")
    func expectContinue() {
        let h11 = completeHead(
            parseRequest("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 10\r\n\r\n")
        )
        #expect(h11?.expectsContinue == true)
        let h10 = completeHead(parseRequest("PUT /f HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"))
        #expect(h10?.expectsContinue == false)
    }

    @Test("Upgrade: websocket counts when Connection names upgrade")
    func websocketUpgrade() {
        let raw =
            "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let head = completeHead(parseRequest(raw))
        #expect(head?.upgrade == "websocket")
        #expect(head?.connectionTokens == ["keep-alive", "upgrade"])
        let without = completeHead(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n"))
        #expect(without?.upgrade == nil, "Upgrade without Connection: upgrade is ignored")
        let http10 = completeHead(parseRequest("GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"))
        #expect(http10?.upgrade == nil, "RFC 9110 §7.8: ignore Upgrade in HTTP/1.0")
    }

    struct KeepAliveCase: Sendable, CustomTestStringConvertible {
        let version: String
        let connection: String?
        let keepAlive: Bool
        var testDescription: String { "\(version) Connection: \(connection ?? "-") → \(keepAlive)" }
    }

    @Test(
        "keep-alive follows version defaults and Connection tokens",
        arguments: [
            KeepAliveCase(version: "1.1", connection: nil, keepAlive: true),
            KeepAliveCase(version: "1.1", connection: "close", keepAlive: false),
            KeepAliveCase(version: "1.1", connection: "Keep-Alive", keepAlive: true),
            KeepAliveCase(version: "1.1", connection: "foo, CLOSE", keepAlive: false),
            KeepAliveCase(version: "1.0", connection: nil, keepAlive: false),
            KeepAliveCase(version: "1.0", connection: "keep-alive", keepAlive: true),
            KeepAliveCase(version: "1.0", connection: "Keep-Alive, x-foo", keepAlive: true),
            KeepAliveCase(version: "1.0", connection: "keep-alive, close", keepAlive: false),
        ]
    )
    func keepAlive(_ c: KeepAliveCase) {
        let connection = c.connection.map { "Connection: \($0)\r\n" } ?? ""
        let head = completeHead(parseRequest("GET / HTTP/\(c.version)\r\nHost: a\r\n\(connection)\r\n"))
        #expect(head?.keepAlive == c.keepAlive)
    }

    @Test("HTTP/1.0 without Host is accepted")
    func http10WithoutHost() {
        let head = completeHead(parseRequest("GET / HTTP/1.0\r\n\r\n"))
        #expect(head?.version == .http10)
        #expect(head?.host == nil)
    }

    @Test("empty Host value is allowed (RFC 9112 §3.2)")
    func emptyHost() {
        #expect(completeHead(parseRequest("GET / HTTP/1.1\r\nHost:\r\n\r\n"))?.host == "")
    }

    @Test("chunked request framing")
    func chunkedRequest() {
        let head = completeHead(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"))
        #expect(head?.isChunked == true)
        #expect(head?.bodyFraming == .chunked)
    }

    @Test("Content-Length with leading zeros and surrounding OWS")
    func contentLengthForms() {
        #expect(
            completeHead(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  007 \r\n\r\n"))?.contentLength
                == 7
        )
        #expect(
            completeHead(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"))?.bodyFraming
                == HTTPBodyFraming.none
        )
        #expect(
            completeHead(parseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n"))?
                .contentLength == Int.max
        )
    }

    @Test("every method in Envoy's list is accepted", arguments: Methods.all.map { "\($0)" })
    func knownMethods(_ method: String) {
        let target = method == "CONNECT" ? "a:443" : method == "OPTIONS" ? "*" : "/"
        #expect(completeHead(parseRequest("\(method) \(target) HTTP/1.1\r\nHost: a\r\n\r\n"))?.method == method)
    }

    @Test("custom methods are accepted when allowed")
    func customMethods() {
        var limits = HTTPParseLimits()
        limits.allowCustomMethods = true
        #expect(completeHead(parseRequest("QUERY /x HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits))?.method == "QUERY")
        #expect(parseRequest("QU(ERY /x HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == .invalid(.invalidMethod))
    }

    @Test(
        "targets with any VCHAR but # and well-formed escapes are accepted",
        arguments: [
            "/", "//double", "/a/b;c=d?x=1&y=%2F", "/search?q={\"a\":[1,2]}|^`", "/~user/@:!$&'()*+,=", "/%41%7a",
        ]
    )
    func originTargets(_ target: String) {
        #expect(completeHead(parseRequest("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n"))?.target.raw == target)
    }

    @Test("a request with many headers keeps all of them in order")
    func manyHeaders() {
        let fields = (0..<100).map { "X-Header-\($0): value-\($0)\r\n" }.joined()
        let head = completeHead(
            parseRequest("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n", limits: HTTPParseLimits(maxHeaderCount: 101))
        )
        #expect(head?.headers.count == 101)
        #expect(head?.headers.last == HTTPField(name: "X-Header-99", value: "value-99"))
    }
}
