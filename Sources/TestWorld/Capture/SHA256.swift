import COpenSSL

/// A SHA-256 digest value.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The digest of `bytes` in one go.
    public init<Bytes: Sequence<UInt8>>(of bytes: Bytes) {
        let hasher = SHA256Hasher()
        hasher.update(Array(bytes))
        self = hasher.digest
    }

    /// Lower-case hex, as `sha256sum` prints it.
    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// An incremental SHA-256 over a byte stream (OpenSSL EVP), readable at any point without ending the stream.
public final class SHA256Hasher {
    private let context: OpaquePointer

    /// A hasher over the empty stream.
    public init() {
        // Allocation and init only fail when memory is exhausted, where there is nothing better to do.
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("OpenSSL could not set up SHA-256: \(OpenSSLError.drainErrorQueue())")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the stream.
    public func update(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBufferPointer { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
    }

    /// The digest of everything added so far; the stream can go on.
    public var digest: SHA256Digest {
        // Finalize a copy so this context keeps accepting bytes.
        guard let copy = EVP_MD_CTX_new() else { fatalError("OpenSSL could not copy a SHA-256 context") }
        defer { EVP_MD_CTX_free(copy) }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_MD_CTX_copy_ex(copy, context) == 1, EVP_DigestFinal_ex(copy, &output, &length) == 1 else {
            fatalError("OpenSSL could not finish a SHA-256 digest: \(OpenSSLError.drainErrorQueue())")
        }
        return SHA256Digest(bytes: Array(output[..<Int(length)]))
    }
}
