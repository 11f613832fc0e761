import RE2Regex

/// One HTTP request as routing sees it: what Envoy's router reads from the request headers.
public struct HTTPRouteRequest: Sendable, Hashable {
    /// `:method`.
    public var method: String
    /// `:scheme` (and `x-forwarded-proto` at a plain-text gateway port: `http`).
    public var scheme: String
    /// `:authority` (the Host header), as received: port and case included.
    public var authority: String
    /// `:path`, with its query string.
    public var path: String
    /// Other headers, names lower-cased, in the order received.
    public var headers: [(name: String, value: String)]

    public init(
        method: String = "GET",
        scheme: String = "http",
        authority: String,
        path: String = "/",
        headers: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.headers = headers.map { ($0.name.asciiLowercased(), $0.value) }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.scheme == rhs.scheme && lhs.authority == rhs.authority && lhs.path == rhs.path
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(authority)
        hasher.combine(path)
    }

    /// The path without `?query` and `#fragment`: what path matchers see.
    public var pathWithoutQuery: Substring {
        let end = path.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? path.endIndex
        return path[..<end]
    }

    /// The query string after `?` (without a fragment), or "".
    var query: Substring {
        guard let mark = path.utf8.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        let rest = path[path.index(after: mark)...]
        return rest.utf8.firstIndex(of: UInt8(ascii: "#")).map { rest[..<$0] } ?? rest
    }

    /// A header's value as Envoy's header matchers read it: every value of the name joined with `,`;
    /// the pseudo-headers come from the request line.
    public func headerValue(_ name: String) -> String? {
        switch name {
        case ":method": return method
        case ":scheme": return scheme
        case ":authority", "host": return authority
        case ":path": return path
        default:
            var joined: String?
            for header in headers where header.name == name {
                joined = joined.map { $0 + "," + header.value } ?? header.value
            }
            return joined
        }
    }

    /// `QueryParamsMulti::parseQueryString` then `getFirstValue`: no percent-decoding; a key without `=` has
    /// the value "".
    func firstQueryValue(_ name: String) -> Substring? {
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: "=") {
                if piece[..<equals] == name { return piece[piece.index(after: equals)...] }
            } else if piece == name {
                return ""
            }
        }
        return nil
    }
}

/// The Host header as Envoy reads it.
enum HostHeader {
    /// `HeaderUtility::getPortStart`: the last `:` outside an IPv6 literal's brackets (the port is not checked
    /// to be numeric).
    static func portStart<S: StringProtocol>(in host: S) -> S.Index? {
        guard let colon = host.lastIndex(of: ":"), !host[host.index(after: colon)...].contains("]") else { return nil }
        return colon
    }
}

