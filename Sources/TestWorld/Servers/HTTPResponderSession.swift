/// One connection's conversation for the HTTP/1.1 responder: requests in, responses out. Pure: the channel
/// handler does the I/O.
struct HTTPResponderSession {
    /// What to do after reading some bytes.
    struct Reply {
        /// Responses to send, in order.
        var responses: [[UInt8]] = []
        /// Requests completed by these bytes.
        var requests: [HTTPRequest] = []
        /// Close the connection after sending the responses.
        var close = false
    }

    private let responder: HTTPResponder
    private var parser = HTTPRequestParser()
    private var closing = false

    init(responder: HTTPResponder) { self.responder = responder }

    /// Reads client bytes; answers every complete request (and a 400 for a malformed one, then closes).
    mutating func receive(_ bytes: [UInt8]) -> Reply {
        var reply = Reply()
        guard !closing else { return reply }
        parser.feed(bytes)
        while true {
            let request: HTTPRequest
            do {
                guard let next = try parser.next() else { break }
                request = next
            } catch {
                reply.responses.append(Self.badRequest(error))
                reply.close = true
                break
            }
            reply.requests.append(request)
            reply.responses.append(response(to: request))
            if request.wantsClose {
                reply.close = true
                break
            }
        }
        closing = reply.close
        return reply
    }

    private func response(to request: HTTPRequest) -> [UInt8] {
        let path = String(request.target.prefix { $0 != "?" })
        if let exact = responder.paths[path] {
            return HTTPResponderSession(responder: exact).response(to: request)
        }
        if responder.httpbin, let answer = Self.httpbin(request, path: path) {
            var answering = HTTPResponder(status: answer.status, body: answer.body)
            if !answer.body.isEmpty { answering.headers.append(name: "Content-Type", value: "application/json") }
            return HTTPResponderSession(responder: answering).response(to: request)
        }
        let body = responder.echoesRequest ? request.raw : responder.body
        var headers = responder.headers
        if !headers.contains("Content-Length") { headers.append(name: "Content-Length", value: "\(body.count)") }
        if request.wantsClose && !headers.lists("Connection", token: "close") {
            headers.append(name: "Connection", value: "close")
        }
        let reason = responder.reason ?? Self.standardReason(responder.status)
        let head = "HTTP/1.1 \(responder.status) \(reason)\r\n\(headers.wireFormat)\r\n"
        return Array(head.utf8) + (request.method == "HEAD" ? [] : body)
    }

    /// httpbin.org's answers for the paths Istio's tasks use.
    private static func httpbin(_ request: HTTPRequest, path: String) -> (status: Int, body: String)? {
        func headersJSON() -> String {
            let fields = request.headers.map { "\(json($0.name)): \(json($0.value))" }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        if path.hasPrefix("/status/"), let status = Int(path.dropFirst("/status/".count)), (100...599).contains(status)
        {
            return (status, "")
        }
        switch path {
        case "/headers": return (200, "{\"headers\": \(headersJSON())}\n")
        case "/ip": return (200, "{\"origin\": \"127.0.0.1\"}\n")
        case "/get":
            return (200, "{\"headers\": \(headersJSON()), \"url\": \(json(request.target))}\n")
        default:
            guard path == "/anything" || path.hasPrefix("/anything/") else { return nil }
            let data = String(decoding: request.body, as: UTF8.self)
            return (
                200,
                "{\"method\": \(json(request.method)), \"url\": \(json(request.target)), \"headers\": "
                    + "\(headersJSON()), \"data\": \(json(data))}\n"
            )
        }
    }

    /// A JSON string literal.
    private static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func badRequest(_ error: HTTPMessageError) -> [UInt8] {
        let body = "\(error)\n"
        return Array(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8
        )
    }

    static func standardReason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
