import COpenSSL

/// An OpenSSL call failed. `reasons` holds OpenSSL's own error strings, oldest first, drained from the
/// thread's error queue so the next call starts clean.
public struct OpenSSLError: Error, Hashable, CustomStringConvertible {
    /// What we were doing, e.g. "sign certificate" or "TLS handshake".
    public var operation: String
    /// OpenSSL's error queue, e.g. `error:0A000086:SSL routines::certificate verify failed`.
    public var reasons: [String]

    public init(operation: String, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    public var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
    }

    /// Builds an error for `operation` from (and so empties) the calling thread's OpenSSL error queue.
    static func drainingQueue(_ operation: String) -> OpenSSLError {
        OpenSSLError(operation: operation, reasons: drainErrorQueue())
    }

    /// Empties the calling thread's OpenSSL error queue into readable strings.
    static func drainErrorQueue() -> [String] {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return reasons
    }
}

/// Throws an `OpenSSLError` for `operation` unless `pointer` is non-nil.
func requireNonNil<T>(_ pointer: T?, _ operation: @autoclosure () -> String) throws(OpenSSLError) -> T {
    guard let pointer else { throw .drainingQueue(operation()) }
    return pointer
}

/// Throws an `OpenSSLError` for `operation` unless OpenSSL reported success (a positive result).
func requireSuccess(_ result: Int32, _ operation: @autoclosure () -> String) throws(OpenSSLError) {
    guard result > 0 else { throw .drainingQueue(operation()) }
}
