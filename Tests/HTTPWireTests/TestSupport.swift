import Testing

@testable import HTTPWire

/// UTF-8 bytes of a string literal (tests write heads with explicit \r\n).
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

func parseRequest(_ raw: [UInt8], limits: HTTPParseLimits = HTTPParseLimits()) -> HTTPParseResult<HTTPRequestHead> {
    HTTPHeadParser.parseRequest(raw, limits: limits)
}

func parseRequest(_ raw: String, limits: HTTPParseLimits = HTTPParseLimits()) -> HTTPParseResult<HTTPRequestHead> {
    parseRequest(b(raw), limits: limits)
}

func parseResponse(_ raw: String, method: String = "GET") -> HTTPParseResult<HTTPResponseHead> {
    HTTPHeadParser.parseResponse(b(raw), requestMethod: method)
}

/// The head of a result that must be complete, failing the test otherwise.
func completeHead<H>(_ result: HTTPParseResult<H>, sourceLocation: SourceLocation = #_sourceLocation) -> H? {
    guard case .complete(let head, _) = result else {
        Issue.record("expected a complete head, got \(result)", sourceLocation: sourceLocation)
        return nil
    }
    return head
}

/// A named byte sequence with the error it must produce.
struct RejectionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: [UInt8]
    let error: HTTPParseError
    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ error: HTTPParseError) {
        self.init(name, b(raw), error)
    }

    init(_ name: String, _ raw: [UInt8], _ error: HTTPParseError) {
        self.name = name
        self.raw = raw
        self.error = error
    }
}
