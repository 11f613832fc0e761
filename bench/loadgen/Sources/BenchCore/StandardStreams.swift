#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a line goes: unbuffered, so a supervising script sees it at once.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes `text` and a newline with `write(2)`, retrying short writes.
    public func writeLine(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBytes { write(rawValue, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
        bytes.removeAll()
    }
}
