import Foundation

/// Runs the system curl (`/usr/bin/curl`), or another tool, and collects what it printed and its exit code.
struct RealCurl {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    static let path = "/usr/bin/curl"

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs the program on a Dispatch thread: waiting for it must not hold one of the few threads of Swift's
    /// cooperative pool, which the servers under test need to answer it.
    static func run(_ arguments: [String], executable: String = path, input: String? = nil) async throws -> RealCurl {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, executable: executable, input: input) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], executable: String, input: String?) throws -> RealCurl {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read before waiting so a full pipe cannot block curl.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RealCurl(
            exitCode: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self)
        )
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("testworld-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
