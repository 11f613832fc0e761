/// Request methods.
///
/// With `allowCustomMethods == false` (Envoy's default) only balsa's fixed
/// list is accepted — `isMethodValid` in
/// `source/common/http/http1/balsa_parser.cc`. It is case-sensitive
/// (RFC 9110 §9.1) and spells M-SEARCH as "MSEARCH", as balsa does.
enum Methods {
    /// The known method spelled by `[s, e)`, as a String that needs no heap
    /// storage (all names fit Swift's small-string form).
    static func known(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String? {
        let n = e &- s
        guard n >= 3 else { return nil }
        @inline(__always) func m(_ lit: StaticString) -> String? {
            guard lit.utf8CodeUnitCount == n else { return nil }
            let l = lit.utf8Start
            var i = 1  // first byte already matched by the switch
            while i < n {
                if p[s &+ i] != l[i] { return nil }
                i &+= 1
            }
            return lit.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        }
        switch p[s] {
        case UInt8(ascii: "G"): return m("GET")
        case UInt8(ascii: "P"):
            return m("POST") ?? m("PUT") ?? m("PATCH") ?? m("PURGE") ?? m("PROPFIND") ?? m("PROPPATCH")
        case UInt8(ascii: "H"): return m("HEAD")
        case UInt8(ascii: "D"): return m("DELETE")
        case UInt8(ascii: "O"): return m("OPTIONS")
        case UInt8(ascii: "C"): return m("CONNECT") ?? m("COPY") ?? m("CHECKOUT")
        case UInt8(ascii: "T"): return m("TRACE")
        case UInt8(ascii: "A"): return m("ACL")
        case UInt8(ascii: "B"): return m("BIND")
        case UInt8(ascii: "L"): return m("LINK") ?? m("LOCK")
        case UInt8(ascii: "M"):
            return m("MERGE") ?? m("MKACTIVITY") ?? m("MKCALENDAR") ?? m("MKCOL") ?? m("MOVE") ?? m("MSEARCH")
        case UInt8(ascii: "N"): return m("NOTIFY")
        case UInt8(ascii: "R"): return m("REBIND") ?? m("REPORT")
        case UInt8(ascii: "S"): return m("SEARCH") ?? m("SOURCE") ?? m("SUBSCRIBE")
        case UInt8(ascii: "U"): return m("UNBIND") ?? m("UNLINK") ?? m("UNLOCK") ?? m("UNSUBSCRIBE")
        default: return nil
        }
    }

    static let all: [StaticString] = [
        "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK",
        "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "MSEARCH", "NOTIFY", "OPTIONS",
        "PATCH", "POST", "PROPFIND", "PROPPATCH", "PURGE", "PUT", "REBIND", "REPORT", "SEARCH",
        "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE",
    ]

    /// Whether `[s, e)` can still grow into a known method. Used when a read
    /// ends inside the method, so garbage (a TLS ClientHello on a plain port)
    /// is refused on its first bytes rather than after 60 KiB.
    static func isKnownPrefix(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let n = e &- s
        for lit in all where lit.utf8CodeUnitCount >= n {
            let l = lit.utf8Start
            var i = 0
            while i < n, p[s &+ i] == l[i] { i &+= 1 }
            if i == n { return true }
        }
        return false
    }

    /// Method names as the analysis and the framer compare them.
    static func isHEAD(_ m: String) -> Bool { equals(m, "HEAD") }
    static func isCONNECT(_ m: String) -> Bool { equals(m, "CONNECT") }
    static func isOPTIONS(_ m: String) -> Bool { equals(m, "OPTIONS") }

    /// Byte comparison that rejects on length first (String == is a
    /// general Unicode comparison, needlessly slow on this path).
    @inline(__always)
    static func equals(_ m: String, _ lit: StaticString) -> Bool {
        let u = m.utf8
        guard u.count == lit.utf8CodeUnitCount else { return false }
        let l = lit.utf8Start
        var i = 0
        for c in u {
            if c != l[i] { return false }
            i &+= 1
        }
        return true
    }
}
