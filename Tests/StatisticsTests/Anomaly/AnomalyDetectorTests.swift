import Foundation
import Primitives
import Testing
@testable import Statistics

/// A daily-seasonal hourly series: level 100, amplitude 10, Gaussian noise of sd 1.
func seasonalSeries(days: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<(24 * days)).map { t in 100 + 10 * sin(2 * Double.pi * Double(t % 24) / 24) + g.normal() }
}

@Suite struct RobustScaleTests {
    @Test func medianAndScaledMAD() {
        #expect(RobustScale.median([3, 1, 2]) == 2)
        #expect(RobustScale.median([4, 1, 3, 2]) == 2.5)
        // deviations from 3: 2,1,0,1,97 → median 1 → 1.4826
        #expect(abs(RobustScale.mad([1, 2, 3, 4, 100]) - 1.482602218505602) < 1e-15)
    }

    @Test func runningMediansMatchBruteForce() {
        var g = SeededGenerator(seed: 11)
        let x = (0..<200).map { _ in g.normal() }
        let centred = RobustScale.centredRunningMedian(x, window: 9)
        let trailing = RobustScale.trailingRunningMedian(x, window: 7)
        for i in 0..<x.count {
            let start = min(max(0, i - 4), x.count - 9)
            #expect(centred[i] == RobustScale.median(x[start..<(start + 9)]))
            if i > 0 { #expect(trailing[i] == RobustScale.median(x[max(0, i - 7)..<i])) }
        }
    }
}

@Suite struct BinomialTailTests {
    @Test func smallCasesByHand() {
        // X ~ Bin(3, 0.9): P(X ≤ 1) = 0.1³ + 3·0.9·0.1² = 0.028; P(X ≥ 3) = 0.729
        #expect(abs(BinomialTail.lower(1, trials: 3, probability: 0.9) - 0.028) < 1e-14)
        #expect(abs(BinomialTail.upper(3, trials: 3, probability: 0.9) - 0.729) < 1e-14)
        #expect(abs(BinomialTail.twoSided(2, trials: 3, probability: 0.9) - min(1, 2 * 0.271)) < 1e-14)
    }
}

@Suite struct AnomalyDetectorTests {
    @Test func seasonIsFoundWhereTheDataHaveOne() {
        let x = seasonalSeries(days: 10, seed: 1)
        #expect(SeasonalityChoice.strength(x, period: 24) > 0.9)
        #expect(SeasonalityChoice.choose(x, candidates: [24, 168]) == 24 || SeasonalityChoice.choose(x, candidates: [24, 168]) == 168)
        var g = SeededGenerator(seed: 2)
        let noise = (0..<240).map { _ in g.normal() }
        #expect(SeasonalityChoice.choose(noise, candidates: [24]) == 1)
    }

    @Test func spikeIsFoundWithItsStatisticsBatchAndOnline() throws {
        var x = seasonalSeries(days: 30, seed: 3)
        let clean = x[500]
        x[500] += 8
        for online in [false, true] {
            let found = AnomalyDetector.detect(x, options: .init(period: 24, online: online))
            let spike = try #require(found.first { $0.kind == .point && $0.start == 500 }, "online: \(online)")
            #expect(abs(spike.observed - x[500]) < 1e-12)
            #expect(spike.expectedLow < clean + 3 && spike.expectedHigh > clean - 3)
            #expect(spike.z > 5 && spike.adjustedPValue <= 0.01)
            #expect(abs(spike.adjustedPValue - min(1, spike.pValue * Double(spike.tests))) < 1e-15)
            #expect(spike.detector == (online ? "robust_seasonal_z_online" : "robust_seasonal_z"))
        }
    }

    /// α = 0.01 is the chance of any false alarm in a series without anomalies: over 100 seeded
    /// null series, P(more than 6 series with a finding | rate 0.01) < 1e-4.
    @Test func nullSeriesRarelyAlarmAtTheStatedRate() {
        var alarmed = 0, alarmedOnline = 0
        for seed in 0..<100 {
            let x = seasonalSeries(days: 20, seed: 1000 + UInt64(seed))
            if !AnomalyDetector.detect(x, options: .init(period: 24)).isEmpty { alarmed += 1 }
            if !AnomalyDetector.detect(x, options: .init(period: 24, online: true)).isEmpty { alarmedOnline += 1 }
        }
        #expect(alarmed <= 6)
        #expect(alarmedOnline <= 6)
    }

    @Test func levelShiftIsLocated() throws {
        var g = SeededGenerator(seed: 5)
        let x = (0..<800).map { t in (t >= 400 ? 3.0 : 0.0) + g.normal() }
        let found = AnomalyDetector.detect(x, options: .init(period: 1, window: 25))
        let shift = try #require(found.first { $0.kind == .levelShift })
        #expect(abs(shift.start - 400) <= 3)
        #expect(abs(shift.expected) < 0.3 && abs(shift.observed - 3) < 0.3)
        #expect(shift.detector == "binary_segmentation" && shift.severity == .high)
    }

    /// The online mode is causal: changing the future never changes what was found before it.
    @Test func onlineFindingsDoNotDependOnTheFuture() {
        var x = seasonalSeries(days: 20, seed: 7)
        x[200] += 9; x[300] -= 9
        var altered = x
        for t in 320..<altered.count { altered[t] += 50 * Double(t % 5) }
        // onsets before row 320 are the same (an episode may grow past 320, so only onsets compare)
        let a = AnomalyDetector.detect(x, options: .init(period: 24, online: true)).filter { $0.start < 320 }
        let b = AnomalyDetector.detect(altered, options: .init(period: 24, online: true)).filter { $0.start < 320 }
        #expect(a.map(\.start) == [200, 300])
        #expect(a.map(\.start) == b.map(\.start))
        #expect(a.first?.pValue == b.first?.pValue)
    }

    @Test func quietHourWithOneFailureIsNotARateAnomaly() {
        var g = SeededGenerator(seed: 9)
        var successes: [Double] = [], trials: [Double] = []
        for _ in 0..<300 {
            let n = 100.0
            successes.append(Double((0..<100).filter { _ in g.bernoulli(0.9) }.count)); trials.append(n)
        }
        successes[150] = 2; trials[150] = 3      // a quiet hour: 3 calls, 1 failed
        successes[220] = 55                      // a busy hour at 55% instead of 90%
        let found = AnomalyDetector.detectRates(successes: successes, trials: trials, options: .init(period: 1, window: 25))
        #expect(!found.contains { $0.start == 150 || $0.peak == 150 })
        #expect(found.contains { $0.peak == 220 && $0.severity == .high && $0.detector == "binomial_rate" })
    }
}
