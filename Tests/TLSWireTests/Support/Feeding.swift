import TLSWire
import TestWorld
import Testing

/// Feeds `pieces` in order to a fresh reader and returns the last outcome.
func read(_ pieces: [ArraySlice<UInt8>], maximumLength: Int = 16_384) -> ClientHelloReader.Outcome {
    var reader = ClientHelloReader(maximumLength: maximumLength)
    var outcome = ClientHelloReader.Outcome.needMoreBytes
    for piece in pieces { outcome = reader.feed(piece) }
    return outcome
}

func read(_ bytes: [UInt8], maximumLength: Int = 16_384) -> ClientHelloReader.Outcome {
    read([bytes[...]], maximumLength: maximumLength)
}

/// Reads `bytes` whole, one byte per feed, and split in two at every offset; expects one outcome from all of
/// them and returns it. Streams with more than `maximumSplits` offsets are split at every offset of their first
/// and last 128 bytes and at evenly spaced offsets between, which keeps debug-build test time in seconds.
func readEverySplit(
    _ bytes: [UInt8],
    maximumLength: Int = 16_384,
    maximumSplits: Int = 4_097,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ClientHelloReader.Outcome {
    let whole = read(bytes, maximumLength: maximumLength)
    var bytewiseReader = ClientHelloReader(maximumLength: maximumLength)
    var bytewise = ClientHelloReader.Outcome.needMoreBytes
    for byte in bytes { bytewise = bytewiseReader.feed(CollectionOfOne(byte)) }
    #expect(bytewise == whole, "one byte per feed differs from one feed", sourceLocation: sourceLocation)
    var wholeReader = ClientHelloReader(maximumLength: maximumLength)
    _ = wholeReader.feed(bytes)
    #expect(
        bytewiseReader.bytesExamined == wholeReader.bytesExamined,
        "one byte per feed examines a different number of bytes",
        sourceLocation: sourceLocation
    )
    let offsets =
        bytes.count < maximumSplits
        ? Array(0...bytes.count)
        : Array(0..<128)
            + Array(stride(from: 128, to: bytes.count - 128, by: max(1, bytes.count / (maximumSplits - 256))))
            + Array((bytes.count - 128)...bytes.count)
    for offset in offsets {
        let split = read([bytes[..<offset], bytes[offset...]], maximumLength: maximumLength)
        if split != whole {
            Issue.record("split at \(offset) gives \(split), whole gives \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    return whole
}

/// Fragment sizes worth trying for a message of `length` bytes: tiny ones, ones that cut fields, and halves.
func fragmentSizes(for length: Int) -> [Int] {
    Array(Set([1, 2, 3, 4, 5, 7, 13, 64, 100, 255, 512, length / 2, length - 1, length].filter { $0 >= 1 }))
        .sorted()
}

extension ClientHelloReader.Outcome {
    var hello: ClientHello? {
        if case .complete(let hello) = self { hello } else { nil }
    }

    var error: ClientHelloError? {
        if case .failed(let error) = self { error } else { nil }
    }

    /// The outcome with record-layer details cleared, to compare readings of different fragmentations.
    var ignoringRecords: Self {
        switch self {
        case .complete(var hello):
            hello.bytesExamined = 0
            hello.recordCount = 0
            return .complete(hello)
        case .failed(.malformed(let reason, _)):
            return .failed(.malformed(reason: reason, offset: 0))
        default:
            return self
        }
    }
}

extension ClientHelloError {
    var isMalformed: Bool {
        if case .malformed = self { true } else { false }
    }

    var offset: Int? {
        if case .malformed(_, let offset) = self { offset } else { nil }
    }
}

/// Reads the builder's hello in records of every size from `fragmentSizes`, each split at every offset (streams
/// over 1 KiB at 384 offsets: both ends in full and evenly spaced between, so the whole suite stays a few CPU
/// seconds in a debug build; the single-record form is still split at every offset), and
/// expects the same outcome (record details and error offsets aside) from all of them; returns the outcome of
/// the single-record form.
func readEveryFragmentation(
    _ builder: ClientHelloBuilder,
    maximumLength: Int = 16_384,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ClientHelloReader.Outcome {
    let single = readEverySplit(builder.bytes, maximumLength: maximumLength, sourceLocation: sourceLocation)
    for size in fragmentSizes(for: builder.message.count) {
        let bytes = builder.records(fragmentSize: size)
        let fragmented = readEverySplit(
            bytes,
            maximumLength: maximumLength,
            maximumSplits: bytes.count > 1_024 ? 384 : 1_025,
            sourceLocation: sourceLocation
        )
        if fragmented.ignoringRecords != single.ignoringRecords {
            Issue.record(
                "records of \(size) bytes give \(fragmented), one record gives \(single)",
                sourceLocation: sourceLocation
            )
        }
    }
    return single
}
