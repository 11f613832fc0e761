import MeshConfig

/// Which failures Envoy's retry policy retries (`RetryStateImpl::wouldRetryFromReset` and
/// `wouldRetryFromHeaders`).
enum RetryConditions {
    /// A failure before any response: `connect-failure` (the upstream could not be reached) or `reset` (it
    /// closed or reset before its response head).
    static func retries(_ failure: String, under policy: RetryPlan) -> Bool {
        let on = policy.retryOn
        // 5xx and gateway-error count a missing response as a 503.
        if on.contains("5xx") || on.contains("gateway-error") { return true }
        switch failure {
        case "connect-failure": return on.contains("connect-failure") || on.contains("reset")
        case "reset": return on.contains("reset") || on.contains("reset-before-request")
        default: return false
        }
    }

    /// A response status the policy retries.
    static func retries(status: Int, under policy: RetryPlan) -> Bool {
        let on = policy.retryOn
        if on.contains("5xx") && (500...599).contains(status) { return true }
        if on.contains("gateway-error") && [502, 503, 504].contains(status) { return true }
        if on.contains("retriable-4xx") && status == 409 { return true }
        if on.contains("retriable-status-codes") && policy.retriableStatusCodes.contains(status) { return true }
        return false
    }
}
