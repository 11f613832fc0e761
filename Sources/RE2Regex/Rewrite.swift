/// RE2's rewrite strings (for GlobalReplace and Envoy's `regex_rewrite.substitution`):
/// `\0`-`\9` insert a capture group, `\\` inserts a backslash; nothing else may follow `\`.
/// Works on UTF-8 bytes like RE2, so a multi-byte character after `\` is simply an error.
enum Rewrite {
    private static let backslash = UInt8(ascii: "\\")

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// RE2::MaxSubmatch: the largest group number the rewrite refers to (0 if none).
    static func maxSubmatch(_ rewrite: String) -> Int {
        var m = 0
        var it = rewrite.utf8.makeIterator()
        while let c = it.next() {
            guard c == backslash else { continue }
            guard let d = it.next() else { break }
            if isDigit(d) { m = Swift.max(m, Int(d - 0x30)) }
        }
        return m
    }

    /// RE2::CheckRewriteString's verdict, with its messages.
    static func check(_ rewrite: String, groupCount: Int) -> String? {
        var maxToken = -1
        var it = rewrite.utf8.makeIterator()
        while let c = it.next() {
            guard c == backslash else { continue }
            guard let d = it.next() else {
                return "Rewrite schema error: '\\' not allowed at end."
            }
            if d == backslash { continue }
            if !isDigit(d) {
                return "Rewrite schema error: '\\' must be followed by a digit or '\\'."
            }
            maxToken = Swift.max(maxToken, Int(d - 0x30))
        }
        if maxToken > groupCount {
            return "Rewrite schema requests \(maxToken) matches, but the regexp only has \(groupCount) "
                + "parenthesized subexpressions."
        }
        return nil
    }

    /// RE2::Rewrite for one match: appends the expansion to `out`. Like RE2, an invalid escape
    /// ends the expansion there (what was appended so far stays).
    static func apply(
        _ rewrite: [UInt8],
        caps: UnsafeMutablePointer<Int>,
        ncap: Int,
        text: UnsafeBufferPointer<UInt8>,
        into out: inout [UInt8]
    ) {
        var i = 0
        let n = rewrite.count
        while i < n {
            let c = rewrite[i]
            if c != backslash {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < n else { return }
            let d = rewrite[i]
            i += 1
            if isDigit(d) {
                let g = Int(d - 0x30)
                guard 2 * g + 1 < ncap else { return }
                let a = caps[2 * g]
                let b = caps[2 * g + 1]
                if a >= 0 && b >= a { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[a..<b])) }
            } else if d == backslash {
                out.append(backslash)
            } else {
                return
            }
        }
    }
}
