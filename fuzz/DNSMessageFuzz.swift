// libFuzzer entry point for the DNSWire codec; built by fuzz/run-dns.sh together with Sources/DNSWire.
//
// Checks, beyond "no crash": a message that decodes re-encodes (with and without compression) to bytes that
// decode to the same message and encode to the same bytes again; name and address texts that parse print
// back to text that parses to the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    if let message = try? DNSMessage(decoding: input) {
        checkReencoding(message, compressingNames: true)
        checkReencoding(message, compressingNames: false)
    }
    if let framed = DNSTCPFraming.firstMessage(in: input) {
        _ = try? DNSMessage(decoding: framed.message)
    }
    let text = String(decoding: input, as: UTF8.self)
    if let name = try? DNSName(text) {
        guard let again = try? DNSName(name.description), again.labels == name.labels else {
            fatalError("name \(name) does not survive its text form")
        }
    }
    if let address = try? DNSIPv6Address(text) {
        guard (try? DNSIPv6Address(address.description)) == address else {
            fatalError("IPv6 address \(address) does not survive its text form")
        }
    }
    if let address = try? DNSIPv4Address(text), (try? DNSIPv4Address(address.description)) != address {
        fatalError("IPv4 address \(address) does not survive its text form")
    }
    return 0
}

private func checkReencoding(_ message: DNSMessage, compressingNames: Bool) {
    let encoded: [UInt8]
    do {
        encoded = try message.encoded(compressingNames: compressingNames)
    } catch {
        // Decompressed names can make a message grow past 65535 bytes; anything else is a bug.
        guard case .messageTooLarge = error.reason else { fatalError("encoding a decoded message failed: \(error)") }
        return
    }
    let decoded: DNSMessage
    do {
        decoded = try DNSMessage(decoding: encoded)
    } catch {
        fatalError("decoding our own encoding failed: \(error)")
    }
    guard decoded == message, sameNameBytes(decoded, message) else {
        fatalError("re-encoding changed the message:\n\(message)\n\(decoded)")
    }
    guard (try? decoded.encoded(compressingNames: compressingNames)) == encoded else {
        fatalError("encoding is not stable")
    }
}

/// `DNSName` equality ignores case; re-encoding must keep the exact bytes.
private func sameNameBytes(_ left: DNSMessage, _ right: DNSMessage) -> Bool {
    func names(_ message: DNSMessage) -> [[[UInt8]]] {
        let records = message.answers + message.authorities + message.additionals
        return message.questions.map(\.name.labels) + records.map(\.name.labels)
            + records.map { record in
                switch record.data {
                case .cname(let name): name.labels
                case .soa(let soa): soa.primaryNameServer.labels + soa.responsibleMailbox.labels
                default: []
                }
            }
    }
    return names(left) == names(right)
}
