/// Size and count limits for heads, chunk lines and trailers.
///
/// Defaults follow Envoy's: `max_request_headers_kb: 60` is applied by balsa
/// (`BalsaFrame::set_max_header_length(max_headers_kb * 1024)`) to the whole
/// head — start line, field lines and every CRLF — and
/// `max_request_headers_count: 100` to the number of field lines. Trailers
/// reuse both limits, as balsa reuses `max_header_length_` for trailers.
public struct HTTPParseLimits: Sendable, Hashable {
    /// Largest accepted head in bytes, counting the start line, field lines,
    /// every CRLF and the empty line. A head of exactly this size is accepted.
    public var maxHeadSize: Int
    /// Most field lines accepted in a head (a head with exactly this many is
    /// accepted; one more is 431 `http1.too_many_headers`).
    public var maxHeaderCount: Int
    /// Longest accepted chunk-size line (size, extensions and CRLF). Balsa
    /// has no bound; an unbounded line would let a client make the proxy
    /// scan extension bytes forever without advancing the body.
    public var maxChunkLineSize: Int
    /// Largest trailer section in bytes (field lines plus the final CRLF).
    public var maxTrailerSize: Int
    /// Most trailer fields accepted.
    public var maxTrailerCount: Int
    /// Accept any token as a method. Envoy's default
    /// (`allow_custom_methods: false`) accepts only balsa's fixed list.
    public var allowCustomMethods: Bool

    public init(
        maxHeadSize: Int = 60 * 1024,
        maxHeaderCount: Int = 100,
        maxChunkLineSize: Int = 4 * 1024,
        maxTrailerSize: Int = 60 * 1024,
        maxTrailerCount: Int = 100,
        allowCustomMethods: Bool = false
    ) {
        self.maxHeadSize = maxHeadSize
        self.maxHeaderCount = maxHeaderCount
        self.maxChunkLineSize = maxChunkLineSize
        self.maxTrailerSize = maxTrailerSize
        self.maxTrailerCount = maxTrailerCount
        self.allowCustomMethods = allowCustomMethods
    }
}