/// A compiled `StringMatch`: exact, prefix, or an RE2 regex matched against the whole value (Envoy's
/// `safe_regex` is a full match).
public struct StringMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case exact(String)
        case prefix(String)
        case regex(RE2Regex)
    }

    public var kind: Kind
    /// ASCII case-insensitive comparison for exact and prefix (`ignoreUriCase`); regexes ignore it, as in
    /// Envoy.
    public var ignoreCase: Bool

    public init(kind: Kind, ignoreCase: Bool = false) {
        self.kind = kind
        self.ignoreCase = ignoreCase
    }

    /// Compiles a validated `StringMatch`; nil when its regex does not compile (validation reports that).
    init?(_ match: VirtualService.StringMatch, ignoreCase: Bool = false) {
        switch match {
        case .exact(let value): kind = .exact(value)
        case .prefix(let value): kind = .prefix(value)
        case .regex(let pattern):
            guard let regex = try? RE2Regex(pattern) else { return nil }
            kind = .regex(regex)
        }
        self.ignoreCase = ignoreCase
    }

    public func matches(_ value: Substring) -> Bool {
        switch kind {
        case .exact(let expected):
            guard ignoreCase else { return value == expected[...] }
            return value.utf8.count == expected.utf8.count && Self.equalsIgnoringCase(value.utf8, expected.utf8)
        case .prefix(let prefix):
            guard value.utf8.count >= prefix.utf8.count else { return false }
            guard ignoreCase else { return value.utf8.starts(with: prefix.utf8) }
            return Self.equalsIgnoringCase(value.utf8.prefix(prefix.utf8.count), prefix.utf8)
        case .regex(let regex):
            return regex.fullMatch(value)
        }
    }

    /// How much of `value` a prefix or exact matcher consumed (what `prefix_rewrite` replaces).
    func matchedLength(of value: Substring) -> Int {
        switch kind {
        case .exact, .regex: value.utf8.count
        case .prefix(let prefix): prefix.utf8.count
        }
    }

    var isCatchAllPath: Bool {
        switch kind {
        case .prefix(let prefix): prefix == "/"
        case .regex(let regex): regex.pattern == ".*"
        case .exact: false
        }
    }

    public var description: String {
        let text: String
        switch kind {
        case .exact(let value): text = "exact \(quoted(value))"
        case .prefix(let value): text = "prefix \(quoted(value))"
        case .regex(let regex): text = "regex \(quoted(regex.pattern))"
        }
        return ignoreCase ? text + " (ignoring case)" : text
    }

    /// `absl::EqualsIgnoreCase`: ASCII letters only.
    private static func equalsIgnoringCase(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool {
        a.elementsEqual(b) { x, y in
            x == y || ((x | 0x20) == (y | 0x20) && (0x61...0x7A).contains(x | 0x20))
        }
    }
}

/// Envoy's `HeaderMatcher` as Istio builds it from `headers`, `withoutHeaders`, `method`, `authority` and
/// `scheme`: a name, a value matcher (nil: "present"), and whether the result is inverted.
public struct HeaderMatcher: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: StringMatcher?
    public var invert: Bool
    /// A missing header is matched as "" (Istio sets it for `withoutHeaders` with a value).
    public var treatMissingAsEmpty: Bool

    public func matches(_ request: HTTPRouteRequest) -> Bool {
        let found = request.headerValue(name)
        guard found != nil || treatMissingAsEmpty else {
            // Missing: only a present-matcher can decide; inverted, absence is what it asks for.
            return value == nil ? invert : false
        }
        let matched = value.map { $0.matches((found ?? "")[...]) } ?? true
        return matched != invert
    }

    public var description: String {
        let condition = value.map { "\($0)" } ?? "present"
        return invert ? "\(name) not \(condition)" : "\(name) \(condition)"
    }
}

/// Envoy's `QueryParameterMatcher`: the first value of a parameter (nil matcher: "present").
public struct QueryParameterMatcher: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: StringMatcher?

    public func matches(_ request: HTTPRouteRequest) -> Bool {
        guard let found = request.firstQueryValue(name) else { return false }
        return value?.matches(found) ?? true
    }

    public var description: String { "?\(name) \(value.map { "\($0)" } ?? "present")" }
}

/// Every condition of one Envoy route: headers, then query parameters, then the path, as Envoy checks them.
public struct RequestMatcher: Sendable, Hashable, CustomStringConvertible {
    public var path: StringMatcher
    public var headers: [HeaderMatcher]
    public var queryParameters: [QueryParameterMatcher]

    public func matches(_ request: HTTPRouteRequest) -> Bool {
        headers.allSatisfy { $0.matches(request) } && queryParameters.allSatisfy { $0.matches(request) }
            && path.matches(request.pathWithoutQuery)
    }

    /// Istio's `IsCatchAllRoute`: prefix `/` (or regex `.*`) with no header or query conditions.
    public var isCatchAll: Bool { path.isCatchAllPath && headers.isEmpty && queryParameters.isEmpty }

    public var description: String {
        (["path \(path)"] + headers.map(\.description) + queryParameters.map(\.description)).joined(separator: ", ")
    }
}
