#if canImport(Glibc)
import Glibc
#endif

/// The process's descriptor limit, which caps connections: each proxied client costs two descriptors.
public enum ProcessLimits {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (as Envoy's and nginx's operators are told to) and
    /// returns the limit in effect, or nil when it cannot be read.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
