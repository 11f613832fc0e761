import RE2Regex

/// Istio's validation of a VirtualService `http` rule (`validateHTTPRoute` and what it calls, in
/// pkg/config/validation), with Istio's texts; each finding also names the field it is about.
extension IstioValidation {
    typealias HTTPRoute = VirtualService.HTTPRoute

    /// `validateHTTPRoute`; `delegate` is true for a rule of a delegate VirtualService (one without hosts).
    static func validate(_ route: HTTPRoute, delegate: Bool, at path: String) -> Findings {
        var findings = Findings()
        findings.append(conflicts(route, delegate: delegate, at: path))
        for (index, match) in route.match.enumerated() {
            findings.append(validate(match, at: path + ".match[\(index)]"))
        }
        if let headers = route.headers { findings.append(headerOperations(headers, at: path + ".headers")) }
        if let cors = route.corsPolicy { findings.append(validate(cors, at: path + ".corsPolicy")) }
        if let fault = route.fault { findings.append(validate(fault, at: path + ".fault")) }
        if let percent = route.mirrorPercent {
            if percent > 100 {
                findings.error(
                    "mirror_percent must have a max value of 100 (it has \(percent))",
                    at: path + ".mirrorPercent"
                )
            }
            findings.warning(
                "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead",
                at: path + ".mirrorPercent"
            )
        }
        if let percentage = route.mirrorPercentage {
            if percentage.value > 100 {
                findings.error(
                    "mirror_percentage must have a max value of 100 (it has \(GoFormat.fixed(percentage.value)))",
                    at: path + ".mirrorPercentage"
                )
            } else if percentage.value < 0 {
                findings.error(
                    "mirror_percentage must have a min value of 0 (it has \(GoFormat.fixed(percentage.value)))",
                    at: path + ".mirrorPercentage"
                )
            }
        }
        if let mirror = route.mirror { findings.append(destination(mirror, at: path + ".mirror")) }
        for (index, mirror) in route.mirrors.enumerated() {
            let mirrorPath = path + ".mirrors[\(index)]"
            guard let target = mirror.destination else {
                findings.error("destination is required for mirrors", at: mirrorPath)
                continue
            }
            findings.append(destination(target, at: mirrorPath + ".destination"))
            if let percentage = mirror.percentage {
                if percentage.value > 100 {
                    findings.error(
                        "mirror percentage must have a max value of 100 (it has \(GoFormat.fixed(percentage.value)))",
                        at: mirrorPath + ".percentage"
                    )
                } else if percentage.value < 0 {
                    findings.error(
                        "mirror percentage must have a min value of 0 (it has \(GoFormat.fixed(percentage.value)))",
                        at: mirrorPath + ".percentage"
                    )
                }
            }
        }
        if let redirect = route.redirect {
            findings.error(redirectProblem(redirect, matches: route.match), at: path + ".redirect")
        }
        if let response = route.directResponse { findings.append(validate(response, at: path + ".directResponse")) }
        if let retries = route.retries { findings.append(validate(retries, at: path + ".retries")) }
        if let rewrite = route.rewrite { findings.error(rewriteProblem(rewrite), at: path + ".rewrite") }
        findings.error(authorityRewriteProblem(route.rewrite, route.headers), at: path)
        findings.append(httpRouteDestinations(route.route, at: path + ".route"))
        if let timeout = route.timeout { findings.error(durationProblem(timeout), at: path + ".timeout") }
        return findings
    }

    /// `validateHTTPRouteConflict`: what a rule does is one of route, redirect and direct response, or a
    /// delegation (only one level deep).
    private static func conflicts(_ route: HTTPRoute, delegate: Bool, at path: String) -> Findings {
        var findings = Findings()
        if !delegate && route.delegate != nil {
            if route.redirect != nil {
                findings.error("root HTTP route \(route.name) must not specify redirect", at: path + ".redirect")
            }
            if !route.route.isEmpty {
                findings.error("root HTTP route \(route.name) must not specify route", at: path + ".route")
            }
            return findings
        }
        if delegate && route.delegate != nil {
            findings.error("delegate HTTP route cannot contain delegate", at: path + ".delegate")
        }
        if route.redirect != nil {
            if !route.route.isEmpty { findings.error("HTTP route cannot contain both route and redirect", at: path) }
            if route.fault != nil { findings.error("HTTP route cannot contain both fault and redirect", at: path) }
            if route.rewrite != nil {
                findings.error("HTTP route rule cannot contain both rewrite and redirect", at: path)
            }
            if route.directResponse != nil {
                findings.error("HTTP route rule cannot contain both direct_response and redirect", at: path)
            }
        } else if route.directResponse != nil {
            if !route.route.isEmpty {
                findings.error("HTTP route cannot contain both route and direct_response", at: path)
            }
            if route.fault != nil {
                findings.error("HTTP route cannot contain both fault and direct_response", at: path)
            }
            if route.rewrite != nil {
                findings.error("HTTP route rule cannot contain both rewrite and direct_response", at: path)
            }
        } else if route.route.isEmpty {
            findings.error("HTTP route, redirect or direct_response is required", at: path)
        }
        if route.mirror != nil && !route.mirrors.isEmpty {
            findings.error("HTTP route cannot contain both mirror and mirrors", at: path)
        }
        return findings
    }

