/// Phase two of head parsing: turn the field lines of a complete head into
/// `HTTPFields` and framing facts.
///
/// The scanner has already proved that every line in `[start, end)` ends in
/// CRLF and that no other CR or LF occurs, so each line is walked once:
/// name bytes until ':', then the value until its CR, eight bytes at a time
/// while no control byte is in sight.
enum FieldLineParser {
    /// `end` is the index of the CR of the empty line closing the head.
    /// The returned fields keep one copy of `[start, end)` and offsets into it.
    static func parse(
        _ p: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        expectedCount: Int,
        maxCount: Int,
        facts: inout FieldFacts
    ) throws(HTTPParseError) -> HTTPFields {
        var fields: [HTTPFields.Span] = []
        fields.reserveCapacity(min(expectedCount, maxCount))
        var i = start
        while i < end {
            // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) may be
            // refused with 400; we refuse it (balsa would accept it).
            let c0 = p[i]
            if c0 == SP || c0 == HTAB { throw .obsFold }

            // field-name = token (RFC 9110 §5.1). The line's CR stops the loop.
            let ns = i
            while ByteClass.isToken(p[i]) { i &+= 1 }
            let ne = i
            let c = p[i]
            if c != COLON {
                // RFC 9112 §5.1: whitespace before the colon MUST be a 400.
                if c == SP || c == HTAB { throw .whitespaceBeforeColon }
                if c == CR, ne > ns { throw .missingColon }
                throw .invalidHeaderName
            }
            guard ne > ns else { throw .invalidHeaderName }
            if fields.count == maxCount { throw .tooManyHeaders }
            i &+= 1

            // Leading OWS is not part of the value (RFC 9112 §5.1).
            while p[i] == SP || p[i] == HTAB { i &+= 1 }
            let vs = i
            var high: UInt64 = 0
            while true {
                while i &+ 8 <= end {
                    let w = SWAR.load(p, i)
                    high |= w
                    let bad = SWAR.lessMask(w, 0x20) | SWAR.zeroMask(w ^ (SWAR.ones &* 0x7F))
                    if bad != 0 {
                        i &+= bad.trailingZeroBitCount >> 3
                        break
                    }
                    i &+= 8
                }
                let v = p[i]
                if v == CR { break }
                if v != HTAB && (v < 0x20 || v == 0x7F) { throw .invalidHeaderValue }
                high |= UInt64(v)
                i &+= 1
            }
            let lineEnd = i
            var ve = lineEnd
            while ve > vs, p[ve &- 1] == SP || p[ve &- 1] == HTAB { ve &-= 1 }

            // obs-text is accepted only as well-formed UTF-8 (see UTF8Validation).
            if high & SWAR.highs != 0, !UTF8Validation.isValid(p, vs, ve) { throw .invalidHeaderValue }
            try facts.add(p, name: ns, ne, value: vs, ve, index: fields.count)
            fields.append(
                HTTPFields.Span(
                    nameStart: Int32(truncatingIfNeeded: ns &- start),
                    nameEnd: Int32(truncatingIfNeeded: ne &- start),
                    valueStart: Int32(truncatingIfNeeded: vs &- start),
                    valueEnd: Int32(truncatingIfNeeded: ve &- start)
                )
            )
            i = lineEnd &+ 2
        }
        let storage = Array(UnsafeBufferPointer(start: p + start, count: end &- start))
        return HTTPFields(storage: storage, spans: fields)
    }
}
