/// Resolves host names for the curl-equivalent (the harness passes its stub DNS).
public protocol HostResolver: Sendable {
    /// The IP literals `host` resolves to, in preference order; empty when it does not exist.
    func addresses(of host: String) async throws -> [String]
}