    // MARK: Matches

    /// `validateHTTPRouteMatchRequest` for one match.
    private static func validate(_ match: VirtualService.HTTPMatch, at path: String) -> Findings {
        var findings = Findings()
        for header in match.headers {
            let headerPath = path + ".headers." + header.key
            findings.error(headerNameOrClaimProblem(header.key), at: headerPath)
            if let value = header.value { findings.error(stringMatchProblem(value, "headers"), at: headerPath) }
        }
        for header in match.withoutHeaders {
            let headerPath = path + ".withoutHeaders." + header.key
            findings.error(headerNameOrClaimProblem(header.key), at: headerPath)
            // `regex: "*"` is Istio's spelling of "the header is present".
            if let value = header.value, value != .regex("*") {
                findings.error(stringMatchProblem(value, "withoutHeaders"), at: headerPath)
            }
        }
        if let uri = match.uri { findings.error(regexMatchProblem(uri, "uri"), at: path + ".uri") }
        for (field, value) in [("scheme", match.scheme), ("method", match.method), ("authority", match.authority)] {
            if let value { findings.error(stringMatchProblem(value, field), at: path + "." + field) }
        }
        for parameter in match.queryParams {
            if let value = parameter.value {
                findings.error(stringMatchProblem(value, "queryParams"), at: path + ".queryParams." + parameter.key)
            }
        }
        if match.port != 0 { findings.error(portRange(match.port), at: path + ".port") }
        for problem in LabelRules.validate(match.sourceLabels) { findings.error(problem, at: path + ".sourceLabels") }
        // Istio drops the legacy-name warning of a match's gateways (appendErrors keeps errors only).
        findings.append(gatewayNames(match.gateways, at: path + ".gateways").errorsOnly)
        if !match.sourceNamespace.isEmpty && !HostName.isDNS1123Label(match.sourceNamespace) {
            findings.error("sourceNamespace match \(match.sourceNamespace) is invalid", at: path + ".sourceNamespace")
        }
        return findings
    }

    /// `validateStringMatch`: an empty prefix matches everything, so Istio refuses it; regexes must compile.
    static func stringMatchProblem(_ match: VirtualService.StringMatch, _ field: String) -> String? {
        if case .prefix("") = match { return "\(quoted(field)): prefix string match should not be empty" }
        return regexMatchProblem(match, field)
    }

    /// `validateStringMatchRegexp`.
    static func regexMatchProblem(_ match: VirtualService.StringMatch, _ field: String) -> String? {
        guard case .regex(let pattern) = match else { return nil }
        if pattern.isEmpty { return "\(quoted(field)): regex string match should not be empty" }
        return regexProblem(pattern, field)
    }

    /// `validateStringRegexp`: RE2 syntax (Go's regexp package), at most 1024 bytes as Envoy's program-size
    /// limit is approximated by Istio.
    static func regexProblem(_ pattern: String, _ field: String) -> String? {
        if pattern.utf8.count > 1024 { return "\(quoted(field)): regex is too large, max length allowed is 1024" }
        do {
            _ = try RE2Regex(pattern)
            return nil
        } catch {
            return "\(quoted(field)): \(error); Istio uses RE2 style regex-based match "
                + "(https://github.com/google/re2/wiki/Syntax)"
        }
    }

    /// `ValidateHTTPHeaderNameOrJwtClaimRoute`.
    private static func headerNameOrClaimProblem(_ name: String) -> String? {
        if name.isEmpty { return "header name cannot be empty" }
        if HeaderRules.isJWTClaim(name) { return nil }
        if [":method", ":scheme", ":authority", ":path", ":status"].contains(name) { return nil }
        return HeaderRules.isToken(name) ? nil : "header name \(name) is not a valid header name"
    }

