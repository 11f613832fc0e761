import CLinuxSockets

#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, and `errno`.
struct SystemCallError: Error, CustomStringConvertible {
    var call: StaticString
    var errno: Int32

    /// `strerror` and the number: `Address already in use (errno 98)`.
    var reason: String { "\(String(cString: strerror(errno))) (errno \(errno))" }

    var description: String { "\(call): \(reason)" }
}

/// The outcome of a non-blocking read or write.
enum IOOutcome: Equatable {
    /// This many bytes moved (0 from a read: the peer closed its write side).
    case bytes(Int)
    /// The socket has nothing to read, or no room to write: wait for the next readiness edge.
    case wouldBlock
    case failed(Int32)
}

/// Thin wrappers over the socket calls the data plane makes, retrying `EINTR` and mapping results to Swift
/// types. No allocation and no `Array` here: they run several times per proxied connection.
enum SystemCall {
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> IOOutcome {
        while true {
            let result = Glibc.read(descriptor, buffer, count)
            if result >= 0 { return .bytes(result) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    static func write(_ descriptor: Int32, from buffer: UnsafeRawPointer, count: Int) -> IOOutcome {
        while true {
            // send, not write: MSG_NOSIGNAL turns a write to a reset peer into EPIPE instead of SIGPIPE.
            let result = Glibc.send(descriptor, buffer, count, Int32(MSG_NOSIGNAL))
            if result >= 0 { return .bytes(result) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    /// A non-blocking, close-on-exec TCP socket for `family`.
    static func tcpSocket(family: Int32) throws(SystemCallError) -> Int32 {
        let descriptor = Glibc.socket(
            family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
            0
        )
        guard descriptor >= 0 else { throw SystemCallError(call: "socket", errno: errno) }
        return descriptor
    }

    static func setOption(_ descriptor: Int32, level: Int32, name: Int32, value: Int32) throws(SystemCallError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemCallError(call: "setsockopt", errno: errno)
        }
    }

    /// Starts a non-blocking connect. Whether it completes at once or later, the socket's first writable
    /// edge after registration reports it; a failure known at once is thrown.
    static func connect(_ descriptor: Int32, to address: SocketAddressStorage) throws(SystemCallError) {
        while true {
            let result = address.withSockAddr { Glibc.connect(descriptor, $0, $1) }
            if result == 0 { return }
            switch errno {
            case EINTR: continue
            case EINPROGRESS: return
            case let code: throw SystemCallError(call: "connect", errno: code)
            }
        }
    }

    /// The pending error of a socket (`SO_ERROR`): why a non-blocking connect failed.
    static func pendingError(_ descriptor: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    static func localAddress(_ descriptor: Int32) -> SocketAddressStorage? {
        var storage = SocketAddressStorage()
        let succeeded = storage.fill { address, length in getsockname(descriptor, address, length) == 0 }
        return succeeded ? storage : nil
    }

    static func shutdownOutput(_ descriptor: Int32) {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes a descriptor. Closing one that is not open is a double close, which closes somebody else's
    /// socket once the number is reused: a bug, so debug builds trap on it.
    static func close(_ descriptor: Int32) {
        let result = Glibc.close(descriptor)
        assert(result == 0 || errno != EBADF, "close(\(descriptor)): not an open descriptor (closed twice?)")
    }
}
