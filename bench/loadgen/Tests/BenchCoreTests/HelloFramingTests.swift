import BenchCore
import Testing

@Suite struct HelloFramingTests {
    /// A ClientHello handshake message of `bodyLength` bytes, split into records of at most `recordSize`.
    private func records(bodyLength: Int, recordSize: Int) -> [UInt8] {
        let message =
            [1, 0, UInt8(bodyLength >> 8), UInt8(bodyLength & 0xFF)] + [UInt8](repeating: 7, count: bodyLength)
        var bytes: [UInt8] = []
        var offset = 0
        while offset < message.count {
            let count = min(recordSize, message.count - offset)
            bytes += [22, 3, 1, UInt8(count >> 8), UInt8(count & 0xFF)] + message[offset..<offset + count]
            offset += count
        }
        return bytes
    }

    private func frame(_ bytes: [UInt8]) -> HelloFraming { bytes.withUnsafeBytes { HelloFraming.frame($0) } }

    @Test func oneRecordIsCompleteExactlyWhenAllItsBytesArrived() {
        let hello = records(bodyLength: 300, recordSize: 16384)
        #expect(frame(hello) == .complete(length: hello.count))
        #expect(frame(Array(hello.dropLast())) == .needMore)
        #expect(frame(hello + [1, 2, 3]) == .complete(length: hello.count))
    }

    @Test func helloSplitAcrossRecordsWaitsForTheLastRecord() {
        let hello = records(bodyLength: 1500, recordSize: 500)
        #expect(frame(hello) == .complete(length: hello.count))
        #expect(frame(Array(hello.prefix(510))) == .needMore)
    }

    @Test func nonTLSBytesAndOtherHandshakesAreInvalid() {
        #expect(frame(Array("GET / HTTP/1.1\r\n".utf8)) == .invalid("record content type 71, not handshake"))
        #expect(frame([22, 3, 3, 0, 4, 2, 0, 0, 0]) == .invalid("handshake type 2, not ClientHello"))
    }

    @Test func oversizedFirstFlightIsInvalid() {
        let header: [UInt8] = [22, 3, 1, 0xFF, 0xFF]
        guard case .invalid = frame(header) else {
            Issue.record("a 64 KiB record must be refused")
            return
        }
    }
}
