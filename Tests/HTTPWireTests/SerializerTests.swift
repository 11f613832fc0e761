import Testing

@testable import HTTPWire

@Suite("Serializing heads")
struct SerializerTests {
    @Test("a parsed head serializes to its canonical form and parses back equal")
    func roundTrip() throws {
        let raw = "\r\nPOST /upload?x=1 HTTP/1.1\r\nHost:  example.com \r\nContent-Length: 3\r\nX-A:\tb c\r\n\r\n"
        let head = try #require(parseRequest(raw).head)
        let bytes = try head.serialized()
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nX-A: b c\r\n\r\n"
        )
        #expect(parseRequest(bytes).head == head)
    }

    @Test("a forwarded head with fields added, removed and replaced, and a rewritten path")
    func forwardedHead() throws {
        var head = try #require(
            parseRequest(
                "GET http://public.example/old?q=1 HTTP/1.1\r\nHost: ignored.example\r\nConnection: keep-alive\r\nX-Request-Id: client-chosen\r\nAccept: */*\r\n\r\n"
            ).head
        )
        head.target = try .origin("/new" + head.target.pathAndQuery.dropFirst(4))
        head.headers.replaceOrAppend(name: "Host", value: head.host ?? "")
        head.headers.removeAll(named: "connection")
        head.headers.replaceOrAppend(name: "x-request-id", value: "7f3c")
        head.headers.append(HTTPField(name: "X-Forwarded-For", value: "192.0.2.1"))
        let out = try head.serialized()
        #expect(
            String(decoding: out, as: UTF8.self)
                == "GET /new?q=1 HTTP/1.1\r\nHost: public.example\r\nX-Request-Id: 7f3c\r\nAccept: */*\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n"
        )
    }

    @Test("serialize(into:) appends after existing bytes")
    func appends() throws {
        var out = b("prefix")
        let head = try HTTPRequestHead(
            method: "GET",
            target: .origin("/"),
            headers: [HTTPField(name: "Host", value: "a")]
        )
        try head.serialize(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "prefixGET / HTTP/1.1\r\nHost: a\r\n\r\n")
    }

    @Test("a response head, e.g. a local reply")
    func response() throws {
        let head = try HTTPResponseHead(
            status: 431,
            reason: "Request Header Fields Too Large",
            headers: [HTTPField(name: "Content-Length", value: "0"), HTTPField(name: "Connection", value: "close")]
        )
        #expect(head.keepAlive == false)
        let text = String(decoding: try head.serialized(), as: UTF8.self)
        #expect(
            text == "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        #expect(HTTPHeadParser.parseResponse(b(text), requestMethod: "GET").head == head)
    }

    @Test(
        "header injection through an edited field is refused",
        arguments: [
            HTTPField(name: "X-Request-Id", value: "a\r\nX-Admin: 1"),
            HTTPField(name: "X-A", value: "a\nb"),
            HTTPField(name: "X-A", value: "a\u{0}"),
        ]
    )
    func injectionRefused(_ field: HTTPField) throws {
        var head = try #require(parseRequest("GET / HTTP/1.1\r\nHost: a\r\n\r\n").head)
        head.headers.append(field)
        #expect(throws: HTTPSerializeError.invalidHeaderValue(name: field.name)) { try head.serialized() }
    }

    @Test("bad names, methods and reasons are refused")
    func badPieces() throws {
        var head = try #require(parseRequest("GET / HTTP/1.1\r\nHost: a\r\n\r\n").head)
        head.headers.append(HTTPField(name: "Bad Name", value: "v"))
        #expect(throws: HTTPSerializeError.invalidHeaderName("Bad Name")) { try head.serialized() }
        head.headers.removeLast()
        head.method = "GE T"
        #expect(throws: HTTPSerializeError.invalidMethod) { try head.serialized() }
        var response = try HTTPResponseHead(status: 200, reason: "OK")
        response.reason = "O\r\nK"
        #expect(throws: HTTPSerializeError.invalidReasonPhrase) { try response.serialized() }
    }

    @Test("heads built in code run the parser's semantic checks")
    func builtHeadsAreChecked() {
        #expect(throws: HTTPParseError.missingHost) {
            try HTTPRequestHead(method: "GET", target: .origin("/"), headers: [])
        }
        #expect(throws: HTTPParseError.contentLengthAndChunked) {
            try HTTPRequestHead(
                method: "POST",
                target: .origin("/"),
                headers: [
                    HTTPField(name: "Host", value: "a"), HTTPField(name: "Content-Length", value: "1"),
                    HTTPField(name: "Transfer-Encoding", value: "chunked"),
                ]
            )
        }
        #expect(throws: HTTPParseError.invalidURL) {
            try HTTPRequestHead(method: "CONNECT", target: .origin("/"), headers: [HTTPField(name: "Host", value: "a")])
        }
        #expect(throws: HTTPParseError.invalidTarget) { try HTTPRequestTarget.origin("http://a/") }
        #expect(throws: HTTPParseError.invalidTarget) { try HTTPRequestTarget.origin("/a b") }
    }
}
