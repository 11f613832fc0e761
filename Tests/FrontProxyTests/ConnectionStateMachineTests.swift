import NIOCore
import TLSWire
import TestWorld
import Testing

@testable import FrontProxy

/// A ClientHello record carrying `serverName`, optionally with a padding extension of `padding` bytes.
func clientHelloRecord(serverName: String, padding: Int = 0) -> [UInt8] {
    ClientHelloBuilder.records(ClientHelloSpec(serverName: serverName, padding: padding))
}

@Suite struct ConnectionStateMachineTests {
    @Test func aClientHelloSplitInTwoRoutesOnceWithEveryByteBuffered() throws {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        let record = clientHelloRecord(serverName: "www.google.com")
        #expect(machine.phase == .inspecting)
        #expect(machine.allowsSetupRead)
        guard case .keepReading = machine.received(ByteBuffer(bytes: record[..<7])) else {
            Issue.record("expected to keep reading")
            return
        }
        guard case .route(let inspection) = machine.received(ByteBuffer(bytes: record[7...])) else {
            Issue.record("expected a routing decision")
            return
        }
        #expect(inspection.serverName == "www.google.com")
        #expect(machine.phase == .resolving)
        #expect(machine.allowsSetupRead, "reading stays armed while routing, below the limit")
        let started = machine.connectStarted()
        #expect(started)
        #expect(machine.phase == .connecting)
        #expect(machine.allowsSetupRead, "reading stays armed while the upstream connects, below the limit")
        let connected = machine.upstreamConnected()
        let buffered = try #require(connected)
        #expect(Array(buffered.readableBytesView) == record)
        #expect(machine.phase == .spliced)
    }

    @Test func readsStopOnceTooMuchWaitsForTheUpstream() {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        _ = machine.received(ByteBuffer(bytes: clientHelloRecord(serverName: "a.example")))
        _ = machine.received(ByteBuffer(repeating: 7, count: ConnectionStateMachine.connectingReadLimit))
        #expect(!machine.allowsSetupRead, "a client streaming without waiting is held by TCP flow control")
        _ = machine.connectStarted()
        _ = machine.upstreamConnected()
        #expect(!machine.allowsSetupRead, "the relay directions handle reads once spliced")
    }

    @Test func nonTLSBytesRouteAsNoServerName() {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        guard case .route(.unrecognised(.notTLS)) = machine.received(ByteBuffer(string: "GET / HTTP/1.1\r\n")) else {
            Issue.record("expected an unrecognised stream")
            return
        }
    }

    @Test func anOversizedClientHelloIsRejectedAndNeverConnects() {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 64)
        guard
            case .rejectTooLarge = machine.received(ByteBuffer(bytes: clientHelloRecord(serverName: "www.google.com")))
        else {
            Issue.record("expected too large")
            return
        }
        let started = machine.connectStarted()
        #expect(!started)
        let connected = machine.upstreamConnected()
        #expect(connected == nil)
        let closed = machine.closed()
        #expect(closed)
        #expect(machine.phase == .closed)
    }

    @Test func anInspectionFailureEndsTheConnectionOnlyWhileInspecting() {
        let inspecting = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        #expect(inspecting.endsOnInspectionFailure)
        var routed = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        _ = routed.received(ByteBuffer(bytes: clientHelloRecord(serverName: "a.example")))
        #expect(!routed.endsOnInspectionFailure)
    }

    @Test func bytesAfterTheDecisionAreHeldBehindTheClientHello() throws {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        let record = clientHelloRecord(serverName: "a.example")
        _ = machine.received(ByteBuffer(bytes: record))
        guard case .held = machine.received(ByteBuffer(string: "more")) else {
            Issue.record("expected later bytes to be held")
            return
        }
        _ = machine.connectStarted()
        guard case .held = machine.received(ByteBuffer(string: "!")) else {
            Issue.record("expected bytes during the connect to be held")
            return
        }
        let connected = machine.upstreamConnected()
        let buffered = try #require(connected)
        #expect(Array(buffered.readableBytesView) == record + Array("more!".utf8))
    }

    @Test func anOpaqueTCPConnectionRoutesBeforeReadingAnything() {
        var machine = ConnectionStateMachine.routingImmediately()
        #expect(machine.phase == .resolving)
        let started = machine.connectStarted()
        #expect(started)
        let held = machine.upstreamConnected()
        #expect(held?.readableBytes == 0)
    }

    @Test func closingIsIdempotent() {
        var machine = ConnectionStateMachine(maximumClientHelloLength: 16_384)
        let first = machine.closed()
        let second = machine.closed()
        #expect(first && !second)
        guard case .ignore = machine.received(ByteBuffer(string: "late")) else {
            Issue.record("a closed connection keeps nothing")
            return
        }
    }
}
