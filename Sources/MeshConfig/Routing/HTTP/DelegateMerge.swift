/// How istiod merges a root VirtualService's `http` rule that delegates with one rule of the delegate
/// (`mergeHTTPRoutes`, `mergeHTTPMatchRequests`, `hasConflict` in pilot/pkg/model/virtualservice.go).
enum DelegateMerge {
    typealias HTTPMatch = VirtualService.HTTPMatch
    typealias StringMatch = VirtualService.StringMatch

    /// The delegate's rule narrowed by the root's matches, with the root's policies where the delegate sets
    /// none; nil when some delegate match is compatible with no root match (istiod drops the rule).
    static func merge(root: VirtualService.HTTPRoute, delegate: VirtualService.HTTPRoute) -> VirtualService.HTTPRoute? {
        guard let matches = mergeMatches(root: root.match, delegate: delegate.match) else { return nil }
        var merged = delegate
        merged.match = matches
        if !root.name.isEmpty && !delegate.name.isEmpty {
            merged.name = "\(root.name)-\(delegate.name)"
        } else if delegate.name.isEmpty {
            merged.name = root.name
        }
        merged.rewrite = delegate.rewrite ?? root.rewrite
        merged.directResponse = delegate.directResponse ?? root.directResponse
        merged.timeout = delegate.timeout ?? root.timeout
        merged.retries = delegate.retries ?? root.retries
        merged.fault = delegate.fault ?? root.fault
        merged.mirror = delegate.mirror ?? root.mirror
        merged.mirrorPercent = delegate.mirrorPercent ?? root.mirrorPercent
        merged.mirrorPercentage = delegate.mirrorPercentage ?? root.mirrorPercentage
        merged.mirrors = delegate.mirrors.isEmpty ? root.mirrors : delegate.mirrors
        merged.corsPolicy = delegate.corsPolicy ?? root.corsPolicy
        merged.headers = delegate.headers ?? root.headers
        merged.delegate = nil
        return merged
    }

    /// The cross product of compatible (root, delegate) match pairs, each merged.
    static func mergeMatches(root: [HTTPMatch], delegate: [HTTPMatch]) -> [HTTPMatch]? {
        if root.isEmpty { return delegate }
        if delegate.isEmpty { return root }
        var merged: [HTTPMatch] = []
        for leaf in delegate {
            let compatible = root.filter { !hasConflict(root: $0, leaf: leaf) }
            guard !compatible.isEmpty else { return nil }
            merged += compatible.map { mergeMatch(root: $0, leaf: leaf) }
        }
        return merged
    }

    /// `mergeHTTPMatchRequest`: the delegate's conditions win, the root's fill in.
    static func mergeMatch(root: HTTPMatch, leaf: HTTPMatch) -> HTTPMatch {
        var out = leaf
        if !root.name.isEmpty && !leaf.name.isEmpty {
            out.name = "\(root.name)-\(leaf.name)"
        } else if leaf.name.isEmpty {
            out.name = root.name
        }
        out.uri = leaf.uri ?? root.uri
        out.scheme = leaf.scheme ?? root.scheme
        out.method = leaf.method ?? root.method
        out.authority = leaf.authority ?? root.authority
        out.headers = mergeKeyed(root.headers, leaf.headers)
        out.withoutHeaders = mergeKeyed(root.withoutHeaders, leaf.withoutHeaders)
        out.queryParams = mergeKeyed(root.queryParams, leaf.queryParams)
        if out.port == 0 { out.port = root.port }
        out.sourceLabels = root.sourceLabels.merging(leaf.sourceLabels) { _, leafValue in leafValue }
        if out.sourceNamespace.isEmpty { out.sourceNamespace = root.sourceNamespace }
        if out.gateways.isEmpty { out.gateways = root.gateways }
        if out.statPrefix.isEmpty { out.statPrefix = root.statPrefix }
        return out
    }

    private static func mergeKeyed(
        _ root: [VirtualService.KeyMatch],
        _ leaf: [VirtualService.KeyMatch]
    ) -> [VirtualService.KeyMatch] {
        var byKey: [String: VirtualService.KeyMatch] = [:]
        for match in root + leaf { byKey[match.key] = match }
        return byKey.values.sorted { $0.key < $1.key }
    }

    /// `hasConflict`: the delegate's match asks for something the root's excludes.
    static func hasConflict(root: HTTPMatch, leaf: HTTPMatch) -> Bool {
        if stringConflict(root.uri, leaf.uri) || stringConflict(root.scheme, leaf.scheme)
            || stringConflict(root.method, leaf.method) || stringConflict(root.authority, leaf.authority)
        {
            return true
        }
        for (rootSide, leafSide) in [
            (root.headers, leaf.headers), (root.withoutHeaders, leaf.withoutHeaders),
            (root.queryParams, leaf.queryParams),
        ] {
            for condition in leafSide {
                if let rootCondition = rootSide.first(where: { $0.key == condition.key }),
                    stringConflict(rootCondition.value, condition.value)
                {
                    return true
                }
            }
        }
        if root.ignoreUriCase != leaf.ignoreUriCase { return true }
        if root.port > 0 && leaf.port > 0 && root.port != leaf.port { return true }
        if !root.sourceNamespace.isEmpty && leaf.sourceNamespace != root.sourceNamespace { return true }
        for (key, value) in leaf.sourceLabels where root.sourceLabels[key].map({ $0 != value }) ?? false {
            return true
        }
        if !Set(leaf.gateways).isSubset(of: Set(root.gateways)) && !root.gateways.isEmpty { return true }
        return false
    }

    /// `stringMatchConflict`: a leaf may narrow a root's exact or prefix match, never widen or contradict it.
    static func stringConflict(_ root: StringMatch?, _ leaf: StringMatch?) -> Bool {
        guard let root, let leaf else { return false }
        if case .regex = root { return true }
        if case .regex = leaf { return true }
        switch root {
        case .exact(let value):
            return leaf != .exact(value)
        case .prefix(let prefix):
            switch leaf {
            case .prefix(let value), .exact(let value): return !value.hasPrefix(prefix)
            case .regex: return true
            }
        case .regex:
            return true
        }
    }
}
