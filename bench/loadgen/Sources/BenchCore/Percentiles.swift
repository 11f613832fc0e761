/// Order statistics over recorded samples, by the nearest-rank method: the p-th percentile is the smallest
/// sample such that at least p% of all samples are at or below it. Every sample counts; nothing is binned.
public struct Percentiles: Sendable {
    /// The samples in ascending order.
    public let sorted: [UInt64]

    public init(samples: [UInt64]) {
        sorted = samples.sorted()
    }

    /// The nearest-rank percentile for `p` in (0, 100], or nil when there are no samples.
    public func value(at p: Double) -> UInt64? {
        guard !sorted.isEmpty, p > 0, p <= 100 else { return nil }
        // In integers (p to a thousandth of a percent): 99.9 / 100 * 1000 is 999.0000000000001 in floating point,
        // which would round the rank up past the right sample.
        let milliPercent = Int((p * 1000).rounded())
        let rank = (milliPercent * sorted.count + 99_999) / 100_000
        let index = min(max(rank - 1, 0), sorted.count - 1)
        return sorted[index]
    }

}
