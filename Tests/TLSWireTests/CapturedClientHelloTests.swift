import Foundation
import TLSWire
import TestWorld
import Testing

/// ClientHellos captured from real clients (Fixtures/clienthello/capture.sh), each read whole and split at every
/// offset, and checked against the SNI and ALPN the capture asked the client for (manifest.json).
@Suite struct CapturedClientHelloTests {
    struct Capture: Decodable, CustomTestStringConvertible, Sendable {
        var file: String
        var client: String
        var serverName: String?
        var alpn: [String]
        var highestVersion: String
        var records: Int

        var testDescription: String { file }
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/clienthello")

    static let captures: [Capture] = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode([Capture].self, from: data)
        } catch {
            // An empty list would let every parameterised test pass silently; fail loudly instead.
            return [
                Capture(
                    file: "manifest.json unreadable: \(error)",
                    client: "",
                    alpn: [],
                    highestVersion: "",
                    records: 0
                )
            ]
        }
    }()

    @Test func manifestListsEveryCapture() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".bin") }
        #expect(Set(files) == Set(Self.captures.map(\.file)))
        #expect(files.count >= 15)
    }

    @Test(arguments: captures)
    func captureGivesTheRequestedNameAndProtocols(capture: Capture) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(capture.file)))
        let outcome = readEverySplit(bytes)
        let hello = try #require(outcome.hello, "\(capture.client): \(outcome)")
        #expect(hello.serverName == capture.serverName)
        #expect(hello.alpn == capture.alpn)
        #expect(hello.highestOfferedVersion.description == capture.highestVersion)
        #expect(hello.recordCount == capture.records)
        #expect(hello.bytesExamined == bytes.count)
    }

    /// The fuzzer's first crash input: this capture under an 88-byte limit once counted 5 bytes examined when
    /// fed whole and 9 when fed bytewise.
    @Test func fuzzerCrashInputCountsTheSameBytesHoweverFed() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("python3-ssl-tls12.bin")))
        #expect(readEverySplit(bytes, maximumLength: 88) == .failed(.tooLarge(limit: 88)))
        var reader = ClientHelloReader(maximumLength: 88)
        _ = reader.feed(bytes)
        #expect(reader.bytesExamined == 9)
    }

    @Test func postQuantumCaptureCarriesAnMLKEMKeyShare() throws {
        let bytes = [UInt8](
            try Data(contentsOf: Self.directory.appendingPathComponent("pyopenssl-openssl4-pq-mlkem.bin"))
        )
        #expect(bytes.count > 1_500)
        #expect(read(bytes).hello?.extensionTypes.contains(.keyShare) == true)
        // Re-cut the real message into 100-byte records: the name straddles a record boundary somewhere.
        let message = Array(bytes[5...])
        for size in [1, 7, 100, 700] {
            let stream = ClientHelloBuilder.records(of: message, fragmentSize: size)
            let hello = readEverySplit(stream, maximumSplits: stream.count > 1_024 ? 384 : 1_025).hello
            #expect(hello?.serverName == "pq.example.com", "records of \(size)")
        }
    }
}
