import MeshConfig
import Testing

/// A gateway VirtualService for `foo.bar` with one `http` rule (flow-style YAML).
private func httpRule(_ rule: String, hosts: String = "[foo.bar]", gateways: String = "[gw]") -> String {
    virtualService("{hosts: \(hosts), gateways: \(gateways), http: [\(rule)]}")
}

private let toFoo = "route: [{destination: {host: foo.baz}}]"

/// Istio's `validateHTTPRoute` and what it calls, case by case, with Istio's texts (pkg/config/validation).
@Suite struct HTTPRouteValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "a route to one destination", yaml: httpRule("{\(toFoo)}")),
        ValidationCase(
            name: "no action at all",
            yaml: httpRule("{match: [{uri: {prefix: /}}]}"),
            error: "HTTP route, redirect or direct_response is required"
        ),
        ValidationCase(
            name: "a destination without host",
            yaml: httpRule("{route: [{weight: 100}]}"),
            error: "destination is required"
        ),
        ValidationCase(
            name: "weights need not sum to 100",
            yaml: httpRule(
                "{route: [{destination: {host: a.b}, weight: 550}, {destination: {host: c.d}, weight: 500}]}"
            )
        ),
        ValidationCase(
            name: "every weight zero",
            yaml: httpRule("{route: [{destination: {host: a.b}, weight: 0}, {destination: {host: c.d}, weight: 0}]}"),
            error: "total destination weight = 0"
        ),
        ValidationCase(
            name: "a negative weight",
            yaml: httpRule("{route: [{destination: {host: a.b}, weight: -1}, {destination: {host: c.d}, weight: 2}]}"),
            error: "weight -1 < 0"
        ),
        ValidationCase(
            name: "destination host *",
            yaml: httpRule("{route: [{destination: {host: \"*\"}}]}"),
            error: "invalid destination host *"
        ),
        ValidationCase(
            name: "destination port {} is port 0",
            yaml: httpRule("{route: [{destination: {host: foo.bar, port: {}}}]}"),
            error: "port number 0 must be in the range 1..65535"
        ),
        ValidationCase(
            name: "a redirect",
            yaml: httpRule("{redirect: {uri: /lerp, authority: foo.biz}}")
        ),
        ValidationCase(
            name: "a route and a redirect",
            yaml: httpRule("{redirect: {uri: /lerp}, \(toFoo)}"),
            error: "HTTP route cannot contain both route and redirect"
        ),
        ValidationCase(
            name: "a redirect with a rewrite",
            yaml: httpRule("{redirect: {uri: /lerp}, rewrite: {uri: /x}}"),
            error: "HTTP route rule cannot contain both rewrite and redirect"
        ),
        ValidationCase(
            name: "a redirect and a direct response",
            yaml: httpRule("{redirect: {uri: /lerp}, directResponse: {status: 200}}"),
            error: "HTTP route rule cannot contain both direct_response and redirect"
        ),
        ValidationCase(
            name: "a direct response with a fault",
            yaml: httpRule("{directResponse: {status: 200}, fault: {abort: {httpStatus: 500}}}"),
            error: "HTTP route cannot contain both fault and direct_response"
        ),
        ValidationCase(
            name: "an empty redirect",
            yaml: httpRule("{redirect: {}}"),
            error: "redirect must specify URI, authority, scheme, or port"
        ),
        ValidationCase(
            name: "a redirect code that is not 3xx",
            yaml: httpRule("{redirect: {uri: t, redirectCode: 400}}"),
            error: "400 is not a valid redirect code, must be 3xx"
        ),
        ValidationCase(
            name: "a redirect with uri and prefixRewrite",
            yaml: httpRule("{redirect: {uri: /old, prefixRewrite: /new}}"),
            error: "redirect may only specify one of uri or prefix_rewrite"
        ),
        ValidationCase(
            name: "a prefixRewrite redirect under an exact match",
            yaml: httpRule("{match: [{uri: {exact: /foo}}], redirect: {prefixRewrite: /bar}}"),
            error: "redirect prefix_rewrite requires all URI matches to use prefix match type"
        ),
        ValidationCase(
            name: "a prefixRewrite redirect under a prefix match",
            yaml: httpRule("{match: [{uri: {prefix: /foo}}], redirect: {prefixRewrite: /bar}}")
        ),
        ValidationCase(
            name: "a redirect scheme that is not http or https",
            yaml: httpRule("{redirect: {scheme: ftp}}"),
            error: "invalid redirect scheme, must be \"http\" or \"https\""
        ),
        ValidationCase(
            name: "a redirect that derives its port",
            yaml: httpRule("{redirect: {derivePort: FROM_REQUEST_PORT}}")
        ),
        ValidationCase(
            name: "a direct response status below 200",
            yaml: httpRule("{directResponse: {status: 199}}"),
            error: "HTTP status 199 is not in range 200-599"
        ),
        ValidationCase(
            name: "a direct response status of 600 passes, as in Istio",
            yaml: httpRule("{directResponse: {status: 600}}")
        ),
        ValidationCase(
            name: "a direct response of more than 100 KiB is a warning",
            yaml: httpRule(
                "{directResponse: {status: 200, body: {string: \"\(String(repeating: "a", count: 103_000))\"}}}"
            ),
            warning: "large direct_responses may impact control plane performance"
        ),
        ValidationCase(
            name: "a direct response in bytes",
            yaml: httpRule("{directResponse: {status: 200, body: {bytes: aGVsbG8=}}}")
        ),
        ValidationCase(
            name: "a root rule that delegates and routes",
            yaml: httpRule("{delegate: {name: d, namespace: n}, \(toFoo)}"),
            error: "root HTTP route  must not specify route"
        ),
        ValidationCase(
            name: "a delegate VirtualService's rule that delegates again",
            yaml: virtualService("{http: [{delegate: {name: d}, \(toFoo)}]}"),
            error: "delegate HTTP route cannot contain delegate"
        ),
        ValidationCase(
            name: "a delegate VirtualService with gateways",
            yaml: virtualService("{gateways: [gw], http: [{\(toFoo)}]}"),
            error: "delegate virtual service must have no gateways specified"
        ),
        ValidationCase(
            name: "mirror and mirrors together",
            yaml: httpRule("{\(toFoo), mirror: {host: m.b}, mirrors: [{destination: {host: m.c}}]}"),
            error: "HTTP route cannot contain both mirror and mirrors"
        ),
        ValidationCase(
            name: "mirrorPercent above 100",
            yaml: httpRule("{\(toFoo), mirror: {host: m.b}, mirrorPercent: 101}"),
            error: "mirror_percent must have a max value of 100 (it has 101)",
            warning: "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead"
        ),
        ValidationCase(
            name: "mirrorPercentage above 100",
            yaml: httpRule("{\(toFoo), mirror: {host: m.b}, mirrorPercentage: {value: 101}}"),
            error: "mirror_percentage must have a max value of 100 (it has 101.000000)"
        ),
        ValidationCase(
            name: "a mirrors entry without destination",
            yaml: httpRule("{\(toFoo), mirrors: [{percentage: {value: 5}}]}"),
            error: "destination is required for mirrors"
        ),
        ValidationCase(
            name: "a mirrors percentage below 0",
            yaml: httpRule("{\(toFoo), mirrors: [{destination: {host: m.b}, percentage: {value: -1}}]}"),
            error: "mirror percentage must have a min value of 0 (it has -1.000000)"
        ),
        ValidationCase(
            name: "a header match with an empty prefix",
            yaml: httpRule("{match: [{headers: {emptyprefix: {prefix: \"\"}}}], \(toFoo)}"),
            error: "\"headers\": prefix string match should not be empty"
        ),
        ValidationCase(
            name: "a method match with an empty regex",
            yaml: httpRule("{match: [{method: {regex: \"\"}}], \(toFoo)}"),
            error: "\"method\": regex string match should not be empty"
        ),
        ValidationCase(
            name: "an empty uri prefix is allowed",
            yaml: httpRule("{match: [{uri: {prefix: \"\"}}], \(toFoo)}")
        ),
        ValidationCase(
            name: "a regex RE2 rejects: a repetition without argument",
            yaml: httpRule("{match: [{withoutHeaders: {x: {regex: \"?\"}}}], \(toFoo)}"),
            error: "\"withoutHeaders\": error parsing regexp: missing argument to repetition operator: `?`; "
                + "Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
        ),
        ValidationCase(
            name: "a regex RE2 rejects: a backreference",
            yaml: httpRule("{match: [{uri: {regex: \"/(a)\\\\1\"}}], \(toFoo)}"),
            error: "\"uri\": error parsing regexp: invalid escape sequence: `\\1`; "
                + "Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
        ),
        ValidationCase(
            name: "a regex RE2 rejects: lookahead",
            yaml: httpRule("{match: [{uri: {regex: \"/a(?=b)\"}}], \(toFoo)}"),
            error: "\"uri\": error parsing regexp: invalid or unsupported Perl syntax: `(?=`; "
                + "Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
        ),
        ValidationCase(
            name: "withoutHeaders regex * means present",
            yaml: httpRule("{match: [{withoutHeaders: {x: {regex: \"*\"}}}], \(toFoo)}")
        ),
        ValidationCase(
            name: "a header name that is not a token",
            yaml: httpRule("{match: [{headers: {\"bad header\": {exact: x}}}], \(toFoo)}"),
            error: "header name bad header is not a valid header name"
        ),
        ValidationCase(
            name: "a query parameter with an empty regex",
            yaml: httpRule("{match: [{queryParams: {q: {regex: \"\"}}}], \(toFoo)}"),
            error: "\"queryParams\": regex string match should not be empty"
        ),
        ValidationCase(
            name: "a bad sourceNamespace",
            yaml: httpRule("{match: [{sourceNamespace: \"Not_ok\"}], \(toFoo)}"),
            error: "sourceNamespace match Not_ok is invalid"
        ),
        ValidationCase(
            name: "a JWT claim match on the mesh",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [mesh], http: [{match: [{headers: {\"@request.auth.claims.foo\": "
                    + "{exact: bar}}}], \(toFoo)}]}"
            ),
            error: "JWT claim based routing (key: @request.auth.claims.foo) is only supported for gateway, found no "
                + "gateways: [mesh]"
        ),
        ValidationCase(
            name: "a request header that cannot be set",
            yaml: httpRule("{\(toFoo), headers: {request: {set: {\":path\": /x}}}}"),
            error: "invalid header \":path\": header cannot have \":\" prefix"
        ),
        ValidationCase(
            name: "the Host header cannot be removed",
            yaml: httpRule("{\(toFoo), headers: {request: {remove: [Host]}}}"),
            error: "invalid header \"Host\": cannot set Host header"
        ),
        ValidationCase(
            name: "an un-terminated variable in a header value",
            yaml: httpRule("{\(toFoo), headers: {response: {set: {x: \"abcd%oijasodifj\"}}}}"),
            error: "header value configuration: invalid header configuration. Un-terminated variable expression "
                + "'abcd%oijasodifj'"
        ),
        ValidationCase(
            name: "variables and escaped percents in header values",
            yaml: httpRule("{\(toFoo), headers: {response: {set: {a: \"100%%\", b: \"%HOSTNAME%\"}}}}")
        ),
        ValidationCase(
            name: "the authority rewritten twice",
            yaml: httpRule("{\(toFoo), rewrite: {authority: bar}, headers: {request: {set: {\":authority\": foo}}}}"),
            error: "authority header cannot be set multiple times: have \"bar\", attempting to set \"foo\""
        ),
        ValidationCase(
            name: "a rewrite with uri and uriRegexRewrite",
            yaml: httpRule("{\(toFoo), rewrite: {uri: /a, uriRegexRewrite: {match: a, rewrite: b}}}"),
            error: "rewrite may only contain one of URI or UriRegexRewrite"
        ),
        ValidationCase(
            name: "an empty rewrite",
            yaml: httpRule("{\(toFoo), rewrite: {}}"),
            error: "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
                + "UriRegexRewrite may be specified"
        ),
        ValidationCase(
            name: "a uriRegexRewrite whose regex does not compile",
            yaml: httpRule("{\(toFoo), rewrite: {uriRegexRewrite: {match: \"[\", rewrite: \"[\"}}}"),
            error: "UriRegexRewrite has errors\n\"HTTPRewrite.UriRegexRewrite.Match\": error parsing regexp: "
                + "missing closing ]: `[`; Istio uses RE2 style regex-based match "
                + "(https://github.com/google/re2/wiki/Syntax)"
        ),
        ValidationCase(
            name: "a uriRegexRewrite with capture groups",
            yaml: httpRule(
                "{\(toFoo), rewrite: {uriRegexRewrite: {match: \"^/service/([^/]+)(/.*)$\", rewrite: \"\\\\2/instance/\\\\1\"}}}"
            )
        ),
        ValidationCase(
            name: "a timeout under 1ms",
            yaml: httpRule("{\(toFoo), timeout: 0s}"),
            error: "duration must be greater than 1ms"
        ),
        ValidationCase(
            name: "a timeout finer than milliseconds",
            yaml: httpRule("{\(toFoo), timeout: 1.0005s}"),
            error: "only durations to ms precision are supported"
        ),
        ValidationCase(name: "a timeout in Go's units", yaml: httpRule("{\(toFoo), timeout: 1m30s}")),
        ValidationCase(
            name: "retries with a retryOn Envoy does not know",
            yaml: httpRule("{\(toFoo), retries: {attempts: 3, retryOn: \"5xx,invalid policy\"}}"),
            error: "\"invalid policy\" is not a valid retryOn policy"
        ),
        ValidationCase(
            name: "retries on a status Go does not know",
            yaml: httpRule("{\(toFoo), retries: {attempts: 3, retryOn: \"600,connect-failure\"}}"),
            error: "\"600\" is not a valid retryOn policy"
        ),
        ValidationCase(
            name: "a retry policy with zero attempts",
            yaml: httpRule("{\(toFoo), retries: {attempts: 0, perTryTimeout: 2s}}"),
            error: "http retry policy configured when attempts are set to 0 (disabled)"
        ),
        ValidationCase(
            name: "negative retry attempts",
            yaml: httpRule("{\(toFoo), retries: {attempts: -1}}"),
            error: "attempts cannot be negative"
        ),
        ValidationCase(
            name: "retries on status codes and conditions",
            yaml: httpRule("{\(toFoo), retries: {attempts: 3, perTryTimeout: 2s, retryOn: \"503,connect-failure\"}}")
        ),
        ValidationCase(
            name: "an empty fault",
            yaml: httpRule("{\(toFoo), fault: {}}"),
            error: "HTTP fault injection must have an abort and/or a delay"
        ),
        ValidationCase(
            name: "an abort with a status out of range",
            yaml: httpRule("{\(toFoo), fault: {abort: {httpStatus: 9000}}}"),
            error: "HTTP status 9000 is not in range 200-599"
        ),
        ValidationCase(
            name: "an abort percentage below 0",
            yaml: httpRule("{\(toFoo), fault: {abort: {httpStatus: 500, percentage: {value: -10}}}}"),
            error: "percentage -10 is neither 0.0, nor in range [0.0001, 100.0]"
        ),
        ValidationCase(
            name: "an abort with a gRPC status Istio does not know",
            yaml: httpRule("{\(toFoo), fault: {abort: {grpcStatus: BAD_STATUS}}}"),
            error: "gRPC status \"BAD_STATUS\" is not supported. See "
                + "https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for "
                + "example 'NOT_FOUND'"
        ),
        ValidationCase(
            name: "an HTTP/2 abort",
            yaml: httpRule("{\(toFoo), fault: {abort: {http2Error: REFUSED_STREAM}}}"),
            error: "HTTP/2 abort fault injection not supported yet"
        ),
        ValidationCase(
            name: "an exponential delay",
            yaml: httpRule("{\(toFoo), fault: {delay: {exponentialDelay: 1s}}}"),
            error: "exponentialDelay not supported yet"
        ),
        ValidationCase(
            name: "a delay for a share of requests",
            yaml: httpRule("{\(toFoo), fault: {delay: {fixedDelay: 3s, percentage: {value: 20}}}}")
        ),
        ValidationCase(
            name: "CORS with a method Istio does not know",
            yaml: httpRule("{\(toFoo), corsPolicy: {allowMethods: [GET, PUTT]}}"),
            error: "\"PUTT\" is not a supported HTTP method"
        ),
        ValidationCase(
            name: "CORS with an empty origin",
            yaml: httpRule("{\(toFoo), corsPolicy: {allowOrigins: [{exact: \"\"}]}}"),
            error: "'' is not a valid match type for CORS allow origins"
        ),
        ValidationCase(
            name: "CORS max age finer than seconds",
            yaml: httpRule("{\(toFoo), corsPolicy: {maxAge: 1500ms}}"),
            error: "max_age duration is accurate only to seconds precision"
        ),
        ValidationCase(
            name: "a CORS policy",
            yaml: httpRule(
                "{\(toFoo), corsPolicy: {allowOrigins: [{exact: \"https://a.b\"}], allowMethods: [GET, POST], "
                    + "allowHeaders: [x-a], exposeHeaders: [x-b], maxAge: 2s, allowCredentials: true}}"
            )
        ),
        ValidationCase(
            name: "an overlapping prefix after a shorter one",
            yaml: httpRule(
                "{match: [{uri: {prefix: /api/v1/product}}, {uri: {prefix: /api/v1/products}, method: {exact: GET}}], "
                    + "\(toFoo)}"
            ),
            warning: "virtualService rule #0 match #1 of prefix /api/v1/products is not used "
                + "(duplicate/overlapping match in rule #0 of prefix /api/v1/product on #0)"
        ),
        ValidationCase(
            name: "a rule after a rule without matches",
            yaml: virtualService(
                "{hosts: [foo.bar], gateways: [gw], http: [{\(toFoo)}, {match: [{uri: {exact: /a}}], \(toFoo)}]}"
            ),
            warning: "virtualService rule #1 not used (route without matches defined before)"
        ),
    ]

    @Test(arguments: cases)
    func istioRules(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test func aDurationThatIsNotGoSyntaxIsADecodingErrorWithGoText() throws {
        let documents = load(httpRule("{\(toFoo), timeout: 1d}"))
        let messages = documents.flatMap(\.diagnostics).map(\.message)
        #expect(messages.contains("bad Duration: time: unknown unit \"d\" in duration \"1d\""))
    }

    @Test func everyHTTPRouteFieldDecodesInEitherSpelling() throws {
        let yaml = httpRule(
            "{name: r, match: [{name: m, uri: {prefix: /a}, scheme: {exact: http}, method: {exact: GET}, "
                + "authority: {prefix: foo}, headers: {x-a: {exact: \"1\"}}, without_headers: {x-b: {}}, "
                + "query_params: {q: {regex: \"[0-9]+\"}}, port: 80, ignore_uri_case: true, gateways: [gw]}], "
                + "route: [{destination: {host: a.b, port: {number: 80}}, weight: 100, headers: {request: {set: {x: y}}}}], "
                + "timeout: 5s, retries: {attempts: 2, per_try_timeout: 1s, retry_on: 5xx}, "
                + "fault: {delay: {fixed_delay: 1s, percentage: {value: 10}}}, mirror: {host: m.b}, "
                + "mirror_percentage: {value: 50}, cors_policy: {allow_origins: [{prefix: \"https://\"}]}, "
                + "headers: {response: {add: {x-r: v}, remove: [x-s]}}}"
        )
        let document = try #require(load(yaml).first?.decoded)
        guard case .virtualService(let vs) = document.resource else {
            Issue.record("not a VirtualService")
            return
        }
        let rule = try #require(vs.http.first)
        #expect(rule.name == "r")
        #expect(rule.match.first?.withoutHeaders == [VirtualService.KeyMatch(key: "x-b", value: nil)])
        #expect(rule.match.first?.queryParams == [VirtualService.KeyMatch(key: "q", value: .regex("[0-9]+"))])
        #expect(rule.match.first?.ignoreUriCase == true)
        #expect(rule.timeout == .seconds(5))
        #expect(rule.retries?.perTryTimeout == .seconds(1))
        #expect(rule.fault?.delay?.percentage == VirtualService.Percent(10))
        #expect(rule.mirrorPercentage == VirtualService.Percent(50))
        #expect(rule.route.first?.headers?.request?.set == [VirtualService.HeaderValue(name: "x", value: "y")])
        #expect(IstioValidation.validate(document.resource).filter { $0.severity == .error }.isEmpty)
    }
}
