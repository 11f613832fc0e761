/// Reads the ClientHello at the start of a TLS stream from bytes fed as they arrive, without consuming them.
///
/// Feed every byte of the stream once, in order, in pieces of any size (one byte, a TCP segment, a whole
/// buffer). The caller keeps the bytes and forwards them untouched; the reader only inspects them. It handles a
/// ClientHello fragmented across any number of records, examines each byte once (no re-parsing when bytes
/// trickle in), and never reads or stores more than `maximumLength` stream bytes. Once it has an answer it
/// returns that answer for every later feed.
///
/// From a SwiftNIO handler, feed each new buffer as it is read and keep it for forwarding:
/// `let outcome = buffer.withUnsafeReadableBytes { reader.feed($0) }`. A feed that holds the whole ClientHello
/// is parsed in place without copying; otherwise only the handshake message is copied, once.
///
/// Decisions, with their grounds:
/// - Only handshake records (type 22) may carry the ClientHello; any other record type first is `.notTLS`,
///   later it is `.malformed` (RFC 8446 §5.1 forbids interleaving).
/// - Records longer than 2^14 and zero-length handshake records are `.malformed` (RFC 8446 §5.1).
/// - `legacy_version` below TLS 1.0 is `.unsupportedVersion`; higher versions are accepted (version tolerance,
///   RFC 8446 §4.2.1), unlike Envoy, which rejects above TLS 1.3.
/// - An SSL 2.0-compatible hello is `.sslv2CompatibleHello` (it cannot carry SNI).
/// - The answer comes as soon as the ClientHello message ends; the rest of its record is not examined.
public struct ClientHelloReader: Sendable {
    /// The reader's answer after a feed.
    public enum Outcome: Hashable, Sendable {
        case needMoreBytes
        case complete(ClientHello)
        case failed(ClientHelloError)
    }

    /// The largest TLSPlaintext fragment (RFC 8446 §5.1).
    public static let maximumRecordLength = 16_384

    /// The most stream bytes (record headers included) a ClientHello may take.
    public let maximumLength: Int
    /// Stream bytes examined so far; on completion, the stream offset just past the ClientHello.
    public private(set) var bytesExamined = 0

    /// Trivial payloads only, so the per-byte state changes copy no references; the answer lives in `answer`.
    private enum State {
        case recordHeader(RecordHeaderBytes)
        case recordPayload(remaining: Int)
        case finished
    }

    private enum PayloadStep {
        case consumed(Int)
        case finished(Outcome)
    }

    private enum HeaderStep {
        case `continue`(State)
        case finished(Outcome)
    }

    private var state = State.recordHeader(RecordHeaderBytes())
    private var answer = Outcome.needMoreBytes
    private var recordCount = 0
    private var recordVersion = TLSProtocolVersion(rawValue: 0)
    private var message = HandshakeMessageBuffer()

    /// - Parameter maximumLength: the cap on stream bytes; 16 KiB by default, as Envoy, nginx and caddy-l4.
    public init(maximumLength: Int = 16_384) {
        self.maximumLength = maximumLength
    }

