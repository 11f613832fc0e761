import CLinuxSockets
import Testing

@testable import FrontProxy

#if canImport(Glibc)
import Glibc
#endif

/// One direction of the splice over real kernel sockets (non-blocking stream socket pairs): what reaches the
/// sink, in which order, what is held back when the sink is full, and how the end is passed on.
@Suite struct RelayDirectionTests {
    /// `client → proxySource` feeds the direction; `proxySink → server` is where it writes.
    private final class Wiring {
        let client: Int32, proxySource: Int32, proxySink: Int32, server: Int32
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: DataPlaneLoop.readSize, alignment: 16)

        init(sinkBufferSize: Int32? = nil) throws {
            (client, proxySource) = try Self.socketPair()
            (proxySink, server) = try Self.socketPair()
            if let size = sinkBufferSize {
                try SystemCall.setOption(proxySink, level: SOL_SOCKET, name: SO_SNDBUF, value: size)
                try SystemCall.setOption(server, level: SOL_SOCKET, name: SO_RCVBUF, value: size)
            }
        }

        deinit {
            for descriptor in [client, proxySource, proxySink, server] { close(descriptor) }
            scratch.deallocate()
        }

        private static func socketPair() throws -> (Int32, Int32) {
            var descriptors: [Int32] = [-1, -1]
            let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            try #require(socketpair(AF_UNIX, kind, 0, &descriptors) == 0)
            return (descriptors[0], descriptors[1])
        }

        func pump(_ direction: inout RelayDirection, closingAfterEnd: Bool = false) -> (RelayDirection.Outcome, Int) {
            var moved = 0
            let outcome = direction.pump(
                from: proxySource,
                to: proxySink,
                scratch: scratch,
                closingAfterEnd: closingAfterEnd,
                moved: &moved
            )
            return (outcome, moved)
        }

        /// Writes as much of `bytes` as the socket takes; returns how much.
        func send(_ bytes: [UInt8], from descriptor: Int32) -> Int {
            bytes.withUnsafeBytes { buffer in
                guard
                    case .bytes(let count) = SystemCall.write(
                        descriptor,
                        from: buffer.baseAddress!,
                        count: buffer.count
                    )
                else { return 0 }
                return count
            }
        }

