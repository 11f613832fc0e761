/// The start line and header fields of an HTTP/1.x message, split out of raw bytes.
struct HTTPHead {
    var startLine: String
    var headers: HTTPHeaderFields
    /// How many bytes the head took, including the blank line.
    var length: Int

    /// The maximum head size the harness accepts, as most servers do.
    static let limit = 64 * 1024

    /// Parses a head at the start of `buffer`; nil when the blank line has not arrived yet.
    static func parse(_ buffer: ArraySlice<UInt8>) throws(HTTPMessageError) -> HTTPHead? {
        guard let end = endOfHead(in: buffer) else {
            if buffer.count > limit { throw .headTooLarge(limit: limit) }
            return nil
        }
        guard end - buffer.startIndex <= limit else { throw .headTooLarge(limit: limit) }
        let text = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
        // CR LF is one Character in Swift, so this splits on line ends.
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let startLine = lines.popFirst().map(String.init) else { throw .badStartLine("") }
        var headers = HTTPHeaderFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                !line[..<colon].contains(where: { $0 == " " || $0 == "\t" })
            else { throw .badHeader(String(line)) }
            headers.append(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingASCIISpaces()
            )
        }
        return HTTPHead(startLine: startLine, headers: headers, length: end + 4 - buffer.startIndex)
    }

    /// The index where `\r\n\r\n` starts, if present.
    private static func endOfHead(in buffer: ArraySlice<UInt8>) -> Int? {
        var index = buffer.startIndex
        while index + 3 < buffer.endIndex {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The declared `Content-Length`, or nil.
    func contentLength() throws(HTTPMessageError) -> Int? {
        guard let value = headers["Content-Length"] else { return nil }
        guard let length = Int(value), length >= 0 else { throw .badContentLength(value) }
        return length
    }
}
