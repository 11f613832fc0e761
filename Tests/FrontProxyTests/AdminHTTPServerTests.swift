import Foundation
import FrontProxy
import NIOCore
import NIOHTTP1
import NIOPosix
import TestWorld
import Testing

/// Answers with what it was asked, so the test sees exactly what the server parsed.
private struct EchoResponder: AdminRequestResponder {
    func respond(to request: AdminRequest) async -> AdminResponse {
        let query = request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let status: HTTPResponseStatus = request.path == "/missing" ? .notFound : .ok
        return AdminResponse(
            status: status,
            body: "\(request.method) \(request.path) [\(query)] \(String(decoding: request.body, as: UTF8.self))"
        )
    }
}

/// Runs the real curl and returns (HTTP status, body), waiting on a Dispatch thread so the cooperative pool
/// stays free for the server under test.
private func curl(_ arguments: [String]) async throws -> (status: Int, body: String) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try curlBlocking(arguments) }) }
    }
}

private func curlBlocking(_ arguments: [String]) throws -> (status: Int, body: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "--max-time", "30", "-w", "\n%{http_code}"] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    let split = text.lastIndex(of: "\n") ?? text.startIndex
    return (Int(text[text.index(after: split)...]) ?? -1, String(text[..<split]))
}

@Suite struct AdminHTTPServerTests {
    @Test func curlRequestsReachTheResponderWithMethodPathQueryAndBody() async throws {
        let server = try await AdminHTTPServer.start(
            at: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            group: MultiThreadedEventLoopGroup.singleton,
            responder: EchoResponder()
        )
        let port = try #require(server.localAddress?.port)
        let base = "http://127.0.0.1:\(port)"

        let get = try await curl(["\(base)/config_dump?kind=gateway&name=front%2Dproxy"])
        #expect(get.status == 200)
        #expect(get.body == "GET /config_dump [kind=gateway,name=front-proxy] ")

        let post = try await curl(["-X", "POST", "--data-binary", "kind: Gateway", "\(base)/apply"])
        #expect(post.body == "POST /apply [] kind: Gateway")

        let delete = try await curl(["-X", "DELETE", "\(base)/missing"])
        #expect(delete.status == 404)
        try await server.stop()
    }

    @Test func oversizedBodiesGet413() async throws {
        var limits = AdminHTTPServer.Limits()
        limits.maximumBodyBytes = 16
        let server = try await AdminHTTPServer.start(
            at: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            limits: limits,
            group: MultiThreadedEventLoopGroup.singleton,
            responder: EchoResponder()
        )
        let port = try #require(server.localAddress?.port)
        let response = try await curl([
            "--data-binary", String(repeating: "x", count: 64), "http://127.0.0.1:\(port)/apply",
        ])
        #expect(response.status == 413)
        try await server.stop()
    }

    @Test func aNonLoopbackBindIsRefusedUnlessForced() async throws {
        await #expect(throws: AdminHTTPServer.StartError.self) {
            _ = try await AdminHTTPServer.start(
                at: try SocketAddress(ipAddress: "0.0.0.0", port: 0),
                group: MultiThreadedEventLoopGroup.singleton,
                responder: EchoResponder()
            )
        }
    }

    @Test(arguments: [("127.0.0.1", true), ("127.9.8.7", true), ("::1", true), ("0.0.0.0", false), ("::", false)])
    func loopbackDetection(address: String, isLoopback: Bool) throws {
        #expect(try SocketAddress(ipAddress: address, port: 1).isLoopback == isLoopback)
    }

    private func limitedServer(_ change: (inout AdminHTTPServer.Limits) -> Void) async throws -> (AdminHTTPServer, Int)
    {
        var limits = AdminHTTPServer.Limits()
        change(&limits)
        let server = try await AdminHTTPServer.start(
            at: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            limits: limits,
            group: MultiThreadedEventLoopGroup.singleton,
            responder: EchoResponder()
        )
        return (server, try #require(server.localAddress?.port))
    }

    /// Reads until the server closes; nil when it does not within `seconds`.
    private func readToClose(_ connection: ClientConnection, seconds: Int64) async -> [UInt8]? {
        try? await connection.readToEnd(deadline: .now() + .seconds(seconds))
    }

    private func connected(_ port: Int) async throws -> ClientConnection {
        try await ClientConnection.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
    }

    @Test func aChunkedBodyOverTheCapGets413BeforeItEnds() async throws {
        let (server, port) = try await limitedServer { $0.maximumBodyBytes = 16 }
        let connection = try await connected(port)
        let head =
            "POST /apply HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
            + String(repeating: "y", count: 32) + "\r\n"
        try await connection.send(Array(head.utf8))
        // The body never ends; the 413 and the close come anyway.
        let answer = try #require(await readToClose(connection, seconds: 5))
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 413"))
        await connection.close()
        try await server.stop()
    }

    @Test func aRequestThatNeverCompletesIsClosedAtTheRequestTimeout() async throws {
        let (server, port) = try await limitedServer { $0.requestTimeout = .milliseconds(300) }
        let connection = try await connected(port)
        try await connection.send(Array("GET /ready HTTP/1.1\r\nHost: x\r\n".utf8))
        #expect(await readToClose(connection, seconds: 5) != nil, "closed, not held open")
        await connection.close()
        try await server.stop()
    }

    @Test func anIdleConnectionIsClosedAtTheIdleTimeout() async throws {
        let (server, port) = try await limitedServer { $0.idleTimeout = .milliseconds(300) }
        let connection = try await connected(port)
        #expect(await readToClose(connection, seconds: 5) != nil)
        await connection.close()
        try await server.stop()
    }

    @Test func connectionsOverTheCapAreClosedAtOnce() async throws {
        let (server, port) = try await limitedServer { $0.maximumConnections = 2 }
        let held = [try await connected(port), try await connected(port)]
        try await Task.sleep(for: .milliseconds(100))
        let extra = try await connected(port)
        #expect(await readToClose(extra, seconds: 5)?.isEmpty == true, "closed without an answer")
        await extra.close()
        for connection in held { await connection.close() }
        try await server.stop()
    }

    @Test func aMalformedRequestGets400AndTheConnectionCloses() async throws {
        let (server, port) = try await limitedServer { _ in }
        let connection = try await connected(port)
        try await connection.send(Array("NOT A REQUEST\r\n\r\n".utf8))
        let answer = try #require(await readToClose(connection, seconds: 5), "closed after the 400")
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
        await connection.close()
        try await server.stop()
    }
}
