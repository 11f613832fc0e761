import BenchCore
import NIOCore

/// Serves one benchmark connection: waits for the complete ClientHello, answers it with the fixed reply,
/// then does what the command frame asks (echo, or bulk upload then download).
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingHello(ByteBuffer)
        case awaitingCommand(ByteBuffer)
        case echo
        case bulkUpload(BulkUpload)
        case bulkDownload(remaining: UInt64)
        case closed
    }

    /// Progress through the current uploaded block.
    private struct BulkUpload {
        let blockSize: Int
        var offset = 0
        var header: [UInt8] = []
        var parsed: BulkBlockHeader?
    }

    private var state: State = .awaitingHello(ByteBuffer())
    private let reply: ByteBuffer
    private let sourceChunk: ByteBuffer
    private let maximumDownloadBytes: UInt64
    private let helloTimeout: TimeAmount
    private var helloDeadline: Scheduled<Void>?
    private var isSourcing = false

    init(reply: ByteBuffer, sourceChunk: ByteBuffer, maximumDownloadBytes: UInt64, helloTimeout: TimeAmount) {
        self.reply = reply
        self.sourceChunk = sourceChunk
        self.maximumDownloadBytes = maximumDownloadBytes
        self.helloTimeout = helloTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        // A peer that never completes its ClientHello must not hold the connection forever.
        helloDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: helloTimeout) { [weak self] in
            if case .awaitingHello = self?.state { context.close(promise: nil) }
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        helloDeadline?.cancel()
        state = .closed
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch state {
        case .awaitingHello(var pending):
            state = .closed
            pending.writeBuffer(&bytes)
            readHello(context: context, pending: pending)
        case .awaitingCommand(var pending):
            state = .closed
            pending.writeBuffer(&bytes)
            readCommand(context: context, pending: pending)
        case .echo:
            context.write(wrapOutboundOut(bytes), promise: nil)
            if !context.channel.isWritable { setAutoRead(false, context: context) }
        case .bulkUpload(var upload):
            state = .closed
            sink(&bytes, upload: &upload, context: context)
        case .bulkDownload, .closed:
            break  // nothing more is expected from the client; ignore it
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        switch state {
        case .echo:
            setAutoRead(context.channel.isWritable, context: context)
        case .bulkDownload(let remaining):
            source(remaining: remaining, context: context)
        default:
            break
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Resets and broken pipes are how benchmark clients often leave; just close.
        context.close(promise: nil)
    }

    private func readHello(context: ChannelHandlerContext, pending: ByteBuffer) {
        var pending = pending
        switch pending.withUnsafeReadableBytes({ HelloFraming.frame($0) }) {
        case .needMore:
            state = .awaitingHello(pending)
        case .invalid:
            context.close(promise: nil)
        case .complete(let length):
            helloDeadline?.cancel()
            pending.moveReaderIndex(forwardBy: length)
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            readCommand(context: context, pending: pending)
        }
    }

    private func readCommand(context: ChannelHandlerContext, pending: ByteBuffer) {
        var pending = pending
        let command: BenchCommand?
        do {
            command = try BenchCommand.read(from: &pending)
        } catch {
            context.close(promise: nil)
            return
        }
        switch command {
        case nil:
            state = .awaitingCommand(pending)
        case .echo:
            state = .echo
            if pending.readableBytes > 0 { context.write(wrapOutboundOut(pending), promise: nil) }
        case .bulk(let blockSize):
            var upload = BulkUpload(blockSize: blockSize)
            sink(&pending, upload: &upload, context: context)
        }
    }

    /// Discards uploaded bytes block by block; after the block marked last, starts the download.
    private func sink(_ bytes: inout ByteBuffer, upload: inout BulkUpload, context: ChannelHandlerContext) {
        while bytes.readableBytes > 0 {
            if upload.offset < BulkBlockHeader.length {
                let count = min(BulkBlockHeader.length - upload.offset, bytes.readableBytes)
                upload.header += bytes.readBytes(length: count) ?? []
                upload.offset += count
                if upload.offset == BulkBlockHeader.length {
                    guard let header = BulkBlockHeader(bytes: upload.header) else {
                        context.close(promise: nil)
                        return
                    }
                    upload.parsed = header
                }
            } else {
                let count = min(upload.blockSize - upload.offset, bytes.readableBytes)
                bytes.moveReaderIndex(forwardBy: count)
                upload.offset += count
            }
            if upload.offset == upload.blockSize, let header = upload.parsed {
                if header.isLast {
                    source(remaining: min(header.downloadBytes, maximumDownloadBytes), context: context)
                    return
                }
                upload = BulkUpload(blockSize: upload.blockSize)
            }
        }
        state = .bulkUpload(upload)
    }

    /// Writes download bytes while the channel is writable; resumes on writability changes. A flush can make
    /// the channel writable again and re-enter through `channelWritabilityChanged`: that call returns at once
    /// and this loop goes on instead, so the stack does not grow with the download.
    private func source(remaining: UInt64, context: ChannelHandlerContext) {
        state = .bulkDownload(remaining: remaining)
        guard !isSourcing else { return }
        isSourcing = true
        defer { isSourcing = false }
        var remaining = remaining
        repeat {
            while remaining > 0, context.channel.isWritable {
                var chunk = sourceChunk
                if remaining < UInt64(chunk.readableBytes) {
                    chunk.moveWriterIndex(to: chunk.readerIndex + Int(remaining))
                }
                remaining -= UInt64(chunk.readableBytes)
                context.write(wrapOutboundOut(chunk), promise: nil)
            }
            state = .bulkDownload(remaining: remaining)
            context.flush()
        } while remaining > 0 && context.channel.isWritable
    }

    private func setAutoRead(_ enabled: Bool, context: ChannelHandlerContext) {
        try? context.channel.syncOptions?.setOption(.autoRead, value: enabled)
    }
}
