/// A head the proxy was about to write would be malformed on the wire.
///
/// Parsed heads always serialize; these errors catch fields the proxy added
/// or edited (an `x-request-id` copied from somewhere with a CRLF in it would
/// otherwise split the message in two).
public enum HTTPSerializeError: Error, Sendable, Hashable {
    case invalidMethod
    case invalidHeaderName(String)
    /// The value holds CR, LF, NUL or another control byte (HTAB is fine).
    case invalidHeaderValue(name: String)
    case invalidReasonPhrase
    case invalidStatus
}

extension HTTPRequestHead {
    /// Append `method SP target SP version CRLF`, the fields and the empty
    /// line to `out`, reserving the exact size first.
    public func serialize(into out: inout [UInt8]) throws(HTTPSerializeError) {
        guard !method.isEmpty, method.utf8.allSatisfy(ByteClass.isToken) else { throw .invalidMethod }
        var size = method.utf8.count + 1 + target.raw.utf8.count + 1 + 8 + 2 + 2
        for field in headers { size += field.name.utf8.count + 2 + field.value.utf8.count + 2 }
        out.reserveCapacity(out.count + size)
        HTTPHeadWriter.append(method, to: &out)
        out.append(SP)
        HTTPHeadWriter.append(target.raw, to: &out)
        out.append(SP)
        HTTPHeadWriter.append(version.wireBytes, to: &out)
        out.append(CR)
        out.append(LF)
        try HTTPHeadWriter.appendFields(headers, to: &out)
    }

    /// The head as bytes, ready to write.
    public func serialized() throws(HTTPSerializeError) -> [UInt8] {
        var out: [UInt8] = []
        try serialize(into: &out)
        return out
    }
}

extension HTTPResponseHead {
    /// Append `version SP status SP reason CRLF`, the fields and the empty
    /// line to `out`.
    public func serialize(into out: inout [UInt8]) throws(HTTPSerializeError) {
        guard (100...599).contains(status) else { throw .invalidStatus }
        guard reason.utf8.allSatisfy(ByteClass.isFieldValueByte) else { throw .invalidReasonPhrase }
        var size = 8 + 1 + 3 + 1 + reason.utf8.count + 2 + 2
        for field in headers { size += field.name.utf8.count + 2 + field.value.utf8.count + 2 }
        out.reserveCapacity(out.count + size)
        HTTPHeadWriter.append(version.wireBytes, to: &out)
        out.append(SP)
        out.append(0x30 &+ UInt8(status / 100))
        out.append(0x30 &+ UInt8(status / 10 % 10))
        out.append(0x30 &+ UInt8(status % 10))
        out.append(SP)
        HTTPHeadWriter.append(reason, to: &out)
        out.append(CR)
        out.append(LF)
        try HTTPHeadWriter.appendFields(headers, to: &out)
    }

    public func serialized() throws(HTTPSerializeError) -> [UInt8] {
        var out: [UInt8] = []
        try serialize(into: &out)
        return out
    }
}

enum HTTPHeadWriter {
    @inline(__always)
    static func append(_ s: String, to out: inout [UInt8]) {
        if s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: s.utf8)
        }
    }

    @inline(__always)
    static func append(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// `name: value CRLF` per field, then the closing CRLF. Names must be
    /// tokens and values field-content (RFC 9110 §5.1, §5.5); the check is a
    /// byte scan over what is being copied anyway.
    static func appendFields(_ fields: [HTTPField], to out: inout [UInt8]) throws(HTTPSerializeError) {
        for field in fields {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ByteClass.isToken) else {
                throw .invalidHeaderName(field.name)
            }
            guard field.value.utf8.allSatisfy(ByteClass.isFieldValueByte) else {
                throw .invalidHeaderValue(name: field.name)
            }
            append(field.name, to: &out)
            out.append(COLON)
            out.append(SP)
            append(field.value, to: &out)
            out.append(CR)
            out.append(LF)
        }
        out.append(CR)
        out.append(LF)
    }
}
