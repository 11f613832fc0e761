/// Envoy's filter-chain lookup by server name, precomputed: exact names and `*.suffix` wildcards in one
/// dictionary (a wildcard is stored as its `.suffix`), then the catch-all.
///
/// A lookup costs one dictionary probe for the exact name and one per label after the first, as in Envoy's
/// `findFilterChainForServerName`: `www.example.com` tries `www.example.com`, `.example.com`, `.com`.
struct ServerNameIndex: Sendable, Hashable {
    private var names: [String: Int] = [:]
    private var catchAll: Int?

    init(chains: [FilterChainPlan]) {
        for (index, chain) in chains.enumerated() {
            if chain.isCatchAll {
                catchAll = catchAll ?? index
            }
            for name in chain.serverNames {
                let key = name.hasPrefix("*.") ? String(name.dropFirst()) : name
                if names[key] == nil { names[key] = index }
            }
        }
    }

    /// The index of the chain for a server name (lower-cased here; nil or empty means no SNI).
    func chainIndex(forServerName serverName: String?) -> Int? {
        guard let serverName, !serverName.isEmpty else { return catchAll }
        let name = serverName.asciiLowercased()
        if let exact = names[name] { return exact }
        // Wildcards from most to least specific: from each "." after the first character, stopping before the
        // last character (so a trailing dot never matches a configured suffix).
        let utf8 = name.utf8
        var position = utf8.index(after: utf8.startIndex)
        let end = utf8.index(before: utf8.endIndex)
        while position < end {
            if utf8[position] == UInt8(ascii: "."), let wildcard = names[String(name[position...])] {
                return wildcard
            }
            position = utf8.index(after: position)
        }
        return catchAll
    }
}

extension String {
    /// ASCII-only lower-casing, as Envoy's `absl::AsciiStrToLower` (other bytes are left alone).
    public func asciiLowercased() -> String {
        guard utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return self }
        return String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
