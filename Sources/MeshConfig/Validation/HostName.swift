/// Istio's host-name helpers (`pkg/config/host/name.go`) and DNS label rules (`pkg/config/labels`).
enum HostName {
    static func isWildcard(_ name: String) -> Bool { name.first == "*" }

    /// `Name.Matches`: symmetric and wildcard-aware; `*` matches everything.
    static func matches(_ name: String, _ other: String) -> Bool {
        switch (isWildcard(name), isWildcard(other)) {
        case (true, true):
            return name.count < other.count
                ? other.dropFirst().hasSuffix(name.dropFirst()) : name.dropFirst().hasSuffix(other.dropFirst())
        case (true, false): return other.hasSuffix(name.dropFirst())
        case (false, true): return name.hasSuffix(other.dropFirst())
        case (false, false): return name == other
        }
    }

    /// istiod's host order (`host.MoreSpecific`): exact names before wildcards, then longer before shorter,
    /// then alphabetical.
    static func sortsBefore(_ a: String, _ b: String) -> Bool {
        let (aWildcard, bWildcard) = (isWildcard(a), isWildcard(b))
        if aWildcard != bWildcard { return !aWildcard }
        if a.count != b.count { return a.count > b.count }
        return a < b
    }

    /// `Name.SubsetOf`: every name `name` matches is also matched by `other`.
    static func isSubset(_ name: String, of other: String) -> Bool {
        switch (isWildcard(name), isWildcard(other)) {
        case (true, true): return name.count >= other.count && name.dropFirst().hasSuffix(other.dropFirst())
        case (true, false): return false
        case (false, true): return name.hasSuffix(other.dropFirst())
        case (false, false): return name == other
        }
    }

    /// `labels.IsDNS1123Label`: `[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters.
    static func isDNS1123Label(_ label: some StringProtocol) -> Bool {
        let bytes = Array(label.utf8)
        guard !bytes.isEmpty, bytes.count <= 63, let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last) && bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D }
    }

    /// A wildcard label: `*`, or a DNS-1123 label optionally prefixed by `*` or `*-`.
    static func isWildcardDNS1123Label(_ label: some StringProtocol) -> Bool {
        guard label.utf8.count <= 63 else { return false }
        if label == "*" { return true }
        if label.hasPrefix("*-") { return isDNS1123Label(label.dropFirst(2)) }
        if label.hasPrefix("*") { return isDNS1123Label(label.dropFirst()) }
        return isDNS1123Label(label)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

/// Istio's domain validators (`pkg/config/validation/agent`), returning Istio's exact error texts.
enum DomainRules {
    static func checkPreconditions(_ name: String) -> String? {
        if name.utf8.count > 255 { return "domain name \(quoted(name)) too long (max 255)" }
        if name.isEmpty { return "empty domain name not allowed" }
        return nil
    }

    /// `ValidateDNS1123Labels`.
    static func dns1123Labels(_ domain: String) -> String? {
        let parts = domain.split(separator: ".", omittingEmptySubsequences: false)
        if let topLevel = parts.last, Int(topLevel) != nil {
            return
                "domain name \(quoted(domain)) invalid (top level domain \(quoted(String(topLevel))) cannot be all-numeric)"
        }
        for (index, label) in parts.enumerated() {
            // Istio allows the last part to be empty, for unambiguous names like `istio.io.`.
            if index == parts.count - 1 && label.isEmpty { return nil }
            if !HostName.isDNS1123Label(label) {
                return "domain name \(quoted(domain)) invalid (label \(quoted(String(label))) invalid)"
            }
        }
        return nil
    }

    /// `ValidateFQDN`.
    static func fqdn(_ name: String) -> String? {
        checkPreconditions(name) ?? dns1123Labels(name)
    }

    /// `ValidateWildcardDomain`: a wildcard is allowed in the first label only.
    static func wildcardDomain(_ domain: String) -> String? {
        if let problem = checkPreconditions(domain) { return problem }
        let parts = domain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let first = parts.first.map(String.init) ?? ""
        guard HostName.isWildcardDNS1123Label(first) else {
            return "domain name \(quoted(domain)) invalid (label \(quoted(first)) invalid)"
        }
        return parts.count > 1 ? dns1123Labels(String(parts[1])) : nil
    }

    /// `ValidatePartialWildCard`.
    static func partialWildcard(_ host: String) -> String? {
        host.contains("*") && host.count != 1 && !host.hasPrefix("*.")
            ? "partial wildcard \(quoted(host)) not allowed" : nil
    }

    /// `ValidateWildcardDomainForVirtualServiceBoundToGateway`: also allows `outbound_.<port>_._.<host>` SNI names.
    static func wildcardDomainForGateway(sni: Bool, _ domain: String) -> String? {
        if let problem = checkPreconditions(domain) { return problem }
        guard sni && domain.hasPrefix("outbound_") else { return wildcardDomain(domain) }
        let format = "outbound_.<PORT>_._.<HOSTNAME>"
        let parts = domain.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4 else { return "domain name \(domain) invalid, should follow '\(format)' format" }
        let port = parts[1].trimmingDots()
        let host = parts[3].trimmingDots()
        if !port.contains(where: \.isNumber) {
            return
                "domain name \(quoted(domain)) invalid (label \(quoted(port)) invalid). should follow \(format) format"
        }
        if !host.contains(where: { $0.isASCII && $0.isLetter }) {
            return
                "domain name \(quoted(domain)) invalid (label \(quoted(host)) invalid). should follow \(format) format"
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingDots() -> String {
        var slice = Substring(self)
        while slice.first == "." { slice.removeFirst() }
        while slice.last == "." { slice.removeLast() }
        return String(slice)
    }
}

/// Go's `%q` for the strings Istio quotes in its messages (ASCII escapes only; other text is kept as is).
func quoted(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
