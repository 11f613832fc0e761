import Foundation

/// A program run by a test: its output collected in files (so a chatty child never blocks on a full pipe),
/// bounded by a timeout, and always stopped when the test ends.
final class ChildProcess: @unchecked Sendable {
    // Foundation's Process is thread-safe for the calls made here; the paths are immutable.
    private let process = Process()
    let standardOutputPath: String
    let standardErrorPath: String

    init(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        standardOutputPath = directory + "/stdout"
        standardErrorPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: standardOutputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: standardErrorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: standardErrorPath))
        try process.run()
    }

    var standardOutput: String { (try? String(contentsOfFile: standardOutputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: standardErrorPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; kills it (and returns nil) after `timeout`.
    func wait(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    /// Waits until `text` appears in standard error (or output); false after `timeout` or if it exits.
    func waitForOutput(containing text: String, timeout: Duration = .seconds(15)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if standardError.contains(text) || standardOutput.contains(text) { return true }
            if !process.isRunning { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs a program to completion and returns (exit status, stdout, stderr).
    static func run(
        _ executable: String,
        _ arguments: [String],
        timeout: Duration = .seconds(30)
    ) async throws -> (
        status: Int32?, output: String, error: String
    ) {
        let child = try ChildProcess(executable, arguments)
        let status = await child.wait(timeout: timeout)
        return (status, child.standardOutput, child.standardError)
    }
}
