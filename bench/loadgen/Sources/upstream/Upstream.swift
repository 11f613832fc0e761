import BenchCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The benchmark's upstream: a fast loopback responder standing in for a TLS server.
@main
struct Upstream {
    static func main() {
        let configuration: UpstreamConfiguration
        do {
            configuration = try UpstreamConfiguration(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            StandardStream.error.writeLine("upstream: \(error)\n\(UpstreamConfiguration.usage)")
            exit(2)
        }
        do {
            try serve(configuration)
        } catch {
            StandardStream.error.writeLine("upstream: \(error)")
            exit(1)
        }
    }

    /// The answer to every ClientHello: it starts like a TLS handshake record, as the ServerHello flight it
    /// stands in for does.
    static func reply(size: Int) -> ByteBuffer {
        let body = max(size - 5, 0)
        let header: [UInt8] = [22, 3, 3, UInt8(truncatingIfNeeded: body >> 8), UInt8(truncatingIfNeeded: body)]
        return ByteBuffer(bytes: (header + [UInt8](repeating: 0x5A, count: body)).prefix(size))
    }

    static func serve(_ configuration: UpstreamConfiguration) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let reply = reply(size: configuration.replySize)
        let sourceChunk = ByteBuffer(repeating: 0xA5, count: 64 * 1024)
        let maximumDownloadBytes = configuration.maximumDownloadBytes
        let helloTimeout = configuration.helloTimeout

        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Large reads, so sinking an upload costs few syscalls; small connections still start small.
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 2048, initial: 4096, maximum: 1 << 20)
            )
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UpstreamHandler(
                            reply: reply,
                            sourceChunk: sourceChunk,
                            maximumDownloadBytes: maximumDownloadBytes,
                            helloTimeout: helloTimeout
                        )
                    )
                }
            }
            .bind(host: configuration.listen.host, port: configuration.listen.port)
            .wait()
        let port = channel.localAddress?.port ?? configuration.listen.port
        StandardStream.output.writeLine(
            "upstream listening \(configuration.listen.host):\(port) threads=\(configuration.threads)"
        )
        channel.eventLoop.scheduleTask(in: .milliseconds(Int64(configuration.lifetimeSeconds * 1000))) {
            channel.close(promise: nil)
        }
        try channel.closeFuture.wait()
        try group.syncShutdownGracefully()
    }
}
