import BenchCore
import NIOCore

/// The upstream's settings, read from its command line.
struct UpstreamConfiguration: Sendable {
    var listen: LoopbackEndpoint
    var replySize: Int
    var threads: Int
    var lifetimeSeconds: Double
    var maximumDownloadBytes: UInt64
    var helloTimeout: TimeAmount

    static let usage = """
        usage: upstream --listen 127.0.0.1:PORT [--reply-size BYTES] [--threads N] [--max-seconds S]
                        [--max-bulk-bytes BYTES]
        Answers each connection's ClientHello with --reply-size bytes (default 2K, standing in for
        ServerHello + certificate), then serves what the client's command frame asks: echo (ping-pong
        latency) or bulk (sink the upload, then source the requested download). Exits after --max-seconds.
        """

    init(arguments: [String]) throws(BenchError) {
        let options = try Options(
            arguments,
            valued: ["--listen", "--reply-size", "--threads", "--max-seconds", "--max-bulk-bytes"],
            flags: []
        )
        listen = try LoopbackEndpoint(parsing: options.requiredString("--listen"), allowPortZero: true)
        replySize = try options.int("--reply-size", default: 2048, in: 1...(1 << 20))
        threads = try options.int("--threads", default: System.coreCount, in: 1...64)
        lifetimeSeconds = try options.seconds("--max-seconds", default: 3600, in: 1...86_400)
        maximumDownloadBytes = UInt64(try options.int("--max-bulk-bytes", default: 64 << 30, in: 0...(1 << 40)))
        helloTimeout = .seconds(15)
    }
}
