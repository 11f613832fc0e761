/// What one direction of a connection carried: every byte counted and digested, the first `cap` bytes kept.
public struct CapturedBytes: Hashable, Sendable, CustomStringConvertible {
    /// How many bytes went by.
    public var count: Int
    /// SHA-256 of all of them, in order.
    public var digest: SHA256Digest
    /// The bytes themselves, up to the recorder's cap.
    public var bytes: [UInt8]

    /// Whether `bytes` stops short of `count`.
    public var isTruncated: Bool { bytes.count < count }

    /// Nothing at all.
    public static let empty = CapturedBytes(count: 0, digest: SHA256Digest(of: []), bytes: [])

    public var description: String { "\(count) bytes, sha256 \(digest)" }
}

/// Records one direction of a byte stream: keeps a running SHA-256 and count of everything, and the bytes
/// themselves up to `cap` so memory stays bounded on long streams.
public final class ByteRecorder {
    /// The default number of bytes kept: 1 MiB.
    public static let defaultCap = 1 << 20

    private let hasher = SHA256Hasher()
    private var kept: [UInt8] = []
    private var count = 0
    private let cap: Int

    public init(cap: Int = ByteRecorder.defaultCap) { self.cap = max(0, cap) }

    /// Records `bytes` as the next part of the stream.
    public func record(_ bytes: [UInt8]) {
        hasher.update(bytes)
        count += bytes.count
        let room = cap - kept.count
        if room > 0 { kept.append(contentsOf: bytes.prefix(room)) }
    }

    /// What has been recorded so far.
    public var captured: CapturedBytes { CapturedBytes(count: count, digest: hasher.digest, bytes: kept) }
}
