#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a resolv.conf file could not be read.
public struct ResolvConfReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
}

/// Reads a small text file with plain POSIX calls: FrontProxy has no Foundation dependency, and a
/// resolv.conf is read once at start.
enum ResolvConfFile {
    /// resolv.conf files are a few hundred bytes; anything past this is not read.
    static let maximumSize = 64 * 1024

    static func contents(of path: String) throws(ResolvConfReadError) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ResolvConfReadError(path: path, errno: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < maximumSize {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ResolvConfReadError(path: path, errno: errno) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes.prefix(maximumSize), as: UTF8.self)
    }
}
