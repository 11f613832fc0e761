import Foundation
import FrontProxy
import FrontProxyTesting
import Harness
import NIOCore
import TestWorld
import Testing

/// Many concurrent connections through the proxy, then none: every connection is served and logged, and
/// nothing is left behind — no open connection in the runtime, no file descriptor more than before.
@Suite(.serialized) struct ProxyRuntimeLoadTests {
    static let concurrent = 300

    /// TCP sockets on this machine that touch one of `ports` and are not yet fully closed (anything but
    /// LISTEN and TIME_WAIT): a leaked connection on either side of the proxy shows here, and other tests
    /// running in parallel (other ports) do not.
    private func liveSockets(touching ports: Set<Int>) -> Int {
        SocketInventory.machineTCPSockets().filter { socket in
            !socket.isListening && !socket.isTimeWait
                && (ports.contains(socket.local.port) || ports.contains(socket.remote.port))
        }.count
    }

    @Test func hundredsOfConcurrentConnectionsAreServedAndLeaveNothingBehind() async throws {
        let bed = try await ProxyTestBed()
        try await bed.apply(yaml: ProxyRuntimeDataPathTests.echoConfig)
        let echo = try await bed.upstream("echo", at: "127.0.10.2:443", behavior: .echo)
        let gateway = try bed.gatewayAddress()
        let hello = clientHelloRecord(serverName: "echo.example")
        let ports: Set<Int> = [try #require(gateway.port), try #require(echo.address.port)]

        let echoed = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<Self.concurrent {
                group.addTask {
                    let client = try await ClientConnection.connect(to: gateway)
                    let payload = Array("connection \(index)".utf8)
                    try await client.send(hello + payload)
                    var received: [UInt8] = []
                    while received.count < hello.count + payload.count,
                        let bytes = try await client.read(deadline: .now() + .seconds(30))
                    {
                        received += bytes
                    }
                    await client.close()
                    return received == hello + payload ? 1 : 0
                }
            }
            return try await group.reduce(0, +)
        }

        #expect(echoed == Self.concurrent, "every connection got its own bytes back")
        let lines = await bed.accessLogLines(count: Self.concurrent, timeout: .seconds(30))
        #expect(lines.count == Self.concurrent)
        #expect(lines.allSatisfy { AccessLogFormat.istio2019.fields(in: $0)?["RESPONSE_FLAGS"] == "-" })
        await bed.eventually(timeout: .seconds(10)) { bed.runtime.openConnections == (0, 0) }
        #expect(bed.runtime.openConnections == (0, 0))
        #expect(await echo.waitUntilNoOpenConnections())
        await bed.eventually(timeout: .seconds(10)) { liveSockets(touching: ports) == 0 }
        #expect(liveSockets(touching: ports) == 0, "no connection left open on either side of the proxy")
        try await bed.shutdown()
    }
}
