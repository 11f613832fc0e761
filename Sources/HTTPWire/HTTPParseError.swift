/// Why a message head or body was rejected.
///
/// `status` is what the proxy answers a downstream client whose *request*
/// failed this way; `details` is the `%RESPONSE_CODE_DETAILS%` string Envoy
/// logs for the same codec failure, so access logs stay comparable.
///
/// Where Envoy gets the string (paths in envoyproxy/envoy):
/// - `http1.*` — `Http1ResponseCodeDetailValues` in
///   `source/common/http/http1/codec_impl.cc`. Every balsa parser failure that
///   `ConnectionImpl::dispatchSlice` does not single out becomes
///   `http1.codec_error` with 400 (`error_code_` defaults to BadRequest); only
///   "headers/trailers size exceeds limit" (→ `http1.headers_too_large`, 431)
///   and "header value contains invalid chars" (→ `http1.invalid_characters`)
///   are mapped. Balsa's own texts (`HPE_INVALID_METHOD`, `HPE_INVALID_URL`,
///   `HPE_INVALID_VERSION`, `HPE_INVALID_HEADER_TOKEN`, …, from
///   `source/common/http/http1/balsa_parser.cc`) only reach the connection
///   error message, never the details.
/// - `http.invalid_authority` — `SharedResponseCodeDetailsValues` in
///   `source/common/http/header_utility.cc`, returned by `requestHeadersValid`.
/// - `missing_host_header` — `ResponseCodeDetailValues::MissingHost` in
///   `envoy/stream_info/stream_info.h`, sent by
///   `ConnectionManagerImpl::ActiveStream::decodeHeaders`.
///
/// For a failure in an upstream *response* (`HTTPHeadParser.parseResponse`,
/// or a framer fed a response body) the proxy answers its client
/// `HTTPParseError.upstreamStatus` (502) instead of `status`; `details` stays.
public enum HTTPParseError: Error, Sendable, Hashable, CaseIterable {
    // MARK: Start line
    /// Method is empty, not a token, or (unless `allowCustomMethods`) not in
    /// Envoy's method list. Balsa: `HPE_INVALID_METHOD`.
    case invalidMethod
    /// Request line not `method SP target SP version`: missing or doubled
    /// spaces, trailing space, missing version (HTTP/0.9).
    case invalidRequestLine
    /// Request-target with bytes outside VCHAR, a fragment `#`, broken
    /// percent-encoding, or of no recognised form. Balsa: `HPE_INVALID_URL`.
    case invalidTarget
    /// Target of the right characters but wrong structure for its form:
    /// absolute-form with empty host, userinfo or bad port; CONNECT without
    /// `host:port`; `*` outside OPTIONS. Envoy `ServerConnectionImpl::handlePath`.
    case invalidURL
    /// Absolute-form scheme other than http/https. Envoy `handlePath`.
    case invalidScheme
    /// Version is not `HTTP/DIGIT.DIGIT`. Balsa `isVersionValid`.
    case invalidVersion
    /// Well-formed version other than HTTP/1.0 and HTTP/1.1 (HTTP/1.2,
    /// HTTP/2.0 in a request line, …).
    case unsupportedVersion
    /// Response status line not `HTTP-version SP 3DIGIT [SP reason]`, status
    /// outside 100...599, or control bytes in the reason phrase.
    case invalidStatusLine

    // MARK: Line framing and limits
    /// CR not followed by LF (RFC 9112 §2.2).
    case bareCR
    /// LF not preceded by CR. RFC 9112 §2.2 lets a recipient accept it (balsa
    /// does); we refuse it so no upstream can disagree on where a line ends.
    case bareLF
    /// Head larger than `HTTPParseLimits.maxHeadSize`.
    case headersTooLarge
    /// More than `HTTPParseLimits.maxHeaderCount` field lines.
    case tooManyHeaders