    // MARK: Destinations

    /// `validateHTTPRouteDestinations`.
    private static func httpRouteDestinations(
        _ routes: [VirtualService.RouteDestination],
        at path: String
    ) -> Findings {
        var findings = Findings()
        var totalWeight = 0
        for (index, route) in routes.enumerated() {
            let routePath = path + "[\(index)]"
            guard let target = route.destination else {
                findings.error("destination is required", at: routePath)
                continue
            }
            if let headers = route.headers { findings.append(headerOperations(headers, at: routePath + ".headers")) }
            findings.append(destination(target, at: routePath + ".destination"))
            if route.weight < 0 { findings.error("weight \(route.weight) < 0", at: routePath + ".weight") }
            totalWeight += route.weight
        }
        if routes.count > 1 && totalWeight == 0 { findings.error("total destination weight = 0", at: path) }
        return findings
    }

    // MARK: Actions

    /// `validateHTTPRedirect`: the first problem only, as Istio reports it.
    private static func redirectProblem(
        _ redirect: VirtualService.HTTPRedirect,
        matches: [VirtualService.HTTPMatch]
    ) -> String? {
        if !redirect.uri.isEmpty && !redirect.prefixRewrite.isEmpty {
            return "redirect may only specify one of uri or prefix_rewrite"
        }
        if !redirect.prefixRewrite.isEmpty {
            for match in matches {
                if let uri = match.uri, case .prefix = uri { continue }
                if match.uri == nil { continue }
                return "redirect prefix_rewrite requires all URI matches to use prefix match type"
            }
        }
        if redirect.uri.isEmpty && redirect.prefixRewrite.isEmpty && redirect.authority.isEmpty
            && redirect.scheme.isEmpty && redirect.port == nil
        {
            return "redirect must specify URI, authority, scheme, or port"
        }
        if redirect.redirectCode != 0 && !(300...399).contains(redirect.redirectCode) {
            return "\(redirect.redirectCode) is not a valid redirect code, must be 3xx"
        }
        if !["", "http", "https"].contains(redirect.scheme) {
            return "invalid redirect scheme, must be \"http\" or \"https\""
        }
        if case .number(let port) = redirect.port, port > 0 { return portRange(port) }
        return nil
    }

    /// `validateHTTPDirectResponse`: a body up to 100 KiB is fine, up to 1 MiB a warning, more an error.
    private static func validate(_ response: VirtualService.HTTPDirectResponse, at path: String) -> Findings {
        var findings = Findings()
        let size: Int
        switch response.body {
        case .string(let text): size = text.utf8.count
        case .bytes(let bytes): size = bytes.count
        case nil: size = 0
        }
        if size > 1 << 20 {
            findings.error(
                "large direct_responses may impact control plane performance, must be less than 1MB",
                at: path + ".body"
            )
        } else if size > 100 << 10 {
            findings.warning("large direct_responses may impact control plane performance", at: path + ".body")
        }
        findings.error(httpStatusProblem(response.status), at: path + ".status")
        return findings
    }

    /// `validateHTTPStatus` (600 passes, as in Istio, whatever its message says).
    private static func httpStatusProblem(_ status: Int) -> String? {
        (200...600).contains(status) ? nil : "HTTP status \(status) is not in range 200-599"
    }

    /// `validateHTTPRewrite`: the first problem only.
    private static func rewriteProblem(_ rewrite: VirtualService.HTTPRewrite) -> String? {
        if !rewrite.uri.isEmpty && rewrite.uriRegexRewrite != nil {
            return "rewrite may only contain one of URI or UriRegexRewrite"
        }
        if rewrite.uri.isEmpty && rewrite.uriRegexRewrite == nil && rewrite.authority.isEmpty {
            return "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
                + "UriRegexRewrite may be specified"
        }
        guard let regex = rewrite.uriRegexRewrite else { return nil }
        if regex.match.isEmpty || regex.rewrite.isEmpty {
            return "UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified"
        }
        if let problem = regexProblem(regex.match, "HTTPRewrite.UriRegexRewrite.Match") {
            return "UriRegexRewrite has errors\n" + problem
        }
        return nil
    }

