import Testing

@testable import FrontProxy

@Suite struct WeightedRoundRobinTests {
    private func picks(_ weights: [Int], _ count: Int) -> [Int] {
        var balancer = WeightedRoundRobin(count: weights.count)
        return (0..<count).compactMap { _ in balancer.next(weights: weights) }
    }

    @Test func everyWindowIsExactlyProportionalAndInterleaved() {
        let chosen = picks([80, 20], 10)
        #expect(chosen.filter { $0 == 0 }.count == 8)
        #expect(chosen == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0])
        #expect(picks([5, 1, 1], 7) == [0, 0, 1, 0, 2, 0, 0])
    }

    @Test func zeroWeightsAreNeverChosen() {
        #expect(picks([100, 0], 5) == [0, 0, 0, 0, 0])
        #expect(picks([0, 0], 3).isEmpty)
        #expect(picks([], 3).isEmpty)
    }

    @Test func equalWeightsRotate() {
        #expect(picks([1, 1, 1], 6) == [0, 1, 2, 0, 1, 2])
    }
}
