/// Kubernetes label key/value checks as Istio applies them (`labels.Instance.Validate`).
enum LabelRules {
    static func validate(_ labels: [String: String]) -> [String] {
        var problems: [String] = []
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            if !isValidKey(key) { problems.append("invalid tag key: \(quoted(key))") }
            if !isValidValue(value) { problems.append("invalid tag value: \(quoted(value))") }
        }
        return problems
    }

    private static func isValidKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let prefix = parts[0]
            guard !prefix.isEmpty, prefix.utf8.count <= 253,
                prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({
                    HostName.isDNS1123Label($0) && $0 == $0.lowercased()
                })
            else { return false }
        }
        return isQualifiedName(parts[parts.count - 1])
    }

    /// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
    private static func isQualifiedName(_ name: Substring) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        return isNameBody(name)
    }

    private static func isValidValue(_ value: String) -> Bool {
        value.isEmpty || (value.utf8.count <= 63 && isNameBody(Substring(value)))
    }

    private static func isNameBody(_ name: Substring) -> Bool {
        guard let first = name.first, let last = name.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return name.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func isAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }
}

/// `validateExportTo` with Istio's messages.
enum ExportToRules {
    static func validate(_ exportTo: [String], namespace: String, isServiceEntry: Bool) -> [String] {
        guard !exportTo.isEmpty else { return [] }
        var problems: [String] = []
        var seen: Set<String> = []
        for entry in exportTo {
            let key = entry == "." ? namespace : entry
            if seen.contains(key) {
                problems.append(
                    key != entry
                        ? "duplicate entries in exportTo: . and current namespace \(namespace)"
                        : "duplicate entries in exportTo for entry \(entry)"
                )
            } else if isServiceEntry && entry == "~" {
                seen.insert(key)
            } else if let problem = visibilityProblem(key) {
                problems.append(problem)
            } else {
                seen.insert(key)
            }
        }
        if seen.contains("*") && exportTo.count > 1 {
            problems.append("cannot have both public (*) and non-public exportTo values for a resource")
        }
        if seen.contains("~") && exportTo.count > 1 {
            problems.append("cannot export service entry to no one (~) and someone")
        }
        return problems
    }

    private static func visibilityProblem(_ value: String) -> String? {
        switch value {
        case ".", "*": return nil
        case "~": return "exportTo ~ (none) is not allowed for Istio configuration objects"
        default:
            return HostName.isDNS1123Label(value)
                ? nil : "only ., *, or a valid DNS 1123 label is allowed as exportTo entry"
        }
    }

    /// Whether a resource with this `exportTo` in `namespace` is visible from `viewer`.
    static func isVisible(_ exportTo: [String], from namespace: String, to viewer: String) -> Bool {
        exportTo.isEmpty || exportTo.contains("*") || exportTo.contains(viewer)
            || (exportTo.contains(".") && namespace == viewer)
    }
}
