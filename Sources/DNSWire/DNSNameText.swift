/// The text form of names (RFC 1035 §5.1 escapes), kept apart from `DNSName` so the value type stays small.
enum DNSNameText {
    static func parse(_ text: String) throws(DNSWireError) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw DNSWireError(.emptyLabel, field: "name text", offset: 0) }
        if bytes == [UInt8(ascii: ".")] { return [] }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "."):
                guard !label.isEmpty else { throw DNSWireError(.emptyLabel, field: "name text", offset: index) }
                labels.append(label)
                label = []
                index += 1
            case UInt8(ascii: "\\"):
                let (value, length) = try escape(in: bytes, at: index)
                label.append(value)
                index += length
            default:
                label.append(byte)
                index += 1
            }
            guard label.count <= DNSName.maximumLabelLength else {
                throw DNSWireError(.labelTooLong(length: label.count), field: "name text", offset: index)
            }
        }
        if !label.isEmpty { labels.append(label) }
        return labels
    }

    /// The byte a backslash escape at `start` stands for, and how many text bytes it takes.
    private static func escape(in bytes: [UInt8], at start: Int) throws(DNSWireError) -> (UInt8, Int) {
        let digits = bytes[(start + 1)...].prefix(3)
        guard let first = digits.first else {
            throw DNSWireError(.invalidEscape, field: "name text", offset: start)
        }
        guard isDigit(first) else { return (first, 2) }
        guard digits.count == 3, digits.allSatisfy(isDigit) else {
            throw DNSWireError(.invalidEscape, field: "name text", offset: start)
        }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard value <= 255 else { throw DNSWireError(.invalidEscape, field: "name text", offset: start) }
        return (UInt8(value), 4)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func format(_ labels: [[UInt8]]) -> String {
        guard !labels.isEmpty else { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text.append("\\")
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                case 0x21...0x7E:
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                default:
                    let decimal = String(byte)
                    text.append("\\" + String(repeating: "0", count: 3 - decimal.count) + decimal)
                }
            }
            text.append(".")
        }
        return text
    }
}
