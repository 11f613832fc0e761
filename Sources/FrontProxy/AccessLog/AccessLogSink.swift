import Foundation
import Synchronization

/// Where access-log lines and telemetry events go. Called once per line from event-loop threads, so an
/// implementation must be cheap and thread-safe.
public protocol LogLineSink: Sendable {
    /// Writes one line (without its newline).
    func write(line: String)
}

/// Appends lines to a file or standard output, each with a newline, in one `write(2)` per line so
/// concurrent connections never interleave within a line.
public final class FileLogLineSink: LogLineSink {
    private let handle: FileHandle
    private let lock = Mutex(())

    /// Standard output.
    public static let standardOutput = FileLogLineSink(handle: .standardOutput)

    init(handle: FileHandle) {
        self.handle = handle
    }

    /// Appends to the file at `path` (created if missing); `-` means standard output.
    public convenience init(path: String) throws {
        if path == "-" {
            self.init(handle: .standardOutput)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.init(handle: handle)
    }

    public func write(line: String) {
        let data = Data((line + "\n").utf8)
        lock.withLock { _ in try? handle.write(contentsOf: data) }
    }
}

/// Keeps lines in memory, for the harness and tests to assert on.
public final class InMemoryLogLineSink: LogLineSink {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    /// Every line written so far, in order.
    public var lines: [String] { storage.withLock { $0 } }

    /// Forgets the lines written so far.
    public func removeAll() {
        storage.withLock { $0.removeAll() }
    }
}