    // MARK: Field lines
    /// Field line starting with SP/HTAB: obsolete line folding (RFC 9112
    /// §5.2). Balsa accepts folding (`disallow_header_continuation_lines =
    /// false`); we refuse it.
    case obsFold
    /// Whitespace between field name and colon (RFC 9112 §5.1: MUST 400).
    case whitespaceBeforeColon
    /// Empty field name or a name byte that is not tchar.
    /// Balsa: `HPE_INVALID_HEADER_TOKEN`.
    case invalidHeaderName
    /// Field line without a colon. Balsa: `HEADER_MISSING_COLON`.
    case missingColon
    /// Control byte (other than HTAB) or DEL in a field value, or a value
    /// that is not valid UTF-8. Envoy: `http1.invalid_characters`.
    case invalidHeaderValue

    // MARK: Message framing
    /// Content-Length not 1*DIGIT (sign, list, empty, junk) or above Int.max.
    /// Balsa: `UNPARSABLE_CONTENT_LENGTH`.
    case invalidContentLength
    /// More than one Content-Length field line, even with equal values:
    /// Envoy sets balsa's `disallow_multiple_content_length = true`.
    /// Balsa: `MULTIPLE_CONTENT_LENGTH_KEYS` → "HPE_UNEXPECTED_CONTENT_LENGTH".
    case multipleContentLength
    /// Both Transfer-Encoding and Content-Length (RFC 9112 §6.3 ¶3).
    /// Envoy `onHeadersCompleteImpl`, `ChunkedContentLength`.
    case contentLengthAndChunked
    /// Transfer-Encoding other than one field line of exactly `chunked`, or
    /// any Transfer-Encoding on CONNECT. Envoy `onHeadersCompleteImpl`
    /// answers 501 (RFC 9112 §6.1: unknown coding → 501).
    case invalidTransferEncoding
    /// Transfer-Encoding in an HTTP/1.0 message: RFC 9112 §6.1 says to treat
    /// the framing as faulty. Envoy has no such check.
    case transferEncodingInHTTP10
    /// CONNECT with a non-zero Content-Length. Envoy `BodyDisallowed`.
    case connectWithBody
    /// Transfer-Encoding on a 1xx or 204 response. Envoy
    /// `ClientConnectionImpl::onHeadersCompleteBase`.
    case transferEncodingNotAllowed
    /// Non-zero Content-Length on a 1xx or 204 response. Same place.
    case contentLengthNotAllowed

    // MARK: Host
    /// HTTP/1.1 request whose target carries no authority and which has no
    /// Host field (RFC 9112 §3.2). Envoy `MissingHost`.
    case missingHost
    /// More than one Host field line (RFC 9112 §3.2: MUST 400). Envoy joins
    /// repeated Host values with "," and validates the result as an
    /// authority, so `http.invalid_authority` is the closest Envoy string.
    case multipleHost
    /// Host value that is not `uri-host [":" port]`. Envoy
    /// `requestHeadersValid` → `http.invalid_authority`.
    case invalidHost

    // MARK: Chunked body
    /// Chunk-size missing or with a non-hex byte. Balsa `INVALID_CHUNK_LENGTH`.
    case invalidChunkSize
    /// Chunk-size above Int.max. Balsa `CHUNK_LENGTH_OVERFLOW`.
    case chunkSizeOverflow
    /// Chunk-ext that does not follow RFC 9112 §7.1.1.
    case invalidChunkExtension
    /// Chunk-size line longer than `HTTPParseLimits.maxChunkLineSize`.
    case chunkExtensionTooLarge
    /// Chunk-data not followed by CRLF.
    case invalidChunkTerminator
    /// Trailer section longer than `HTTPParseLimits.maxTrailerSize`. Balsa
    /// `TRAILER_TOO_LONG` → "trailers size exceeds limit", mapped by Envoy to
    /// `http1.headers_too_large` / 431.
    case trailersTooLarge
    /// More than `HTTPParseLimits.maxTrailerCount` trailer fields.
    case tooManyTrailers
    /// Connection closed before a Content-Length or chunked body ended.
    /// Balsa: `HPE_INVALID_EOF_STATE`.
    case truncatedBody

    /// What a proxy answers its client when an upstream response fails to
    /// parse: Envoy resets the upstream stream and replies 502.
    public static let upstreamStatus = 502

