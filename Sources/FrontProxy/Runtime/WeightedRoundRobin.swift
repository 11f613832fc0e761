/// Smooth weighted round-robin (as nginx does it): over any window of `sum(weights)` picks, each choice is
/// taken exactly in proportion to its weight, interleaved rather than in runs. Deterministic, so a route
/// table test can say "8 of 10 connections go to v1".
struct WeightedRoundRobin: Sendable {
    private var current: [Int]

    init(count: Int) {
        current = [Int](repeating: 0, count: count)
    }

    /// The index of the next choice, or nil when every weight is zero (or there are no choices).
    mutating func next(weights: [Int]) -> Int? {
        if current.count != weights.count { current = [Int](repeating: 0, count: weights.count) }
        let total = weights.reduce(0) { $0 + max(0, $1) }
        guard total > 0 else { return nil }
        var best = -1
        for index in weights.indices where weights[index] > 0 {
            current[index] += weights[index]
            if best < 0 || current[index] > current[best] { best = index }
        }
        current[best] -= total
        return best
    }
}
