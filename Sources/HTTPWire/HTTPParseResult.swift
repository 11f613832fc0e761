/// Outcome of parsing a message head from the bytes received so far.
public enum HTTPParseResult<Head: Sendable>: Sendable {
    /// The head has not ended yet and nothing seen so far is invalid; call
    /// again once more bytes arrived.
    case incomplete
    /// The head is complete; it occupies the first `headLength` bytes. Bytes
    /// after it are body or the next message.
    case complete(Head, headLength: Int)
    /// The bytes can never become a valid head.
    case invalid(HTTPParseError)
}

extension HTTPParseResult: Equatable where Head: Equatable {}
extension HTTPParseResult: Hashable where Head: Hashable {}

extension HTTPParseResult {
    /// The head, when complete.
    public var head: Head? {
        if case .complete(let head, _) = self { return head }
        return nil
    }

    /// The error, when invalid.
    public var error: HTTPParseError? {
        if case .invalid(let error) = self { return error }
        return nil
    }
}
