import DNSWire
import NIOCore

/// Splits a TCP byte stream into DNS messages by their 2-byte length prefix (RFC 1035 §4.2.2). Shared by
/// the resolver's TCP fallback and the test world's stub DNS server.
public struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = [UInt8]

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = buffer.withUnsafeReadableBytes({ DNSTCPFraming.firstMessage(in: $0) }) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: frame.consumed)
        context.fireChannelRead(wrapInboundOut(frame.message))
        return .continue
    }
}
