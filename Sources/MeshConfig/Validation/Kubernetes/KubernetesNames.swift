import InternetAddress

/// Kubernetes' name and value formats with the API server's messages (`k8s.io/apimachinery`
/// `pkg/util/validation` and `pkg/api/validate/content`, v0.35, the release Istio 1.30 is built against).
///
/// Two spellings of the length message coexist there: the DNS checks of `util/validation` say "characters",
/// the label checks of `content` say "bytes"; each function keeps its own.
enum KubernetesNames {
    private static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    private static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    private static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    private static let labelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    private static let labelValueFormat = "(" + labelKeyFormat + ")?"
    private static let labelKeyMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
        + "character"

    /// `RegexError`.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        guard !examples.isEmpty else { return message + " (regex used for validation is '\(format)')" }
        // Each example ends in "', " and the next starts after " or ", hence Kubernetes' double space.
        return message + " (e.g. " + examples.map { "'\($0)', " }.joined(separator: " or ")
            + "regex used for validation is '\(format)')"
    }

    private static func maximumLength(_ length: Int, unit: String = "characters") -> String {
        "must be no more than \(length) \(unit)"
    }

    // MARK: Character classes

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (0x41...0x5A).contains(byte)
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func matchesDNS1123Label(_ value: some StringProtocol) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func matchesDNS1123Subdomain(_ value: String) -> Bool {
        !value.isEmpty && value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(matchesDNS1123Label)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    private static func matchesLabelKeyName(_ value: some StringProtocol) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    // MARK: Checks

    /// `IsDNS1123Label`.
    static func dns1123Label(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append(maximumLength(63)) }
        if !matchesDNS1123Label(value) {
            if matchesDNS1123Subdomain(value) {
                problems.append("must not contain dots")
            } else {
                problems.append(
                    regexError(
                        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
                            + "must start and end with an alphanumeric character",
                        dns1123LabelFormat,
                        ["my-name", "123-abc"]
                    )
                )
            }
        }
        return problems
    }

    /// `IsDNS1123Subdomain` (`unit` "bytes" for the `content` package's copy, used for label-key prefixes).
    static func dns1123Subdomain(_ value: String, unit: String = "characters") -> [String] {
        var problems: [String] = []
        if value.utf8.count > 253 { problems.append(maximumLength(253, unit: unit)) }
        if !matchesDNS1123Subdomain(value) {
            problems.append(
                regexError(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                        + "and must start and end with an alphanumeric character",
                    dns1123SubdomainFormat,
                    ["example.com"]
                )
            )
        }
        return problems
    }

    /// `IsDNS1035Label` (Service names).
    static func dns1035Label(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append(maximumLength(63)) }
        let bytes = Array(value.utf8)
        let matches =
            bytes.first.map { (0x61...0x7A).contains($0) } == true && matchesDNS1123Label(value)
        if !matches {
            problems.append(
                regexError(
                    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                        + "alphabetic character, and end with an alphanumeric character",
                    dns1035LabelFormat,
                    ["my-name", "abc-123"]
                )
            )
        }
        return problems
    }

    /// `IsValidPortNum`.
    static func portNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// `IsValidPortName` (a named `targetPort`).
    static func portName(_ name: String) -> [String] {
        var problems: [String] = []
        let bytes = Array(name.utf8)
        if bytes.count > 15 { problems.append(maximumLength(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
            problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: { (0x61...0x7A).contains($0) }) {
            problems.append("must contain at least one letter (a-z)")
        }
        if name.contains("--") { problems.append("must not contain consecutive hyphens") }
        if let first = bytes.first, let last = bytes.last, first == UInt8(ascii: "-") || last == UInt8(ascii: "-") {
            problems.append("must not begin or end with a hyphen")
        }
        return problems
    }

    /// `IsQualifiedName` / `content.IsLabelKey` (label keys, annotation keys, `appProtocol`).
    static func qualifiedName(_ value: String) -> [String] {
        var problems: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = String(parts[0])
            name = parts[1]
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else {
                problems += dns1123Subdomain(prefix, unit: "bytes").map { "prefix part " + $0 }
            }
        default:
            return [
                "a valid label key " + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            problems.append("name part " + maximumLength(63, unit: "bytes"))
        }
        if !matchesLabelKeyName(name) {
            problems.append(
                "name part " + regexError(labelKeyMessage, labelKeyFormat, ["MyName", "my.name", "123-abc"])
            )
        }
        return problems
    }

    /// `IsValidLabelValue`.
    static func labelValue(_ value: String) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 63 { problems.append(maximumLength(63, unit: "bytes")) }
        if !value.isEmpty && !matchesLabelKeyName(value) {
            problems.append(
                regexError(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character",
                    labelValueFormat,
                    ["MyValue", "my_value", "12345"]
                )
            )
        }
        return problems
    }

    /// `IsValidIP`, as `netutils.ParseIPSloppy` reads an address.
    static func ipAddress(_ value: String) -> [String] {
        IPLiteral.parse(value) == nil ? ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"] : []
    }

    // MARK: Field lists

    /// `ValidateLabels`: each key and value, keys sorted (Go's map order is random).
    static func labels(_ labels: [String: String], at path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            errors += qualifiedName(key).map { .invalid(path, .string(key), $0) }
            errors += labelValue(value).map { .invalid(path, .string(value), $0) }
        }
        return errors
    }

    /// `ValidateAnnotations` (keys only: the 256 KiB total is far beyond what FrontProxy reads).
    static func annotations(_ annotations: [String: String], at path: String) -> [FieldError] {
        annotations.keys.sorted().flatMap { key in
            qualifiedName(key.asciiLowercased()).map { FieldError.invalid(path, .string(key), $0) }
        }
    }
}
