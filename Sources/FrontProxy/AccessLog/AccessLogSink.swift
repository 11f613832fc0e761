import Dispatch
import Foundation
import NIOCore
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

/// Appends lines to a file or standard output, each with a newline, from a writer thread of its own.
///
/// A line costs its caller (a data-plane loop) an append to a bounded in-memory batch under a short lock,
/// never a `write(2)`: the writer thread takes the batch and writes it out every `flushInterval` (200 ms
/// by default, as Envoy's file access log batches; Envoy flushes every second), or as soon as 64 KiB are
/// waiting. When the file cannot keep up and `capacity` bytes wait, new lines are dropped and counted
/// (`droppedLines`), and the sink says so once on standard error, as Envoy counts
/// `access_log_file.write_buffered` overflow, instead of stalling every loop behind a slow pipe.
public final class FileLogLineSink: LogLineSink {
    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
        var isClosed = false
        /// The writer was woken for the current batch (wake it once per batch, not once per line).
        var writerWoken = false
        /// The writer thread runs; it starts with the first line, so a sink that is made and never written
        /// (the default standard-output sink when `serve` logs to a file) costs no thread.
        var writerStarted = false
    }

    private let handle: FileHandle
    private let label: String
    private let pending = Mutex(Pending())
    private let wakeWriter = DispatchSemaphore(value: 0)
    private let writerDone = DispatchSemaphore(value: 0)
    private let flushThreshold = 64 << 10
    private let capacity: Int
    private let flushInterval: Duration
    /// Held while a batch is taken and written, so batches reach the file in order. Never taken on a loop.
    private let fileLock = Mutex(())

    /// Standard output.
    public static let standardOutput = FileLogLineSink(handle: .standardOutput, label: "standard output")

    init(
        handle: FileHandle,
        label: String,
        flushInterval: Duration = .milliseconds(200),
        capacity: Int = 8 << 20
    ) {
        self.handle = handle
        self.label = label
        self.flushInterval = flushInterval
        self.capacity = capacity
    }

    /// Appends to the file at `path` (created if missing); `-` means standard output.
    public convenience init(path: String, flushInterval: Duration = .milliseconds(200)) throws {
        if path == "-" {
            self.init(handle: .standardOutput, label: "standard output", flushInterval: flushInterval)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.init(handle: handle, label: path, flushInterval: flushInterval)
    }

    /// Lines dropped because the file could not keep up.
    public var droppedLines: Int { pending.withLock { $0.dropped } }

    public func write(line: String) {
        writeLine { $0.append(contentsOf: line.utf8) }
    }

    public func writeLine(_ render: (inout [UInt8]) -> Void) {
        let (wake, startWriter) = pending.withLock { pending -> (Bool, Bool) in
            guard !pending.isClosed, pending.bytes.count < capacity else {
                pending.dropped += 1
                return (false, false)
            }
            render(&pending.bytes)
            pending.bytes.append(UInt8(ascii: "\n"))
            let startWriter = !pending.writerStarted
            pending.writerStarted = true
            guard pending.bytes.count >= flushThreshold, !pending.writerWoken else { return (false, startWriter) }
            pending.writerWoken = true
            return (true, startWriter)
        }
        if startWriter {
            let thread = Thread { [self] in self.runWriter() }
            thread.name = "fp-log-writer"
            thread.start()
        }
        if wake { wakeWriter.signal() }
    }

    /// Writes every pending line now (on the caller's thread: at shutdown, or for a test to read the file).
    public func flush() {
        _ = writePending()
    }

    /// Ends the writer thread after writing what is pending. Lines written afterwards are dropped.
    public func close() {
        let (wasOpen, writerStarted) = pending.withLock { pending -> (Bool, Bool) in
            defer { pending.isClosed = true }
            return (!pending.isClosed, pending.writerStarted)
        }
        guard wasOpen else { return }
        guard writerStarted else { return }
        wakeWriter.signal()
        writerDone.wait()
    }

    private func runWriter() {
        var reportedDrops = false
        let interval = DispatchTimeInterval.nanoseconds(Int(TimeAmount(flushInterval).nanoseconds))
        while true {
            _ = wakeWriter.wait(timeout: .now() + interval)
            let (dropped, closed) = writePending()
            if dropped > 0 && !reportedDrops {
                reportedDrops = true
                FileHandle.standardError.write(
                    Data("frontproxy: \(label) cannot keep up: dropping log lines (\(dropped) so far)\n".utf8)
                )
            }
            if closed { break }
        }
        writerDone.signal()
    }

    /// Takes the pending batch and writes it; returns the drop count and whether the sink is closed.
    private func writePending() -> (dropped: Int, closed: Bool) {
        fileLock.withLock { _ in
            let (batch, dropped, closed) = pending.withLock { pending -> ([UInt8], Int, Bool) in
                defer {
                    pending.bytes = []
                    pending.writerWoken = false
                }
                return (pending.bytes, pending.dropped, pending.isClosed)
            }
            if !batch.isEmpty { try? handle.write(contentsOf: batch) }
            return (dropped, closed)
        }
    }
}