    /// Status the proxy answers a client whose request failed this way.
    public var status: Int {
        switch self {
        case .headersTooLarge, .tooManyHeaders, .trailersTooLarge, .tooManyTrailers:
            return 431  // Envoy: error_code_ = RequestHeaderFieldsTooLarge
        case .invalidTransferEncoding:
            return 501  // Envoy: error_code_ = NotImplemented
        case .unsupportedVersion:
            // Envoy never answers 505: any non-1.1 version is handled as
            // HTTP/1.0 (426 `low_version` unless accept_http_10). We refuse
            // unknown versions outright, with the RFC 9110 §15.6.6 status.
            return 505
        default:
            return 400
        }
    }

    /// Envoy's `%RESPONSE_CODE_DETAILS%` string for this failure.
    public var details: String {
        switch self {
        case .headersTooLarge, .trailersTooLarge:
            return "http1.headers_too_large"
        case .tooManyHeaders, .tooManyTrailers:
            return "http1.too_many_headers"
        case .invalidHeaderValue:
            return "http1.invalid_characters"
        case .invalidURL:
            return "http1.invalid_url"
        case .invalidScheme:
            return "http1.invalid_scheme"
        case .contentLengthAndChunked:
            return "http1.content_length_and_chunked_not_allowed"
        case .invalidTransferEncoding, .transferEncodingInHTTP10:
            return "http1.invalid_transfer_encoding"
        case .connectWithBody:
            return "http1.body_disallowed"
        case .transferEncodingNotAllowed:
            return "http1.transfer_encoding_not_allowed"
        case .contentLengthNotAllowed:
            return "http1.content_length_not_allowed"
        case .missingHost:
            return "missing_host_header"
        case .multipleHost, .invalidHost:
            return "http.invalid_authority"
        case .invalidMethod, .invalidRequestLine, .invalidTarget, .invalidVersion,
            .unsupportedVersion, .invalidStatusLine, .bareCR, .bareLF, .obsFold,
            .whitespaceBeforeColon, .invalidHeaderName, .missingColon,
            .invalidContentLength, .multipleContentLength, .invalidChunkSize,
            .chunkSizeOverflow, .invalidChunkExtension, .chunkExtensionTooLarge,
            .invalidChunkTerminator, .truncatedBody:
            return "http1.codec_error"
        }
    }
}

extension HTTPParseError: CustomStringConvertible {
    public var description: String { "\(status) \(details) (\(caseName))" }

    private var caseName: String {
        switch self {
        case .invalidMethod: "invalidMethod"
        case .invalidRequestLine: "invalidRequestLine"
        case .invalidTarget: "invalidTarget"
        case .invalidURL: "invalidURL"
        case .invalidScheme: "invalidScheme"
        case .invalidVersion: "invalidVersion"
        case .unsupportedVersion: "unsupportedVersion"
        case .invalidStatusLine: "invalidStatusLine"
        case .bareCR: "bareCR"
        case .bareLF: "bareLF"
        case .headersTooLarge: "headersTooLarge"
        case .tooManyHeaders: "tooManyHeaders"
        case .obsFold: "obsFold"
        case .whitespaceBeforeColon: "whitespaceBeforeColon"
        case .invalidHeaderName: "invalidHeaderName"
        case .missingColon: "missingColon"
        case .invalidHeaderValue: "invalidHeaderValue"
        case .invalidContentLength: "invalidContentLength"
        case .multipleContentLength: "multipleContentLength"
        case .contentLengthAndChunked: "contentLengthAndChunked"
        case .invalidTransferEncoding: "invalidTransferEncoding"
        case .transferEncodingInHTTP10: "transferEncodingInHTTP10"
        case .connectWithBody: "connectWithBody"
        case .transferEncodingNotAllowed: "transferEncodingNotAllowed"
        case .contentLengthNotAllowed: "contentLengthNotAllowed"
        case .missingHost: "missingHost"
        case .multipleHost: "multipleHost"
        case .invalidHost: "invalidHost"
        case .invalidChunkSize: "invalidChunkSize"
        case .chunkSizeOverflow: "chunkSizeOverflow"
        case .invalidChunkExtension: "invalidChunkExtension"
        case .chunkExtensionTooLarge: "chunkExtensionTooLarge"
        case .invalidChunkTerminator: "invalidChunkTerminator"
        case .trailersTooLarge: "trailersTooLarge"
        case .tooManyTrailers: "tooManyTrailers"
        case .truncatedBody: "truncatedBody"
        }
    }
}
