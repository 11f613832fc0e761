import Foundation
import Synchronization

/// Where access-log lines and telemetry events go. Called once per line from event-loop threads, so an
/// implementation must be cheap and thread-safe.
public protocol LogLineSink: Sendable {
    /// Writes one line (without its newline).
    func write(line: String)

    /// Writes one line that `render` appends to a byte buffer (without its newline). A sink that keeps bytes
    /// lets `render` write straight into its own buffer; the default makes a `String` for `write(line:)`.
    func writeLine(_ render: (inout [UInt8]) -> Void)

    /// Writes out anything buffered (at shutdown, say).
    func flush()
}

extension LogLineSink {
    public func writeLine(_ render: (inout [UInt8]) -> Void) {
        var bytes: [UInt8] = []
        render(&bytes)
        write(line: String(decoding: bytes, as: UTF8.self))
    }

    public func flush() {}
}

/// Appends lines to a file or standard output, each with a newline. Lines are buffered and written in
/// batches, as Envoy's file access log does (its flush interval is 1 s; here `flushInterval`, 200 ms by
/// default), so a connection costs no `write(2)` of its own; a batch is also written once it reaches
/// `flushThreshold` bytes, and `flush()` writes what is pending. Writes happen under the lock, so batches
/// stay in order and no line is ever split.
public final class FileLogLineSink: LogLineSink {
    private let handle: FileHandle
    private let pending = Mutex<[UInt8]>([])
    private let flushThreshold = 64 << 10
    private let flusher = Mutex<Task<Void, Never>?>(nil)

    /// Standard output.
    public static let standardOutput = FileLogLineSink(handle: .standardOutput)

    init(handle: FileHandle, flushInterval: Duration = .milliseconds(200)) {
        self.handle = handle
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: flushInterval)
                guard let self else { return }
                self.flush()
            }
        }
        flusher.withLock { $0 = task }
    }

    deinit {
        flusher.withLock { $0?.cancel() }
        flush()
    }

    /// Appends to the file at `path` (created if missing); `-` means standard output.
    public convenience init(path: String, flushInterval: Duration = .milliseconds(200)) throws {
        if path == "-" {
            self.init(handle: .standardOutput, flushInterval: flushInterval)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.init(handle: handle, flushInterval: flushInterval)
    }

    public func write(line: String) {
        writeLine { $0.append(contentsOf: line.utf8) }
    }

    public func writeLine(_ render: (inout [UInt8]) -> Void) {
        pending.withLock { buffer in
            render(&buffer)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= flushThreshold { writeOut(&buffer) }
        }
    }

    /// Writes every pending line now.
    public func flush() {
        pending.withLock { writeOut(&$0) }
    }

    private func writeOut(_ buffer: inout [UInt8]) {
        guard !buffer.isEmpty else { return }
        try? handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
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
}
