#if canImport(Glibc)
import Glibc
#endif

/// Bytes waiting for a socket that could not take them yet, written before anything newer.
///
/// What HTTP connections send is mostly written straight from the loop's scratch buffer; only the shortfall
/// of a write lands here, and the connection stops reading the side that feeds this socket until it drains,
/// so it holds at most a head plus one read.
struct OutboundBytes {
    private var bytes: [UInt8] = []
    private var start = 0

    var isEmpty: Bool { start == bytes.count }
    var count: Int { bytes.count - start }

    /// Writes what is queued, then `more`, as far as the socket takes them; the rest is queued.
    /// `writable` is cleared when the socket is full.
    mutating func send(
        _ more: UnsafeRawBufferPointer,
        to descriptor: Int32,
        writable: inout Bool
    ) -> IOOutcome? {
        if let failure = flush(to: descriptor, writable: &writable) { return failure }
        guard !more.isEmpty else { return nil }
        var written = 0
        if isEmpty && writable {
            switch SystemCall.write(descriptor, from: more.baseAddress!, count: more.count) {
            case .bytes(let count): written = count
            case .wouldBlock: writable = false
            case .failed(let code): return .failed(code)
            }
        }
        if written < more.count {
            writable = false
            if start > 0 && start == bytes.count {
                bytes.removeAll(keepingCapacity: true)
                start = 0
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: more[written...]))
        }
        return nil
    }

    mutating func send(_ more: [UInt8], to descriptor: Int32, writable: inout Bool) -> IOOutcome? {
        more.withUnsafeBytes { send($0, to: descriptor, writable: &writable) }
    }

    /// Writes what is queued as far as the socket takes it.
    mutating func flush(to descriptor: Int32, writable: inout Bool) -> IOOutcome? {
        while !isEmpty && writable {
            let outcome = bytes.withUnsafeBytes { buffer in
                SystemCall.write(descriptor, from: buffer.baseAddress! + start, count: buffer.count - start)
            }
            switch outcome {
            case .bytes(let count):
                start += count
                if start < bytes.count { writable = false }
            case .wouldBlock: writable = false
            case .failed(let code): return .failed(code)
            }
        }
        if isEmpty && !bytes.isEmpty {
            // Drained: give the memory back, so an idle keep-alive connection holds none.
            bytes = []
            start = 0
        }
        return nil
    }
}
