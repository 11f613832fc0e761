import Testing

@testable import HTTPWire

@Suite("Byte classes")
struct ByteClassTests {
    @Test("token bitmap matches RFC 9110 tchar")
    func token() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for c in 0...255 { #expect(ByteClass.isToken(UInt8(c)) == tchar.contains(UInt8(c)), "\(c)") }
    }

    @Test("reg-name bitmap matches RFC 3986 unreserved / sub-delims")
    func regName() {
        let set = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=".utf8)
        for c in 0...255 { #expect(ByteClass.isRegName(UInt8(c)) == set.contains(UInt8(c)), "\(c)") }
    }

    @Test("SWAR line-break search finds the first CR or LF at every offset")
    func lineBreak() {
        for length in 0..<40 {
            for position in 0...length {
                for mark in [CR, LF] {
                    var bytes = [UInt8](repeating: 0x41, count: length)
                    if position < length { bytes[position] = mark }
                    // Bytes near CR/LF in value that must not match.
                    if length > 0 && position != 0 { bytes[0] = 0x0B }
                    let found = bytes.withUnsafeBufferPointer { buf in
                        buf.baseAddress.map { SWAR.firstLineBreak($0, from: 0, end: length) } ?? 0
                    }
                    #expect(found == position, "length \(length) position \(position)")
                }
            }
        }
    }
}
