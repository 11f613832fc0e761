import FrontProxy
import Synchronization

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
