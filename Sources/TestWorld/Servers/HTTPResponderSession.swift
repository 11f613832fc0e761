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
