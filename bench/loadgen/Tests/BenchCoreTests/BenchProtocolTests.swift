import BenchCore
import NIOCore
import Testing

@Suite struct BenchProtocolTests {
    @Test func commandsRoundTripThroughTheirFrame() throws {
        for command in [BenchCommand.echo, .bulk(blockSize: 1 << 20)] {
            var buffer = ByteBuffer()
            command.write(to: &buffer)
            #expect(buffer.readableBytes == BenchCommand.frameLength)
            #expect(try BenchCommand.read(from: &buffer) == command)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func partialFrameReadsNothing() throws {
        var buffer = ByteBuffer(bytes: Array("FPB1E".utf8))
        #expect(try BenchCommand.read(from: &buffer) == nil)
        #expect(buffer.readableBytes == 5)
    }

    @Test func badFramesAreRejectedWithTheirReason() {
        var wrongMagic = ByteBuffer(bytes: Array("XXXXE\0\0\0\0\0\0\0\0\0\0\0".utf8))
        #expect(throws: BenchCommandError.badMagic(Array("XXXX".utf8))) { try BenchCommand.read(from: &wrongMagic) }
        var tinyBlock = ByteBuffer(bytes: Array("FPB1B\0\0\0".utf8) + [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(throws: BenchCommandError.badBlockSize(1)) { try BenchCommand.read(from: &tinyBlock) }
    }

    @Test func lastBlockHeaderCarriesTheDownloadSize() {
        let block = BulkBlockHeader(isLast: true, downloadBytes: 5_000_000_000).block(size: 1024, allocator: .init())
        #expect(block.readableBytes == 1024)
        let header = BulkBlockHeader(bytes: block.getBytes(at: 0, length: BulkBlockHeader.length) ?? [])
        #expect(header == BulkBlockHeader(isLast: true, downloadBytes: 5_000_000_000))
        #expect(BulkBlockHeader(bytes: [2, 0, 0, 0, 0, 0, 0, 0, 0]) == nil)
    }
}
