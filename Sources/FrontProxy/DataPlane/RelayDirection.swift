/// One direction of a relay: bytes read from a source socket are written to a sink socket.
///
/// Bytes are read into the loop's shared scratch buffer and written on at once; only what the sink cannot
/// take is kept, in a buffer of the direction's own, and the source is not read again until the sink has
/// taken it: at most one read's worth (`DataPlaneLoop.readSize`) is held per direction, whatever the peers do
/// (plus, once, what set-up read ahead of the upstream connection).
/// Readiness is edge-triggered, so the direction remembers what it was last told: the source has bytes, the
/// sink has room. When the source ends, the sink's write side is shut once everything is delivered.
struct RelayDirection: ~Copyable {
    /// Bytes the sink has not taken yet, `pending[start..<end]`.
    private var pending: UnsafeMutableRawBufferPointer?
    private var start = 0
    private var end = 0
    /// The source may have bytes (an edge said so and no read has come up short since).
    var sourceReadable = false
    /// The source's peer shut its write side (EPOLLRDHUP): read on until end of file even after a short read.
    var sourceClosing = false
    /// The source reached end of file.
    private(set) var sourceEnded = false
    /// The sink may have room (connect completed or an edge said so, and no write has come up short since).
    var sinkWritable = true
    /// The source ended, every byte was delivered and the sink's write side is shut.
    private(set) var isFinished = false

    /// Bytes read from the source that the sink has not taken yet.
    var heldBytes: Int { end - start }
    /// Whether the direction holds a buffer of its own (only while its sink is slow).
    var ownsBuffer: Bool { pending != nil }

    enum Outcome: Equatable {
        /// Waiting for readiness: nothing more to do now.
        case waiting
        /// Stopped after `readsPerTurn` reads with bytes possibly left: run again on the next turn.
        case yielded
        /// A read (`onSource`) or write failed with this errno: the connection cannot go on.
        case failed(errno: Int32, onSource: Bool)
    }

    /// Reads per `pump` before yielding to the loop's other connections.
    static let readsPerTurn = 16

    init() {}

    deinit {
        pending?.deallocate()
    }

    private mutating func releaseBuffer() {
        pending?.deallocate()
        pending = nil
    }

    /// Writes `bytes` (the ClientHello read during set-up) ahead of anything read from the source: to the
    /// sink at once as far as it takes them, the rest kept for the next write. Returns a failure, or nil.
    mutating func sendFirst(_ bytes: UnsafeRawBufferPointer, to sink: Int32) -> Outcome? {
        guard !bytes.isEmpty, case .failed(let code, let onSource) = write(bytes, to: sink) else { return nil }
        return .failed(errno: code, onSource: onSource)
    }

    /// The source ended before splicing began (the client's FIN arrived while the upstream connected).
    mutating func sourceEndedEarly() {
        sourceEnded = true
        sourceReadable = false
    }

    /// Moves bytes until the source has none, the sink has no room, or the turn's reads are used up.
    /// `moved` grows by the bytes read from the source.
    /// When `closingAfterEnd` (the other direction is finished, so the connection closes once this one is),
    /// the sink's write side is not shut separately: the close that follows sends the FIN.
    mutating func pump(
        from source: Int32,
        to sink: Int32,
        scratch: UnsafeMutableRawBufferPointer,
        closingAfterEnd: Bool,
        moved: inout Int
    ) -> Outcome {
        var reads = 0
        while true {
            if start < end {
                guard sinkWritable else { return .waiting }
                switch SystemCall.write(sink, from: pending!.baseAddress! + start, count: end - start) {
                case .bytes(let written):
                    start += written
                    if start < end {
                        sinkWritable = false
                        return .waiting
                    }
                    start = 0
                    end = 0
                case .wouldBlock:
                    sinkWritable = false
                    return .waiting
                case .failed(let code):
                    return .failed(errno: code, onSource: false)
                }
            }
            if sourceEnded {
                if !isFinished {
                    if !closingAfterEnd { SystemCall.shutdownOutput(sink) }
                    isFinished = true
                }
                return .waiting
            }
            guard sourceReadable else {
                // Everything delivered and nothing to read: give the buffer back, so an idle connection
                // holds no memory (reads go to the loop's scratch buffer until the sink is slow again).
                releaseBuffer()
                return .waiting
            }
            guard reads < Self.readsPerTurn else { return .yielded }
            reads += 1
            // Once a direction owns a buffer (its sink was slow before), it reads into it: the next shortfall
            // then needs no copy.
            let target = pending ?? scratch
            switch SystemCall.read(source, into: target.baseAddress!, count: target.count) {
            case .bytes(0):
                sourceEnded = true
                sourceReadable = false
            case .bytes(let count):
                moved += count
                if count < target.count && !sourceClosing { sourceReadable = false }
                if pending != nil {
                    start = 0
                    end = count
                } else if let outcome = write(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), to: sink) {
                    return outcome
                }
            case .wouldBlock:
                sourceReadable = false
                return .waiting
            case .failed(let code):
                return .failed(errno: code, onSource: true)
            }
        }
    }

    /// Writes `bytes` to the sink as far as it takes them and keeps the rest in the direction's own buffer
    /// (allocated on a shortfall; while the sink stays slow, reads go straight into it, with no copy).
    /// Returns nil when the sink took everything, else `.waiting` or the failure.
    private mutating func write(_ bytes: UnsafeRawBufferPointer, to sink: Int32) -> Outcome? {
        var written = 0
        if sinkWritable {
            switch SystemCall.write(sink, from: bytes.baseAddress!, count: bytes.count) {
            case .bytes(let taken): written = taken
            case .wouldBlock: break
            case .failed(let code): return .failed(errno: code, onSource: false)
            }
        }
        guard written < bytes.count else { return nil }
        sinkWritable = false
        let remainder = bytes.count - written
        if let buffer = pending, buffer.count < remainder { releaseBuffer() }
        let buffer = pending ?? .allocate(byteCount: max(DataPlaneLoop.readSize, remainder), alignment: 16)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[written...]))
        pending = buffer
        start = 0
        end = remainder
        return .waiting
    }
}
