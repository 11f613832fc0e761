import NIOCore
import TLSWire
import Testing

@testable import FrontProxy

/// A minimal TLS 1.2-style ClientHello record carrying `serverName`, optionally with a padding extension
/// of `padding` bytes.
func clientHelloRecord(serverName: String, padding: Int = 0) -> [UInt8] {
    let name = Array(serverName.utf8)
    let serverNameList = [0x00] + uint16(name.count) + name
    var extensions = [0x00, 0x00] + uint16(serverNameList.count + 2) + uint16(serverNameList.count) + serverNameList
    if padding > 0 { extensions += [0x00, 0x15] + uint16(padding) + [UInt8](repeating: 0, count: padding) }
    var body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0x11, count: 32) + [0x00]
    body += [0x00, 0x02, 0x13, 0x01] + [0x01, 0x00]
    body += uint16(extensions.count) + extensions
    let handshake = [0x01] + uint24(body.count) + body
    return [0x16, 0x03, 0x01] + uint16(handshake.count) + handshake
}

private func uint16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
private func uint24(_ value: Int) -> [UInt8] { [UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

@Suite struct ConnectionSetupStateMachineTests {
    @Test func aClientHelloSplitInTwoRoutesOnceWithEveryByteBuffered() throws {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        let record = clientHelloRecord(serverName: "www.google.com")
        #expect(machine.allowsRead)
        guard case .keepReading = machine.received(ByteBuffer(bytes: record[..<7])) else {
            Issue.record("expected to keep reading")
            return
        }
        guard case .route(let inspection) = machine.received(ByteBuffer(bytes: record[7...])) else {
            Issue.record("expected a routing decision")
            return
        }
        #expect(inspection.serverName == "www.google.com")
        #expect(machine.allowsRead, "reading stays armed while the upstream connects, below the limit")
        let connected = machine.upstreamConnected()
        let buffered = try #require(connected)
        #expect(Array(buffered.readableBytesView) == record)
    }

    @Test func readsStopOnceTooMuchWaitsForTheUpstream() {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        _ = machine.received(ByteBuffer(bytes: clientHelloRecord(serverName: "a.example")))
        _ = machine.received(ByteBuffer(repeating: 7, count: ConnectionSetupStateMachine.connectingReadLimit))
        #expect(!machine.allowsRead, "a client streaming without waiting is held by TCP flow control")
        _ = machine.upstreamConnected()
        #expect(!machine.allowsRead, "the glue handles reads once spliced")
    }

    @Test func nonTLSBytesRouteAsNoServerName() {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        guard case .route(.unrecognised(.notTLS)) = machine.received(ByteBuffer(string: "GET / HTTP/1.1\r\n")) else {
            Issue.record("expected an unrecognised stream")
            return
        }
    }

    @Test func anOversizedClientHelloIsRejectedAndClosed() {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 64)
        guard
            case .rejectTooLarge = machine.received(ByteBuffer(bytes: clientHelloRecord(serverName: "www.google.com")))
        else {
            Issue.record("expected too large")
            return
        }
        #expect(machine.isClosed)
        let connected = machine.upstreamConnected()
        #expect(connected == nil)
    }

    @Test func theTimeoutClosesOnlyWhileInspecting() {
        var inspecting = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        let closesInspecting = inspecting.inspectionTimedOut()
        #expect(closesInspecting)
        var routed = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        _ = routed.received(ByteBuffer(bytes: clientHelloRecord(serverName: "a.example")))
        let closesRouted = routed.inspectionTimedOut()
        #expect(!closesRouted)
    }

    @Test func bytesAfterTheDecisionAreHeldBehindTheClientHello() throws {
        var machine = ConnectionSetupStateMachine(maximumClientHelloLength: 16_384)
        let record = clientHelloRecord(serverName: "a.example")
        _ = machine.received(ByteBuffer(bytes: record))
        guard case .ignore = machine.received(ByteBuffer(string: "more")) else {
            Issue.record("expected later bytes to cause no new decision")
            return
        }
        let connected = machine.upstreamConnected()
        let buffered = try #require(connected)
        #expect(Array(buffered.readableBytesView) == record + Array("more".utf8))
    }
}
