import Testing

@testable import HTTPWire

/// Inputs covering valid heads, heads followed by bodies, and errors found
/// at every phase (method, start line, scanning, field lines, semantics).
struct SplitCase: Sendable, CustomTestStringConvertible {
    let text: String
    var testDescription: String {
        String(
            text.unicodeScalars.map { $0 == "\r" ? "␍" : $0 == "\n" ? "␊" : $0.value < 0x20 ? "·" : Character($0) }
                .prefix(60)
        )
    }
}

let splitCorpus: [SplitCase] = [String]([
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "\r\nPOST /x?y HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nX-Long-Value: abcdefghijklmnopqrstuvwxyz0123456789\r\n\r\nabcGET / HTTP/1.1\r\n",
    "GET http://a.example/p HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
    "GEX / HTTP/1.1\r\n\r\n",
    "GE\tT / HTTP/1.1\r\n\r\n",
    "GET /a\rb HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.1\nHost: a\r\n\r\n",
    "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    "GET / HTTP/1.1\r\nX: \u{1}\r\nY\n\r\n",
    "GET / HTTP/1.2\r\n\r\n",
    "GET / HTTP/1.1\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "FOO",
    "PROPFINE / HTTP/1.1\r\n\r\n",
]).map(SplitCase.init)

@Suite("Incremental parsing")
struct IncrementalTests {
    @Test("feeding a growing buffer gives the one-shot verdict at the same byte", arguments: splitCorpus)
    func growingBuffer(_ c: SplitCase) {
        let raw = b(c.text)
        let oneShot = parseRequest(raw)
        var parser = HTTPHeadParser()
        var settled: (k: Int, result: HTTPParseResult<HTTPRequestHead>)?
        for k in 0...raw.count {
            let r = parser.parseRequest(raw[0..<k])
            if case .incomplete = r { continue }
            settled = (k, r)
            break
        }
        if case .incomplete = oneShot {
            #expect(settled == nil)
            return
        }
        #expect(settled?.result == oneShot)
        // The one-shot parser on each prefix agrees: incomplete before the
        // settling byte, the same verdict from there on.
        guard let settled else { return }
        for k in 0...raw.count {
            let r = parseRequest(Array(raw[0..<k]))
            if k < settled.k {
                #expect(r == .incomplete, "prefix \(k)")
            } else {
                #expect(r == oneShot, "prefix \(k)")
            }
        }
    }

    @Test("a new, shorter buffer restarts the parser")
    func shorterBufferRestarts() {
        var parser = HTTPHeadParser()
        #expect(parser.parseRequest(b("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1")) == .incomplete)
        #expect(parser.parseRequest(b("GET / HTTP/1.1\r\nHost: b\r\n\r\n")).head?.host == "b")
    }

    @Test("after a complete head the parser starts over for the next message")
    func pipelined() {
        let first = b("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n")
        let second = b("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
        let buffer = first + second
        var parser = HTTPHeadParser()
        guard case .complete(let h1, let n1) = parser.parseRequest(buffer) else {
            Issue.record("first head")
            return
        }
        #expect(h1.target.raw == "/1")
        #expect(parser.parseRequest(buffer[n1...]).head?.target.raw == "/2")
    }

    @Test("request and response parsing on one parser do not mix state")
    func kindSwitch() {
        var parser = HTTPHeadParser()
        #expect(parser.parseRequest(b("GET / HTTP/1.1\r\n")) == .incomplete)
        #expect(parser.parseResponse(b("HTTP/1.1 204 No Content\r\n\r\n"), requestMethod: "GET").head?.status == 204)
    }
}