    /// `validateAuthorityRewrite`: the authority may be set once, by the rewrite or a request header.
    private static func authorityRewriteProblem(
        _ rewrite: VirtualService.HTTPRewrite?,
        _ headers: VirtualService.Headers?
    ) -> String? {
        var current = rewrite?.authority ?? ""
        let request = headers?.request
        for header in (request?.set ?? []) + (request?.add ?? []) {
            let name = header.name.asciiLowercased()
            guard name == ":authority" || name == "host" else { continue }
            if !current.isEmpty {
                return "authority header cannot be set multiple times: have \(quoted(current)), attempting to set "
                    + quoted(header.value)
            }
            current = header.value
        }
        return nil
    }

    /// `validateHTTPRetry`.
    private static func validate(_ retry: VirtualService.HTTPRetry, at path: String) -> Findings {
        var findings = Findings()
        if retry.attempts < 0 { findings.error("attempts cannot be negative", at: path + ".attempts") }
        if retry.attempts == 0
            && (retry.perTryTimeout != nil || !retry.retryOn.isEmpty || retry.retryRemoteLocalities != nil)
        {
            findings.error("http retry policy configured when attempts are set to 0 (disabled)", at: path)
        }
        if let timeout = retry.perTryTimeout { findings.error(durationProblem(timeout), at: path + ".perTryTimeout") }
        if !retry.retryOn.isEmpty {
            for policy in retry.retryOn.split(separator: ",", omittingEmptySubsequences: false)
            where !RetryPolicy.isValid(policy) {
                findings.error("\(quoted(String(policy))) is not a valid retryOn policy", at: path + ".retryOn")
            }
        }
        return findings
    }

    /// `validateHTTPFaultInjection`.
    private static func validate(_ fault: VirtualService.HTTPFaultInjection, at path: String) -> Findings {
        var findings = Findings()
        if fault.abort == nil && fault.delay == nil {
            findings.error("HTTP fault injection must have an abort and/or a delay", at: path)
        }
        if let abort = fault.abort {
            findings.error(percentageProblem(abort.percentage), at: path + ".abort.percentage")
            switch abort.error {
            case .grpcStatus(let status) where !GRPCStatus.names.contains(status):
                findings.error(
                    "gRPC status \(quoted(status)) is not supported. See "
                        + "https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, "
                        + "for example 'NOT_FOUND'",
                    at: path + ".abort.grpcStatus"
                )
            case .http2Error:
                findings.error("HTTP/2 abort fault injection not supported yet", at: path + ".abort.http2Error")
            case .httpStatus(let status):
                findings.error(httpStatusProblem(status), at: path + ".abort.httpStatus")
            case .grpcStatus, nil:
                // Istio's "abort configured, but error type not set" warning never reaches the user.
                break
            }
        }
        if let delay = fault.delay {
            findings.error(percentageProblem(delay.percentage), at: path + ".delay.percentage")
            if let fixed = delay.fixedDelay { findings.error(durationProblem(fixed), at: path + ".delay.fixedDelay") }
            if let exponential = delay.exponentialDelay {
                findings.error(durationProblem(exponential), at: path + ".delay.exponentialDelay")
                findings.error("exponentialDelay not supported yet", at: path + ".delay.exponentialDelay")
            }
        }
        return findings
    }

    /// `validatePercentage`.
    private static func percentageProblem(_ percentage: VirtualService.Percent?) -> String? {
        guard let value = percentage?.value else { return nil }
        guard value < 0 || value > 100 || (value > 0 && value < 0.0001) else { return nil }
        return "percentage \(GoFormat.general(value)) is neither 0.0, nor in range [0.0001, 100.0]"
    }

    /// `validateCORSPolicy`.
    private static func validate(_ cors: VirtualService.CorsPolicy, at path: String) -> Findings {
        var findings = Findings()
        for (index, origin) in cors.allowOrigins.enumerated() {
            let originPath = path + ".allowOrigins[\(index)]"
            switch origin {
            case .exact(""), .prefix(""), .regex(""):
                findings.error("'' is not a valid match type for CORS allow origins", at: originPath)
            case .regex(let pattern):
                findings.error(regexProblem(pattern, "corsPolicy.allowOrigins"), at: originPath)
            case .exact, .prefix:
                break
            }
        }
        let methods: Set = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"]
        for method in cors.allowMethods where !methods.contains(method) {
            findings.error("\(quoted(method)) is not a supported HTTP method", at: path + ".allowMethods")
        }
        for (field, names) in [("allowHeaders", cors.allowHeaders), ("exposeHeaders", cors.exposeHeaders)] {
            for name in names {
                if name.isEmpty {
                    findings.error("header name cannot be empty", at: path + "." + field)
                } else if name != "*" && !HeaderRules.isToken(name) {
                    findings.error("header name \(name) is not a valid header name", at: path + "." + field)
                }
            }
        }
        if let maxAge = cors.maxAge {
            findings.error(durationProblem(maxAge), at: path + ".maxAge")
            if maxAge.components.attoseconds != 0 {
                findings.error("max_age duration is accurate only to seconds precision", at: path + ".maxAge")
            }
        }
        return findings
    }