    /// Examines the next bytes of the stream.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var index = 0
        while true {
            switch state {
            case .finished:
                return answer
            case .recordHeader(var header):
                guard index < bytes.count else { return .needMoreBytes }
                header.append(bytes[index])
                index += 1
                bytesExamined += 1
                switch step(header) {
                case .finished(let outcome):
                    answer = outcome
                    state = .finished
                case .continue(let next):
                    state = next
                }
            case .recordPayload(let remaining):
                guard index < bytes.count else { return .needMoreBytes }
                let available = min(remaining, bytes.count - index)
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + available)])
                switch consumePayload(chunk, recordRemaining: remaining) {
                case .finished(let outcome):
                    answer = outcome
                    state = .finished
                case .consumed(let count):
                    index += count
                    state =
                        count == remaining
                        ? .recordHeader(RecordHeaderBytes()) : .recordPayload(remaining: remaining - count)
                }
            }
        }
    }

    /// Examines the next bytes of the stream.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> Outcome {
        if let outcome = bytes.withContiguousStorageIfAvailable({ feed(UnsafeRawBufferPointer($0)) }) {
            return outcome
        }
        return Array(bytes).withUnsafeBytes { feed($0) }
    }

    // MARK: Record layer

    /// Judges a record header after each byte, so non-TLS streams fail on their first byte.
    private mutating func step(_ header: RecordHeaderBytes) -> HeaderStep {
        let isFirst = recordCount == 0
        let headerStart = bytesExamined - header.count
        if isFirst && header.contentType & 0x80 != 0 {
            // A 2-byte SSL 2.0 record header: decide once msg_type and version are in (as nginx does).
            guard header.isComplete else { return .continue(.recordHeader(header)) }
            if header[2] == 1 && (header[3] == 0 || header[3] == 3) {
                let offered = TLSProtocolVersion(major: header[3], minor: header[4])
                return .finished(.failed(.sslv2CompatibleHello(offeredVersion: offered)))
            }
            return .finished(.failed(.notTLS(.contentType(header.contentType))))
        }
        switch header.count {
        case 1 where header.contentType != 22:
            guard isFirst else {
                return malformed(
                    "record of content type \(header.contentType) inside the ClientHello (RFC 8446 §5.1)",
                    at: headerStart
                )
            }
            return .finished(.failed(.notTLS(.contentType(header.contentType))))
        case 3 where header.version.major != 3:
            guard isFirst else {
                return malformed("record version \(header.version) is not TLS", at: headerStart + 1)
            }
            return .finished(.failed(.notTLS(.recordVersion(header.version))))
        case RecordHeaderBytes.length:
            return startRecord(header, headerStart: headerStart)
        default:
            return .continue(.recordHeader(header))
        }
    }

    private mutating func startRecord(_ header: RecordHeaderBytes, headerStart: Int) -> HeaderStep {
        let length = header.length
        guard length > 0 else {
            return malformed("zero-length handshake record (RFC 8446 §5.1)", at: headerStart + 3)
        }
        guard length <= Self.maximumRecordLength else {
            return malformed(
                "record length \(length) exceeds the TLS maximum of \(Self.maximumRecordLength)",
                at: headerStart + 3
            )
        }
        if recordCount == 0 { recordVersion = header.version }
        recordCount += 1
        if exceedsLimit(missing: message.missing, recordRemaining: length) {
            return .finished(.failed(.tooLarge(limit: maximumLength)))
        }
        return .continue(.recordPayload(remaining: length))
    }

    /// Whether the ClientHello cannot fit in `maximumLength`: what was read, plus what is still missing, plus one
    /// more record header if the current record cannot hold the rest.
    private func exceedsLimit(missing: Int, recordRemaining: Int) -> Bool {
        bytesExamined + missing + (missing > recordRemaining ? RecordHeaderBytes.length : 0) > maximumLength
    }

    private func malformed(_ reason: String, at offset: Int) -> HeaderStep {
        .finished(.failed(.malformed(reason: reason, offset: offset)))
    }

    // MARK: Handshake layer

    /// Takes bytes of the current record (`chunk` never extends past it) into the handshake message.
    private mutating func consumePayload(_ chunk: UnsafeRawBufferPointer, recordRemaining: Int) -> PayloadStep {
        if message.isEmpty, chunk.count >= 4 {
            // Fast path: the whole message is in this chunk, so parse it where it lies, without copying.
            // Failures count the bytes examined exactly as the byte-at-a-time path below does.
            let type = chunk[0]
            guard type == 1 else {
                bytesExamined += 1
                return .finished(.failed(.unexpectedHandshakeType(type)))
            }
            let total = 4 + (Int(chunk[1]) << 16 | Int(chunk[2]) << 8 | Int(chunk[3]))
            if exceedsLimit(missing: total, recordRemaining: recordRemaining) {
                bytesExamined += 4
                return .finished(.failed(.tooLarge(limit: maximumLength)))
            }
            if total <= chunk.count {
                let start = bytesExamined
                bytesExamined += total
                let message = UnsafeRawBufferPointer(rebasing: chunk[0..<total])
                return .finished(finish(ClientHelloParser.result(message: message)) { start + $0 })
            }
        }
        var used = 0
        while used < chunk.count {
            if !message.hasHeader {
                message.appendHeaderByte(chunk[used], streamOffset: bytesExamined, record: recordCount)
                used += 1
                bytesExamined += 1
                if message.received == 1 && message.type != 1 {
                    return .finished(.failed(.unexpectedHandshakeType(message.type)))
                }
                if message.hasHeader
                    && exceedsLimit(missing: message.missing, recordRemaining: recordRemaining - used)
                {
                    return .finished(.failed(.tooLarge(limit: maximumLength)))
                }
            } else {
                let count = min(message.missing, chunk.count - used)
                let piece = UnsafeRawBufferPointer(rebasing: chunk[used..<(used + count)])
                message.appendBody(piece, streamOffset: bytesExamined, record: recordCount)
                used += count
                bytesExamined += count
            }
            if message.isComplete {
                let result = message.withMessage(ClientHelloParser.result(message:))
                return .finished(finish(result) { message.streamOffset(ofMessageOffset: $0) })
            }
        }
        return .consumed(used)
    }

    private func finish(
        _ result: Result<ParsedClientHello, MessageParseFailure>,
        streamOffset: (Int) -> Int
    ) -> Outcome {
        switch result {
        case .success(let parsed):
            return .complete(
                ClientHello(
                    serverName: parsed.serverName,
                    alpn: parsed.alpn,
                    legacyVersion: parsed.legacyVersion,
                    supportedVersions: parsed.supportedVersions,
                    hasEncryptedClientHello: parsed.hasEncryptedClientHello,
                    recordVersion: recordVersion,
                    bytesExamined: bytesExamined,
                    recordCount: recordCount,
                    cipherSuiteCount: parsed.cipherSuiteCount,
                    extensionTypes: parsed.extensionTypes
                )
            )
        case .failure(.malformed(let reason, let messageOffset)):
            return .failed(.malformed(reason: reason, offset: streamOffset(messageOffset)))
        case .failure(.unsupportedVersion(let version)):
            return .failed(.unsupportedVersion(version))
        }
    }
}
