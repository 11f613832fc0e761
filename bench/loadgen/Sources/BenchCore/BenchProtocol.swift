import NIOCore

/// What a client asks of the upstream once its ClientHello has been answered. One upstream port serves every
/// workload, because each proxy routes the one benchmark name to one upstream: the workload is chosen per
/// connection by a 16-byte command frame, `FPB1`, an op byte, three zero bytes and a big-endian UInt64.
public enum BenchCommand: Equatable, Sendable {
    /// Echo every byte back (ping-pong latency).
    case echo
    /// Bulk transfer: the client uploads blocks of `blockSize` bytes, each starting with a `BulkBlockHeader`;
    /// after the block marked last, the upstream sends the requested number of bytes back.
    case bulk(blockSize: Int)

    public static let frameLength = 16
    public static let blockSizes = 1024...(16 * 1024 * 1024)
    static let magic: [UInt8] = Array("FPB1".utf8)

    /// Writes the command frame.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.magic)
        switch self {
        case .echo:
            buffer.writeInteger(UInt8(ascii: "E"))
            buffer.writeBytes([0, 0, 0])
            buffer.writeInteger(UInt64(0))
        case .bulk(let blockSize):
            buffer.writeInteger(UInt8(ascii: "B"))
            buffer.writeBytes([0, 0, 0])
            buffer.writeInteger(UInt64(blockSize))
        }
    }

    /// Reads one command frame from the front of `buffer`; nil while fewer than 16 bytes are there.
    public static func read(from buffer: inout ByteBuffer) throws(BenchCommandError) -> BenchCommand? {
        guard buffer.readableBytes >= frameLength,
            let magic = buffer.readBytes(length: 4),
            let op = buffer.readInteger(as: UInt8.self),
            buffer.readBytes(length: 3) != nil,
            let argument = buffer.readInteger(as: UInt64.self)
        else { return nil }
        guard magic == Self.magic else { throw .badMagic(magic) }
        switch op {
        case UInt8(ascii: "E"):
            return .echo
        case UInt8(ascii: "B"):
            guard argument <= UInt64(blockSizes.upperBound), blockSizes.contains(Int(argument)) else {
                throw .badBlockSize(argument)
            }
            return .bulk(blockSize: Int(argument))
        default:
            throw .unknownOp(op)
        }
    }
}

/// Why a command frame was rejected.
public enum BenchCommandError: Error, Equatable, CustomStringConvertible {
    case badMagic([UInt8])
    case unknownOp(UInt8)
    case badBlockSize(UInt64)

    public var description: String {
        switch self {
        case .badMagic(let bytes): "command frame starts with \(bytes), not FPB1"
        case .unknownOp(let op): "unknown command op \(op)"
        case .badBlockSize(let size): "bulk block size \(size) outside \(BenchCommand.blockSizes)"
        }
    }
}

/// The first 9 bytes of every uploaded bulk block: a flag (0 = more blocks follow, 1 = last block) and, in
/// the last block, how many bytes the upstream should then send back (big-endian UInt64).
public struct BulkBlockHeader: Equatable, Sendable {
    public static let length = 9

    public var isLast: Bool
    public var downloadBytes: UInt64

    public init(isLast: Bool, downloadBytes: UInt64) {
        self.isLast = isLast
        self.downloadBytes = downloadBytes
    }

    /// A whole block of `blockSize` bytes: this header followed by zero filler.
    public func block(size blockSize: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: blockSize)
        buffer.writeInteger(UInt8(isLast ? 1 : 0))
        buffer.writeInteger(downloadBytes)
        buffer.writeRepeatingByte(0, count: blockSize - Self.length)
        return buffer
    }

    /// Decodes the 9 header bytes; nil when the flag byte is neither 0 nor 1.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.length, bytes[0] <= 1 else { return nil }
        isLast = bytes[0] == 1
        downloadBytes = bytes[1...].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
