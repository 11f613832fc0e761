/// The HTTP/1.1 request bytes curl sends for a command: its default headers (`Host`, `User-Agent`,
/// `Accept`), the `-H` headers (which replace or, with `Name:`, remove defaults), and the `-d` body.
enum CurlRequest {
    /// The `User-Agent` curl sends: Debian 12's curl, so requests match the system curl byte for byte.
    static let userAgent = "curl/7.88.1"

    /// The head lines (without CRLF) and the body.
    static func build(_ command: CurlCommand) -> (lines: [String], body: [UInt8]) {
        var custom: [(name: String, line: String?)] = []
        for header in command.headers {
            if let colon = header.firstIndex(of: ":") {
                let name = header[..<colon].trimmingASCIISpaces()
                let value = header[header.index(after: colon)...].trimmingASCIISpaces()
                custom.append((name, value.isEmpty ? nil : "\(name): \(value)"))
            } else if header.hasSuffix(";") {
                let name = header.dropLast().trimmingASCIISpaces()
                custom.append((name, "\(name):"))
            }
        }
        func overridden(_ name: String) -> Bool { custom.contains { $0.name.lowercased() == name.lowercased() } }

        var lines = ["\(command.effectiveMethod) \(command.url.path) HTTP/1.1"]
        let defaults = [("Host", command.url.hostHeader), ("User-Agent", userAgent), ("Accept", "*/*")]
        for (name, value) in defaults where !overridden(name) { lines.append("\(name): \(value)") }
        lines += custom.compactMap(\.line)
        let body = command.body ?? []
        if command.body != nil {
            if !overridden("Content-Length") { lines.append("Content-Length: \(body.count)") }
            if !overridden("Content-Type") { lines.append("Content-Type: application/x-www-form-urlencoded") }
        }
        return (lines, body)
    }

    /// The request as bytes on the wire.
    static func bytes(_ command: CurlCommand) -> [UInt8] {
        let (lines, body) = build(command)
        return Array(lines.map { $0 + "\r\n" }.joined().utf8) + Array("\r\n".utf8) + body
    }
}
