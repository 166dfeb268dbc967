import Foundation
import Testing
@testable import Statistics

/// Fisher's exact test, Wilson and Newcombe intervals, Benjamini–Hochberg and the Poisson trend,
/// each against values derived by hand (exact fractions) or published examples.
@Suite struct PatternStatisticsTests {
    @Test func fisherTeaTastingIsThirtyFourSeventieths() throws {
        // R's fisher.test example (tea tasting): margins 4/4/4/4, P(a = x) = C(4,x)C(4,4−x)/70 =
        // 1, 16, 36, 16, 1 over 70; the observed a = 3 has 16/70, so p = (1 + 16 + 16 + 1)/70.
        let p = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 3, b: 1, c: 1, d: 3))
        #expect(abs(p - 34.0 / 70.0) < 1e-14)
    }

    @Test func fisherFiveByFiveCountsTiesAtEqualProbability() throws {
        // margins 5/5/5/5: 1, 25, 100, 100, 25, 1 over 252; a = 4 has 25/252: p = 52/252.
        let p = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 4, b: 1, c: 1, d: 4))
        #expect(abs(p - 52.0 / 252.0) < 1e-14)
        // margins 5/2 rows, 5/2 columns, N = 7: P(3) = P(4) = 10/21 (a tie), P(5) = 1/21: p = 1.
        let tie = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 4, b: 1, c: 1, d: 1))
        #expect(abs(tie - 1) < 1e-12)
    }

    @Test func fisherCompleteSeparationIsTwoOverChoose20And10() throws {
        // Only a = 0 and a = 10 are as extreme: each has 1/C(20,10) = 1/184756.
        let p = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 0, b: 10, c: 10, d: 0))
        #expect(abs(p / (2.0 / 184_756.0) - 1) < 1e-10)
    }

    @Test func fisherMatchesScipyDocumentationTable() throws {
        // [[7, 17], [15, 5]]: the exact rational sum of the hypergeometric terms is 0.00576838675046995.
        let p = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 7, b: 17, c: 15, d: 5))
        #expect(abs(p / 0.00576838675046995 - 1) < 1e-10)
    }

    @Test func fisherLargeTableStaysFiniteAndEmptyMarginIsOne() throws {
        let p = try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 30_000, b: 20_000, c: 20_000, d: 30_000))
        #expect(p >= 0 && p < 1e-300 || p == 0)
        #expect(try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: 0, b: 0, c: 3, d: 4)) == 1)
        #expect(throws: NumericsError.self) { try FisherExactTest.twoSidedPValue(TwoByTwoTable(a: -1, b: 0, c: 3, d: 4)) }
    }

    @Test func wilsonAndNewcombeMatchNewcombe1998() throws {
        // Newcombe (1998a), 81/263: score interval 0.2553 to 0.3662.
        let w = try ProportionIntervals.wilson(successes: 81, trials: 263)
        #expect(abs(w.low - 0.2553) < 5e-5 && abs(w.high - 0.3662) < 5e-5)
        // Newcombe (1998b), example (a) 56/70 − 48/80, method 10: 0.0524 to 0.3339.
        let d = try ProportionIntervals.newcombeDifference(successes1: 56, trials1: 70, successes2: 48, trials2: 80)
        #expect(abs(d.estimate - 0.2) < 1e-15)
        #expect(abs(d.low - 0.0524) < 5e-5 && abs(d.high - 0.3339) < 5e-5)
        // n = 0 carries no information.
        #expect(try ProportionIntervals.wilson(successes: 0, trials: 0) == (0, 1))
    }

    @Test func logOddsRatioWoolfAndHaldane() throws {
        // [[4,1],[1,4]]: log(16), SE = √(1/4 + 1 + 1 + 1/4) = √2.5.
        let r = try ProportionIntervals.logOddsRatio(TwoByTwoTable(a: 4, b: 1, c: 1, d: 4))
        #expect(abs(r.estimate - log(16)) < 1e-14)
        #expect(abs(r.standardError - 2.5.squareRoot()) < 1e-14)
        // a zero cell: ½ added everywhere, log((0.5·4.5)/(10.5·... )) stays finite.
        let z = try ProportionIntervals.logOddsRatio(TwoByTwoTable(a: 0, b: 10, c: 4, d: 4))
        #expect(abs(z.estimate - log(0.5 * 4.5 / (10.5 * 4.5))) < 1e-14)
    }

    @Test func benjaminiHochbergByHand() throws {
        // sorted 0.005, 0.01, 0.03, 0.04 with m = 4: p·m/rank = 0.02, 0.02, 0.04, 0.04 (then running minimum from the top).
        let q = try BenjaminiHochberg.adjust([0.01, 0.04, 0.03, 0.005])
        let expected = [0.02, 0.04, 0.04, 0.02]
        for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-15) }
        // the running minimum: 0.5·3/2 = 0.75 would exceed 0.6·3/3 = 0.6, so it takes 0.6
        let r = try BenjaminiHochberg.adjust([0.5, 0.6, 0.001])
        #expect(abs(r[0] - 0.6) < 1e-15 && abs(r[1] - 0.6) < 1e-15 && abs(r[2] - 0.003) < 1e-15)
        #expect(try BenjaminiHochberg.adjust([]) == [])
        #expect(throws: NumericsError.self) { try BenjaminiHochberg.adjust([0.1, .nan]) }
        // untested hypotheses (nil) stay nil and are not counted in m: the same q as without them
        let partial = try BenjaminiHochberg.adjust(allowingUntested: [0.01, nil, 0.04, 0.03, nil, 0.005])
        let partialExpected: [Double?] = [0.02, nil, 0.04, 0.04, nil, 0.02]
        for (a, b) in zip(partial, partialExpected) { #expect(a == nil ? b == nil : abs(a! - b!) < 1e-15) }
    }

    @Test func poissonTrendTwoPointsIsSaturated() throws {
        // Two points fit exactly: β = log(40/10); Var β = 1/10 + 1/40 (inverse information), normal test.
        let fit = try PoissonTrend.fit(times: [0, 1], counts: [10, 40])
        #expect(abs(fit.slope - log(4)) < 1e-10)
        #expect(abs(fit.standardError - 0.125.squareRoot()) < 1e-10)
        #expect(abs(fit.pValue / 8.817034203828263e-05 - 1) < 1e-6)
        // Exposure: rates 10/100 and 40/200, so β = log 2 with the same variance.
        let rate = try PoissonTrend.fit(times: [0, 1], counts: [10, 40], exposure: [100, 200])
        #expect(abs(rate.slope - log(2)) < 1e-10)
        #expect(abs(rate.standardError - 0.125.squareRoot()) < 1e-10)
    }

    @Test func poissonTrendExactExponentialThreePoints() throws {
        // 10, 20, 40: the fit is exact, β = log 2, Pearson χ² = 0 so φ = 1; centred t = −1, 0, 1 gives
        // information [[70, 30], [30, 50]], Var β = 70/(70·50 − 30²) = 70/2600; t test on 1 df.
        let fit = try PoissonTrend.fit(times: [5, 6, 7], counts: [10, 20, 40])
        #expect(abs(fit.slope - log(2)) < 1e-10)
        #expect(abs(fit.standardError - (70.0 / 2600).squareRoot()) < 1e-10)
        #expect(fit.dispersion == 1)
        #expect(abs(fit.pValue / 0.14797737467399102 - 1) < 1e-6)
    }

    @Test func poissonTrendRefusesWhatHasNoSlope() {
        #expect(throws: NumericsError.self) { try PoissonTrend.fit(times: [0, 1, 2], counts: [0, 0, 0]) }
        #expect(throws: NumericsError.self) { try PoissonTrend.fit(times: [3, 3], counts: [1, 2]) }
        #expect(throws: NumericsError.self) { try PoissonTrend.fit(times: [0, 1, 2], counts: [0, 0, 9]) }
    }
}
