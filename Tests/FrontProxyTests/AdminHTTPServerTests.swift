import Foundation
import FrontProxy
import NIOCore
import NIOHTTP1
import NIOPosix
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
        let server = try await AdminHTTPServer.start(
            at: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            maximumBodyBytes: 16,
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
}