    /// `ValidateDuration`: at least 1 ms, in whole milliseconds.
    static func durationProblem(_ duration: Duration) -> String? {
        if duration < .milliseconds(1) { return "duration must be greater than 1ms" }
        if duration.components.attoseconds % 1_000_000_000_000_000 != 0 {
            return "only durations to ms precision are supported"
        }
        return nil
    }

    // MARK: Header operations

    /// The header operations of a rule or a destination (request add, set, remove; then response).
    private static func headerOperations(_ headers: VirtualService.Headers, at path: String) -> Findings {
        var findings = Findings()
        if let request = headers.request {
            for (field, values) in [("add", request.add), ("set", request.set)] {
                for header in values {
                    let headerPath = path + ".request.\(field).\(header.name)"
                    findings.error(HeaderRules.requestOperationNameProblem(header.name), at: headerPath)
                    findings.error(HeaderRules.valueProblem(header.value), at: headerPath)
                }
            }
            for name in request.remove {
                findings.error(HeaderRules.operationNameProblem(name), at: path + ".request.remove")
            }
        }
        if let response = headers.response {
            for (field, values) in [("add", response.add), ("set", response.set)] {
                for header in values {
                    let headerPath = path + ".response.\(field).\(header.name)"
                    findings.error(HeaderRules.operationNameProblem(header.name), at: headerPath)
                    findings.error(HeaderRules.valueProblem(header.value), at: headerPath)
                }
            }
            for name in response.remove {
                findings.error(HeaderRules.operationNameProblem(name), at: path + ".response.remove")
            }
        }
        return findings
    }
}

extension Findings {
    /// The errors alone, for the places where Istio merges a validation's errors and drops its warnings.
    var errorsOnly: Findings {
        var copy = Findings()
        for diagnostic in diagnostics where diagnostic.severity == .error {
            copy.error(diagnostic.message, at: diagnostic.path ?? "")
        }
        return copy
    }
}

/// Envoy's retry conditions, as Istio accepts them in `retryOn` (besides HTTP status codes).
enum RetryPolicy {
    static let names: Set<String> = [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure", "cancelled",
        "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ]

    /// Go's `http.StatusText` knows these codes; Istio accepts any of them as a retry condition.
    static let statusCodes: Set<Int> = Set(
        [
            100, 101, 102, 103, 226, 300, 301, 302, 303, 304, 305, 307, 308, 421, 422, 423, 424, 425, 426, 428, 429,
            431,
            451, 510, 511,
        ]
            + Array(200...208) + Array(400...418) + Array(500...508)
    )

    static func isValid(_ policy: Substring) -> Bool {
        if names.contains(String(policy)) { return true }
        // Go's strconv.Atoi takes an optional sign and leading zeros.
        var digits = policy
        if digits.first == "+" || digits.first == "-" { digits.removeFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let code = Int(policy) else { return false }
        return statusCodes.contains(code)
    }
}

/// gRPC status names Istio accepts for an abort.
enum GRPCStatus {
    static let names: [String] = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]
}

/// Go's formatting of a float64 in the messages Istio prints.
enum GoFormat {
    /// `%f`: six decimals.
    static func fixed(_ value: Double) -> String {
        let scaled = (value.magnitude * 1_000_000).rounded()
        let whole = Int64(scaled / 1_000_000)
        let fraction = Int64(scaled) - whole * 1_000_000
        let digits = String(fraction)
        return (value < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// `%v`: the shortest form, without a trailing `.0` (`101`, `-10`, `1e-05`).
    static func general(_ value: Double) -> String {
        if value == value.rounded() && value.magnitude < 1e21 { return String(Int64(value)) }
        return "\(value)"
    }
}
