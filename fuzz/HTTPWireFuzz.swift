// libFuzzer target for HTTPWire. Built by fuzz/run.sh together with the
// module sources (one module, so no import), with -sanitize=fuzzer,address.
//
// Each input is used as a request (head then body) and as a response, under
// the default limits and under tiny limits that make every limit reachable.
// Besides "no crash, no memory error", it checks properties:
// - feeding the input in growing prefixes (one parser, every split point)
//   settles on exactly the one-shot verdict, at one byte, and stays there;
// - a complete head serializes to bytes that parse back to an equal head;
// - a body framer fed the rest in one piece, byte by byte and split in two
//   at every position agrees on where the body ends or on the error.

private let tinyLimits = HTTPParseLimits(
    maxHeadSize: 97,
    maxHeaderCount: 3,
    maxChunkLineSize: 16,
    maxTrailerSize: 40,
    maxTrailerCount: 2,
    allowCustomMethods: true
)

private let methods = ["GET", "HEAD", "CONNECT", "POST"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for limits in [HTTPParseLimits(), tinyLimits] {
        checkRequest(bytes, limits)
        checkResponse(bytes, limits, requestMethod: methods[size % methods.count], depth: 0)
    }
    return 0
}

private func fail(_ what: String) -> Never {
    fatalError("HTTPWire property violated: \(what)")
}

/// Every prefix verdict of `bytes` fed to one incremental parser, compared
/// with the one-shot verdict. Returns the one-shot result.
private func checkSplits<Head: Equatable>(
    _ bytes: UnsafeRawBufferPointer,
    oneShot: (UnsafeRawBufferPointer) -> HTTPParseResult<Head>,
    incremental: (inout HTTPHeadParser, UnsafeRawBufferPointer) -> HTTPParseResult<Head>,
    limits: HTTPParseLimits
) -> HTTPParseResult<Head> {
    let whole = oneShot(bytes)
    var parser = HTTPHeadParser(limits: limits)
    var settledAt: Int?
    for k in 0...bytes.count {
        let r = incremental(&parser, UnsafeRawBufferPointer(rebasing: bytes[0..<k]))
        if case .incomplete = r { continue }
        guard r == whole else { fail("incremental verdict at \(k) differs from one-shot") }
        settledAt = k
        break
    }
    if settledAt == nil {
        guard case .incomplete = whole else { fail("incremental parser never settled but one-shot did") }
    }
    // One-shot on each prefix: incomplete before the settling byte, the same
    // verdict from there on (bounded: quadratic in the input).
    if bytes.count <= 160 {
        let settle = settledAt ?? (bytes.count + 1)
        for k in 0...bytes.count {
            let r = oneShot(UnsafeRawBufferPointer(rebasing: bytes[0..<k]))
            if k < settle {
                guard case .incomplete = r else { fail("prefix \(k) settled before \(settle)") }
            } else if r != whole {
                fail("prefix \(k) verdict differs")
            }
        }
    }
    return whole
}

private func checkRequest(_ bytes: UnsafeRawBufferPointer, _ limits: HTTPParseLimits) {
    let result = checkSplits(
        bytes,
        oneShot: { HTTPHeadParser.parseRequest($0, limits: limits) },
        incremental: { $0.parseRequest($1) },
        limits: limits
    )
    guard case .complete(let head, let length) = result else { return }
    guard length > 0, length <= bytes.count, length <= limits.maxHeadSize else { fail("head length \(length)") }
    guard head.headers.count <= limits.maxHeaderCount else { fail("header count") }

    // Round trip through the serializer.
    let out: [UInt8]
    do { out = try head.serialized() } catch { fail("parsed head does not serialize: \(error)") }
    var relaxed = limits
    relaxed.maxHeadSize = Int.max / 2
    guard case .complete(let again, let againLength) = HTTPHeadParser.parseRequest(out, limits: relaxed),
        againLength == out.count, again == head
    else { fail("serialized request does not parse back equal") }

    checkBody(UnsafeRawBufferPointer(rebasing: bytes[length...]), head.bodyFraming, limits)
}

private func checkResponse(
    _ bytes: UnsafeRawBufferPointer,
    _ limits: HTTPParseLimits,
    requestMethod: String,
    depth: Int
) {
    let result = checkSplits(
        bytes,
        oneShot: { HTTPHeadParser.parseResponse($0, requestMethod: requestMethod, limits: limits) },
        incremental: { $0.parseResponse($1, requestMethod: requestMethod) },
        limits: limits
    )
    guard case .complete(let head, let length) = result else { return }
    guard length > 0, length <= bytes.count, length <= limits.maxHeadSize else { fail("response head length") }

    let out: [UInt8]
    do { out = try head.serialized() } catch { fail("parsed response does not serialize: \(error)") }
    var relaxed = limits
    relaxed.maxHeadSize = Int.max / 2
    guard
        case .complete(let again, let againLength) =
            HTTPHeadParser.parseResponse(out, requestMethod: requestMethod, limits: relaxed),
        againLength == out.count, again.status == head.status, again.headers == head.headers,
        again.bodyFraming == head.bodyFraming, again.keepAlive == head.keepAlive,
        again.version == head.version
    else { fail("serialized response does not parse back equal") }

    let rest = UnsafeRawBufferPointer(rebasing: bytes[length...])
    if head.isInterim {
        // The real response follows an interim one.
        if depth < 3 { checkResponse(rest, limits, requestMethod: requestMethod, depth: depth + 1) }
    } else {
        checkBody(rest, head.bodyFraming, limits)
    }
}

private enum FrameOutcome: Equatable {
    case ended(Int)
    case open(Int)
    case failed(HTTPParseError)
}

/// Feed `bytes` to a framer in pieces cut at `cuts`.
private func frame(
    _ bytes: UnsafeRawBufferPointer,
    _ framing: HTTPBodyFraming,
    _ limits: HTTPParseLimits,
    cuts: some Sequence<Int>
) -> FrameOutcome {
    var framer = HTTPBodyFramer(framing, limits: limits)
    var offset = 0
    var pieces = Array(cuts.filter { $0 > 0 && $0 < bytes.count })
    pieces.append(bytes.count)
    do throws(HTTPParseError) {
        for end in pieces where end > offset {
            let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
            let (used, done) = try framer.consume(piece)
            guard used >= 0, used <= piece.count else { fail("framer used \(used) of \(piece.count)") }
            if done {
                guard framer.isDone else { fail("done but not isDone") }
                return .ended(offset + used)
            }
            guard used == piece.count else { fail("framer stopped early without being done") }
            offset = end
        }
        return .open(offset)
    } catch {
        return .failed(error)
    }
}

private func checkBody(_ bytes: UnsafeRawBufferPointer, _ framing: HTTPBodyFraming, _ limits: HTTPParseLimits) {
    let whole = frame(bytes, framing, limits, cuts: [])
    let byByte = frame(bytes, framing, limits, cuts: 0...bytes.count)
    guard whole == byByte else { fail("framer: byte-at-a-time \(byByte) vs whole \(whole)") }
    if bytes.count <= 128 {
        for split in 1..<max(bytes.count, 1) {
            guard frame(bytes, framing, limits, cuts: [split]) == whole else { fail("framer split at \(split)") }
        }
    }
    // The same bytes as a chunked body, whatever the head said, to reach the
    // chunked state machine from every input.
    if framing != .chunked {
        let chunked = frame(bytes, .chunked, limits, cuts: [])
        guard chunked == frame(bytes, .chunked, limits, cuts: 0...bytes.count) else { fail("chunked byte-at-a-time") }
    }
}
