// Micro-benchmark for ClientHelloReader, built with the TLSWire sources by run.sh (swiftc -O; no package).
//
// For each ClientHello and feed pattern it times three strategies, interleaved, in several rounds:
//   memcpy      the floor: copy each piece into a preallocated buffer (a proxy holds the bytes anyway)
//   reader      ClientHelloReader fed each piece once
//   reparse     the naive strategy: append each piece to a buffer, then parse the whole buffer from scratch
//               with a fresh reader (what a decoder that re-scans its cumulation on every read does)
// and prints the median ClientHellos per second and ratios.
//
// `--allocs FILE PATTERN COUNT` does COUNT reader parses and nothing else, for counting allocations under
// valgrind (run.sh subtracts a COUNT=0 run).

import Foundation

@main
enum ClientHelloBench {
    enum Pattern: String, CaseIterable {
        case whole
        case segments1448 = "1448-byte segments"
        case bytewise = "1-byte feeds"

        var pieceSize: Int? {
            switch self {
            case .whole: nil
            case .segments1448: 1_448
            case .bytewise: 1
            }
        }

        static func named(_ name: String) -> Pattern? {
            switch name {
            case "whole": .whole
            case "segments": .segments1448
            case "bytewise": .bytewise
            default: nil
            }
        }
    }

    enum Strategy: String, CaseIterable {
        case memcpy
        case reader
        case reparse
    }

    static func main() throws {
        let arguments = CommandLine.arguments
        if arguments.count == 5, arguments[1] == "--allocs", let pattern = Pattern.named(arguments[3]),
            let count = Int(arguments[4])
        {
            let hello = try load(arguments[2])
            let pieces = split(hello, pattern)
            var sink = 0
            for _ in 0..<count { sink &+= parse(.reader, pieces, capacity: hello.count) }
            print("allocs run: \(count) parses, sink \(sink)")
            return
        }
        let directory = arguments.count > 1 ? arguments[1] : "Fixtures/clienthello"
        let hellos = [
            ("small (openssl s_client TLS 1.3)", try load("\(directory)/openssl-s_client-tls13-sni.bin")),
            ("PQ (OpenSSL 4 X25519MLKEM768)", try load("\(directory)/pyopenssl-openssl4-pq-mlkem.bin")),
        ]
        var sink = 0
        for (name, hello) in hellos {
            print("\n\(name): \(hello.count) bytes")
            print(pad("feed pattern", 20) + pad("strategy", 10) + pad("hellos/s", 14) + pad("x memcpy", 10) + "x reader")
            for pattern in Pattern.allCases {
                let pieces = split(hello, pattern)
                var rates: [Strategy: [Double]] = [:]
                let iterations = max(200, 2_000_000 / (hello.count * (pattern == .bytewise ? 40 : 1)))
                for _ in 0..<7 {
                    for strategy in Strategy.allCases {
                        let clock = ContinuousClock()
                        let start = clock.now
                        for _ in 0..<iterations { sink &+= parse(strategy, pieces, capacity: hello.count) }
                        let elapsed = clock.now - start
                        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                        rates[strategy, default: []].append(Double(iterations) / seconds)
                    }
                }
                let medians = rates.mapValues { $0.sorted()[$0.count / 2] }
                for strategy in Strategy.allCases {
                    let rate = medians[strategy]!
                    print(
                        pad(pattern.rawValue, 20) + pad(strategy.rawValue, 10) + pad(format(rate, 0), 14)
                            + pad(format(rate / medians[.memcpy]!, 3), 10) + format(rate / medians[.reader]!, 3)
                    )
                }
            }
        }
        print("\n(sink \(sink))")
    }

    /// One parse (or, for memcpy, one copy) of the hello delivered as `pieces`; returns bytes handled.
    @inline(never)
    static func parse(_ strategy: Strategy, _ pieces: [[UInt8]], capacity: Int) -> Int {
        switch strategy {
        case .memcpy:
            return memcpyFloor(pieces, capacity: capacity)
        case .reader:
            var reader = ClientHelloReader()
            for piece in pieces {
                if case .complete(let hello) = piece.withUnsafeBytes({ reader.feed($0) }) { return hello.bytesExamined }
            }
            return -1
        case .reparse:
            var buffer: [UInt8] = []
            buffer.reserveCapacity(capacity)
            for piece in pieces {
                buffer.append(contentsOf: piece)
                var reader = ClientHelloReader()
                if case .complete(let hello) = buffer.withUnsafeBytes({ reader.feed($0) }) { return hello.bytesExamined }
            }
            return -1
        }
    }

    @inline(never)
    static func memcpyFloor(_ pieces: [[UInt8]], capacity: Int) -> Int {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var offset = 0
        for piece in pieces {
            piece.withUnsafeBytes { bytes in
                (buffer + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
            offset += piece.count
        }
        return Int(buffer.load(fromByteOffset: offset - 1, as: UInt8.self)) &+ offset
    }

    static func split(_ hello: [UInt8], _ pattern: Pattern) -> [[UInt8]] {
        guard let size = pattern.pieceSize else { return [hello] }
        return stride(from: 0, to: hello.count, by: size).map { Array(hello[$0..<min($0 + size, hello.count)]) }
    }

    static func load(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
