import Testing

@testable import HTTPWire

@Suite("Error catalog")
struct ErrorCatalogTests {
    /// Every case with the status the proxy answers and Envoy's details
    /// string; a new case must be added here.
    static let catalog: [HTTPParseError: (Int, String)] = [
        .invalidMethod: (400, "http1.codec_error"),
        .invalidRequestLine: (400, "http1.codec_error"),
        .invalidTarget: (400, "http1.codec_error"),
        .invalidURL: (400, "http1.invalid_url"),
        .invalidScheme: (400, "http1.invalid_scheme"),
        .invalidVersion: (400, "http1.codec_error"),
        .unsupportedVersion: (505, "http1.codec_error"),
        .invalidStatusLine: (400, "http1.codec_error"),
        .bareCR: (400, "http1.codec_error"),
        .bareLF: (400, "http1.codec_error"),
        .headersTooLarge: (431, "http1.headers_too_large"),
        .tooManyHeaders: (431, "http1.too_many_headers"),
        .obsFold: (400, "http1.codec_error"),
        .whitespaceBeforeColon: (400, "http1.codec_error"),
        .invalidHeaderName: (400, "http1.codec_error"),
        .missingColon: (400, "http1.codec_error"),
        .invalidHeaderValue: (400, "http1.invalid_characters"),
        .invalidContentLength: (400, "http1.codec_error"),
        .multipleContentLength: (400, "http1.codec_error"),
        .contentLengthAndChunked: (400, "http1.content_length_and_chunked_not_allowed"),
        .invalidTransferEncoding: (501, "http1.invalid_transfer_encoding"),
        .transferEncodingInHTTP10: (400, "http1.invalid_transfer_encoding"),
        .connectWithBody: (400, "http1.body_disallowed"),
        .transferEncodingNotAllowed: (400, "http1.transfer_encoding_not_allowed"),
        .contentLengthNotAllowed: (400, "http1.content_length_not_allowed"),
        .missingHost: (400, "missing_host_header"),
        .multipleHost: (400, "http.invalid_authority"),
        .invalidHost: (400, "http.invalid_authority"),
        .invalidChunkSize: (400, "http1.codec_error"),
        .chunkSizeOverflow: (400, "http1.codec_error"),
        .invalidChunkExtension: (400, "http1.codec_error"),
        .chunkExtensionTooLarge: (400, "http1.codec_error"),
        .invalidChunkTerminator: (400, "http1.codec_error"),
        .trailersTooLarge: (431, "http1.headers_too_large"),
        .tooManyTrailers: (431, "http1.too_many_headers"),
        .truncatedBody: (400, "http1.codec_error"),
    ]

    @Test("each error maps to its status and Envoy details", arguments: HTTPParseError.allCases)
    func mapping(_ error: HTTPParseError) throws {
        let (status, details) = try #require(Self.catalog[error], "\(error) missing from the catalog")
        #expect(error.status == status)
        #expect(error.details == details)
    }

    @Test("the catalog covers every case")
    func complete() {
        #expect(Self.catalog.count == HTTPParseError.allCases.count)
    }
}
