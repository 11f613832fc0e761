import BenchCore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The workload a run drives.
enum Workload: String, Sendable {
    /// New connections per second: connect, ClientHello, read the whole first reply, close.
    case cps
    /// Bulk bytes on long connections, client to upstream and then back.
    case throughput
    /// Ping-pong round trips of small messages on established connections.
    case latency
}

/// What a connection-rate run expects of the target.
enum Expectation: String, Sendable {
    /// Every connection gets the upstream's whole reply.
    case served
    /// No connection gets the upstream's reply: the target closes or refuses it.
    case refused
}

/// The load generator's settings, read from its command line. Every run is bounded by a count and a time.
struct LoadgenConfiguration: Sendable {
    var workload: Workload
    var target: LoopbackEndpoint
    var address: SocketAddress
    var clientHello: ByteBuffer
    var replySize: Int
    var threads: Int
    var connections: Int
    var count: Int
    var seconds: Double
    var expectation: Expectation
    var blockSize: Int
    var bulkBytes: Int
    var messageSize: Int
    var warmup: Int
    var connectTimeout: TimeAmount

    static let usage = """
        usage: loadgen cps|throughput|latency --target 127.0.0.1:PORT --clienthello FILE [options]
          --reply-size BYTES     size of the upstream's reply to the ClientHello (default 2K)
          --threads N            event loops (default: number of cores)
          --connections N        cps: concurrent workers (default 64); throughput: long connections (1);
                                 latency: established connections (1)
          --count N              cps: connections in all; latency: round trips per connection (bound)
          --seconds S            time bound of the run (default 5)
          --expect served|refused  cps: what every connection must see (default served)
          --block-size BYTES     throughput: upload block size (default 1M)
          --bulk-bytes BYTES     throughput: at most this many bytes each way per connection (default 8G)
          --message-size BYTES   latency: ping size (default 64)
          --warmup N             latency: round trips not recorded at the start (default 100)
        Prints one key=value line. Only loopback targets are accepted.
        """

    init(arguments: [String]) throws(BenchError) {
        guard let first = arguments.first, let workload = Workload(rawValue: first) else {
            throw .missingOption("workload (cps, throughput or latency)")
        }
        self.workload = workload
        let options = try Options(
            Array(arguments.dropFirst()),
            valued: [
                "--target", "--clienthello", "--reply-size", "--threads", "--connections", "--count", "--seconds",
                "--expect", "--block-size", "--bulk-bytes", "--message-size", "--warmup",
            ],
            flags: []
        )
        target = try LoopbackEndpoint(parsing: options.requiredString("--target"))
        do {
            address = try SocketAddress(ipAddress: target.host, port: target.port)
        } catch {
            throw .malformedAddress(target.description)
        }
        clientHello = try Self.readClientHello(path: options.requiredString("--clienthello"))
        replySize = try options.int("--reply-size", default: 2048, in: 1...(1 << 20))
        threads = try options.int("--threads", default: System.coreCount, in: 1...64)
        let defaultConnections = workload == .cps ? 64 : 1
        connections = try options.int("--connections", default: defaultConnections, in: 1...4096)
        let defaultCount = workload == .cps ? 10_000_000 : 1_000_000
        count = try options.int("--count", default: defaultCount, in: 1...100_000_000)
        seconds = try options.seconds("--seconds", default: 5, in: 0.1...3600)
        let expectText = options.string("--expect") ?? "served"
        guard let expectation = Expectation(rawValue: expectText) else {
            throw .invalidValue(option: "--expect", value: expectText, reason: "expected served or refused")
        }
        self.expectation = expectation
        blockSize = try options.int("--block-size", default: 1 << 20, in: BenchCommand.blockSizes)
        bulkBytes = try options.int("--bulk-bytes", default: 8 << 30, in: 1...(1 << 40))
        messageSize = try options.int("--message-size", default: 64, in: 1...(1 << 20))
        warmup = try options.int("--warmup", default: 100, in: 0...1_000_000)
        connectTimeout = .seconds(5)
    }

    /// Reads a captured ClientHello and checks that it frames as one complete first flight.
    private static func readClientHello(path: String) throws(BenchError) -> ByteBuffer {
        guard let file = fopen(path, "rb") else { throw .unusableFile(path: path, reason: "cannot open") }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: HelloFraming.maximumLength + 1)
        let count = fread(&bytes, 1, bytes.count, file)
        let content = Array(bytes[..<count])
        switch content.withUnsafeBytes({ HelloFraming.frame($0) }) {
        case .complete(let length) where length == content.count:
            return ByteBuffer(bytes: content)
        case .complete(let length):
            throw .unusableFile(path: path, reason: "\(content.count - length) bytes after the ClientHello")
        case .needMore:
            throw .unusableFile(path: path, reason: "truncated ClientHello (\(content.count) bytes)")
        case .invalid(let reason):
            throw .unusableFile(path: path, reason: reason)
        }
    }
}
