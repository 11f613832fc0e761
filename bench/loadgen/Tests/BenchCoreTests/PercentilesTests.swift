import BenchCore
import Testing

@Suite struct PercentilesTests {
    @Test func nearestRankPicksTheSmallestSampleCoveringTheShare() {
        let percentiles = Percentiles(samples: Array((1...1000).reversed()).map(UInt64.init))
        #expect(percentiles.value(at: 50) == 500)
        #expect(percentiles.value(at: 99) == 990)
        #expect(percentiles.value(at: 99.9) == 999)
        #expect(percentiles.value(at: 100) == 1000)
    }

    @Test func fewSamplesGiveTheLargestForHighPercentiles() {
        let percentiles = Percentiles(samples: [30, 10, 20])
        #expect(percentiles.value(at: 50) == 20)
        #expect(percentiles.value(at: 99.9) == 30)
    }

    @Test func noSamplesGiveNoValue() {
        #expect(Percentiles(samples: []).value(at: 50) == nil)
        #expect(Percentiles(samples: [1]).value(at: 0) == nil)
    }
}
