import Testing

@testable import HTTPWire

/// A request head of exactly `size` bytes: the filler header is padded.
private func head(ofSize size: Int, fieldCount: Int = 0) -> [UInt8] {
    var raw = "GET / HTTP/1.1\r\nHost: a\r\n"
    for i in 0..<fieldCount { raw += "X-\(i): v\r\n" }
    let fixed = raw.utf8.count + "X-Pad: \r\n\r\n".utf8.count
    precondition(size >= fixed)
    raw += "X-Pad: " + String(repeating: "p", count: size - fixed) + "\r\n\r\n"
    return b(raw)
}

@Suite("Head limits")
struct LimitTests {
    @Test("a head of exactly 60 KiB is accepted, one byte more is 431")
    func defaultHeadSizeBoundary() {
        let atLimit = head(ofSize: 60 * 1024)
        #expect(atLimit.count == 61_440)
        guard case .complete(_, let length) = parseRequest(atLimit) else {
            Issue.record("head at the limit must parse")
            return
        }
        #expect(length == 61_440)

        let over = head(ofSize: 60 * 1024 + 1)
        let error = parseRequest(over).error
        #expect(error == .headersTooLarge)
        #expect(error?.status == 431)
        #expect(error?.details == "http1.headers_too_large")
    }

    @Test("an oversized head is refused once the limit is reached, before it ends")
    func oversizedWithoutEnd() {
        let limits = HTTPParseLimits(maxHeadSize: 256)
        let endless = b("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "x", count: 1000))
        #expect(parseRequest(Array(endless[0..<255]), limits: limits) == .incomplete)
        #expect(parseRequest(Array(endless[0..<256]), limits: limits) == .invalid(.headersTooLarge))
        #expect(parseRequest(endless, limits: limits) == .invalid(.headersTooLarge))
        // The incremental parser reaches the same verdict at the same byte.
        var parser = HTTPHeadParser(limits: limits)
        for k in 1..<256 { #expect(parser.parseRequest(endless[0..<k]) == .incomplete) }
        #expect(parser.parseRequest(endless[0..<256]) == .invalid(.headersTooLarge))
    }

    @Test("with a small limit: exactly at the limit vs one over", arguments: [64, 100, 333])
    func smallLimits(_ limit: Int) {
        let limits = HTTPParseLimits(maxHeadSize: limit)
        #expect(parseRequest(head(ofSize: limit), limits: limits).head != nil)
        #expect(parseRequest(head(ofSize: limit + 1), limits: limits) == .invalid(.headersTooLarge))
    }

    @Test("a head ending exactly at the limit with its final CR on the last allowed byte")
    func crOnLastByte() {
        let raw = head(ofSize: 80)
        let limits = HTTPParseLimits(maxHeadSize: 79)
        #expect(parseRequest(Array(raw[0..<79]), limits: limits) == .invalid(.headersTooLarge))
    }

    @Test("100 headers are accepted, 101 are 431 too_many_headers")
    func headerCount() {
        // Host plus 99 fillers = 100 field lines.
        let at = head(ofSize: 2000, fieldCount: 98)
        #expect(parseRequest(at).head?.headers.count == 100)
        let over = head(ofSize: 2000, fieldCount: 99)
        let error = parseRequest(over).error
        #expect(error == .tooManyHeaders)
        #expect(error?.status == 431)
        #expect(error?.details == "http1.too_many_headers")
    }

    @Test("leading empty lines count toward the size limit")
    func leadingLinesCount() {
        let limits = HTTPParseLimits(maxHeadSize: 64)
        let spam = [UInt8](repeating: 0, count: 64).enumerated().map { $0.offset % 2 == 0 ? CR : LF }
        #expect(parseRequest(spam, limits: limits) == .invalid(.headersTooLarge))
    }
}