        /// Everything readable now, and whether the end of file was seen.
        func drain(_ descriptor: Int32) -> (bytes: [UInt8], ended: Bool) {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let outcome = chunk.withUnsafeMutableBytes {
                    SystemCall.read(descriptor, into: $0.baseAddress!, count: $0.count)
                }
                switch outcome {
                case .bytes(0): return (bytes, true)
                case .bytes(let count): bytes += chunk[0..<count]
                case .wouldBlock, .failed: return (bytes, false)
                }
            }
        }

        /// Bytes waiting unread in a socket's receive buffer.
        func unread(_ descriptor: Int32) -> Int {
            var count: Int32 = 0
            _ = ioctl(descriptor, UInt(FIONREAD), &count)
            return Int(count)
        }
    }

    @Test func bytesArriveInOrderAndTheEndBecomesAWriteShutdown() throws {
        let wiring = try Wiring()
        #expect(wiring.send(Array("hello, upstream".utf8), from: wiring.client) == 15)
        shutdown(wiring.client, Int32(SHUT_WR))
        var direction = RelayDirection()
        direction.sourceReadable = true
        direction.sourceClosing = true

        let (outcome, moved) = wiring.pump(&direction)

        #expect(outcome == .waiting)
        #expect(moved == 15)
        let finished = direction.isFinished
        #expect(finished)
        let received = wiring.drain(wiring.server)
        #expect(String(decoding: received.bytes, as: UTF8.self) == "hello, upstream")
        #expect(received.ended, "the client's FIN reached the server as a write shutdown")
    }

    @Test func preloadedBytesGoFirst() throws {
        let wiring = try Wiring()
        _ = wiring.send(Array(" and what followed".utf8), from: wiring.client)
        var direction = RelayDirection()
        let failure = Array("ClientHello".utf8).withUnsafeBytes { direction.sendFirst($0, to: wiring.proxySink) }
        direction.sourceReadable = true

        _ = wiring.pump(&direction)

        #expect(failure == nil)
        #expect(String(decoding: wiring.drain(wiring.server).bytes, as: UTF8.self) == "ClientHello and what followed")
    }

    @Test func whatAFullSinkCannotTakeOfTheFirstBytesIsKeptAndSentBeforeTheRest() throws {
        let wiring = try Wiring(sinkBufferSize: 4096)
        let first = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var direction = RelayDirection()
        let failure = first.withUnsafeBytes { direction.sendFirst($0, to: wiring.proxySink) }
        #expect(failure == nil)
        let sinkWritable = direction.sinkWritable
        #expect(!sinkWritable, "the sink took only part of it")
        _ = wiring.send(Array("then this".utf8), from: wiring.client)

        var received: [UInt8] = []
        for _ in 0..<10_000 where received.count < first.count + 9 {
            received += wiring.drain(wiring.server).bytes
            direction.sinkWritable = true
            direction.sourceReadable = true
            _ = wiring.pump(&direction)
        }
        #expect(received == first + Array("then this".utf8))
    }

    @Test func aFullSinkStopsReadingTheSourceThenEverythingArrivesInOrder() throws {
        let wiring = try Wiring(sinkBufferSize: 4096)
        let pattern = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        var sent = 0
        var received: [UInt8] = []
        var direction = RelayDirection()
        var sawBackpressure = false
        for _ in 0..<100_000 where received.count < pattern.count {
            if sent < pattern.count {
                sent += wiring.send(Array(pattern[sent..<min(sent + 65536, pattern.count)]), from: wiring.client)
            }
            direction.sourceReadable = true
            let (outcome, _) = wiring.pump(&direction)
            let sinkWritable = direction.sinkWritable
            if outcome == .waiting && !sinkWritable && wiring.unread(wiring.proxySource) > 0 {
                // The sink is full: the source is left unread (backpressure), not buffered without bound.
                sawBackpressure = true
                let held = direction.heldBytes
                #expect(held > 0 && held <= DataPlaneLoop.readSize)
            }
            received += wiring.drain(wiring.server).bytes
            direction.sinkWritable = true
        }
        #expect(sawBackpressure)
        #expect(received.count == pattern.count)
        #expect(received == pattern, "every byte, in order")
        _ = wiring.pump(&direction)
        let ownsBuffer = direction.ownsBuffer
        #expect(!ownsBuffer, "an idle direction gives its buffer back")
    }

    @Test func whenTheOtherDirectionIsDoneTheFinIsLeftToTheClose() throws {
        let wiring = try Wiring()
        _ = wiring.send(Array("last".utf8), from: wiring.client)
        shutdown(wiring.client, Int32(SHUT_WR))
        var direction = RelayDirection()
        direction.sourceReadable = true
        direction.sourceClosing = true

        let (outcome, _) = wiring.pump(&direction, closingAfterEnd: true)

        #expect(outcome == .waiting)
        let finished = direction.isFinished
        #expect(finished)
        let received = wiring.drain(wiring.server)
        #expect(received.bytes == Array("last".utf8))
        #expect(!received.ended, "no shutdown call: the connection's close sends the FIN")
    }

    @Test func aShortReadMeansTheSourceIsDrainedUnlessItsPeerIsClosing() throws {
        let wiring = try Wiring()
        _ = wiring.send([1, 2, 3], from: wiring.client)
        var direction = RelayDirection()
        direction.sourceReadable = true

        _ = wiring.pump(&direction)

        let (readable, finished) = (direction.sourceReadable, direction.isFinished)
        #expect(!readable, "a short read: wait for the next edge instead of reading EAGAIN")
        #expect(!finished)
    }

    @Test func aSinkThatIsGoneFailsOnTheSink() throws {
        let wiring = try Wiring()
        close(wiring.server)
        _ = wiring.send([1, 2, 3], from: wiring.client)
        var direction = RelayDirection()
        direction.sourceReadable = true

        let (outcome, _) = wiring.pump(&direction)

        #expect(outcome == .failed(errno: EPIPE, onSource: false))
    }
}
