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
        let size = method.utf8.count + 1 + target.raw.utf8.count + 1 + 8 + 2 + HTTPHeadWriter.size(of: headers)
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
        let size = 8 + 1 + 3 + 1 + reason.utf8.count + 2 + HTTPHeadWriter.size(of: headers)
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
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func append(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Bytes needed for the field lines and the closing CRLF.
    static func size(of fields: HTTPFields) -> Int {
        var size = 2
        for i in 0..<fields.count {
            switch fields.entry(i) {
            case .parsed(let span):
                size &+= Int(span.nameEnd &- span.nameStart) &+ Int(span.valueEnd &- span.valueStart) &+ 4
            case .owned(let field):
                size &+= field.name.utf8.count &+ field.value.utf8.count &+ 4
            }
        }
        return size
    }

    /// `name: value CRLF` per field, then the closing CRLF. Parsed fields are
    /// copied from the head's bytes as they are (already validated); fields
    /// set by code must have a token name and a value of field-content bytes
    /// (RFC 9110 §5.1, §5.5), checked on the bytes being copied anyway.
    static func appendFields(_ fields: HTTPFields, to out: inout [UInt8]) throws(HTTPSerializeError) {
        try fields.storage.withUnsafeBufferPointer { (storage) throws(HTTPSerializeError) in
            for i in 0..<fields.count {
                switch fields.entry(i) {
                case .parsed(let span):
                    out.append(
                        contentsOf: UnsafeBufferPointer(rebasing: storage[Int(span.nameStart)..<Int(span.nameEnd)])
                    )
                    out.append(COLON)
                    out.append(SP)
                    out.append(
                        contentsOf: UnsafeBufferPointer(rebasing: storage[Int(span.valueStart)..<Int(span.valueEnd)])
                    )
                case .owned(let field):
                    var name = field.name
                    var value = field.value
                    let nameOK = name.withUTF8 { n in
                        guard !n.isEmpty, n.allSatisfy(ByteClass.isToken) else { return false }
                        out.append(contentsOf: n)
                        return true
                    }
                    guard nameOK else { throw .invalidHeaderName(field.name) }
                    out.append(COLON)
                    out.append(SP)
                    let valueOK = value.withUTF8 { v in
                        guard v.allSatisfy(ByteClass.isFieldValueByte) else { return false }
                        out.append(contentsOf: v)
                        return true
                    }
                    guard valueOK else { throw .invalidHeaderValue(name: field.name) }
                }
                out.append(CR)
                out.append(LF)
            }
        }
        out.append(CR)
        out.append(LF)
    }
}
