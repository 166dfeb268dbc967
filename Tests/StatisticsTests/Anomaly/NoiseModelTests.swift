import Foundation
import Primitives
import Testing
@testable import Statistics

/// The noise models behind the detectors' stated false-alarm rate: weighted binary segmentation
/// (z by hand), the long-run standard deviation (not the MAD), Student-t tails for estimated
/// scales, and a null calibration on heavy-tailed, heteroscedastic daily series.
@Suite struct NoiseModelTests {
    /// Two segments with unequal precision: the weighted means, Π and z by hand.
    @Test func weightedShiftMatchesHandComputation() throws {
        let x = [1.0, 1.2, 0.8, 1.0, 3.0, 3.4, 2.6, 3.0]
        let w = [1.0, 2.0, 1.0, 4.0, 1.0, 1.0, 2.0, 2.0]
        let shifts = BinarySegmentation.shifts(x, precision: w, sigma: 0.5, minimumSegment: 3)
        let s = try #require(shifts.first)
        #expect(shifts.count == 1 && s.index == 4)
        // before: Σπx = 1 + 2.4 + 0.8 + 4 = 8.2 over Π₁ = 8; after: 3 + 3.4 + 5.2 + 6 = 17.6 over Π₂ = 6
        #expect(abs(s.meanBefore - 8.2 / 8) < 1e-12 && abs(s.meanAfter - 17.6 / 6) < 1e-12)
        #expect(s.precisionBefore == 8)
        let z = (17.6 / 6 - 8.2 / 8) / (0.5 * (1.0 / 8 + 1.0 / 6).squareRoot())
        #expect(abs(s.z - z) < 1e-12)
        // without weights: the plain two-sample z
        let plain = try #require(BinarySegmentation.shifts(x, sigma: 0.5, minimumSegment: 3).first)
        #expect(abs(plain.z - (3.0 - 1.0) / (0.5 * (0.5).squareRoot())) < 1e-12)
    }

    /// Alternating residuals have negative lag-1 correlation (clipped to 0): the scale is the
    /// sample standard deviation, with k − 1 degrees of freedom; a MAD would be different.
    @Test func longRunDeviationIsTheStandardDeviationForUncorrelatedNoise() {
        let r = [1.0, -1.0, 2.0, -2.0, 1.0, -1.0, 10.0, -10.0]
        let mean = r.reduce(0, +) / 8
        let sd = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7).squareRoot()
        let (scale, nu) = BinarySegmentation.longRunDeviation(r)
        #expect(abs(scale - sd) < 1e-12)
        #expect(nu == 7)
        #expect(abs(RobustScale.mad(r) - sd) > 1)
    }

    /// The point test's tail: Student's t with ν = 0.3675·(k − 1) for a MAD from k residuals.
    @Test func pointTailUsesTheScaleDegreesOfFreedom() {
        let b = SeasonalBaseline.fit((0..<91).map { Double($0 % 7) }, period: 1, window: 7)
        let nu = 0.3675 * 90
        #expect(abs(b.noiseDegreesOfFreedom[0] - nu) < 1e-12)
        #expect(abs(b.twoSidedP(5, at: 0) - 2 * StudentT(degreesOfFreedom: nu).sf(5)) < 1e-18)
        #expect(b.twoSidedP(5, at: 0) > 10 * 2 * Normal.upperTail(5))
    }

    /// 90 daily values whose noise sd is ∝ 1/√n (n is 60 on weekdays, 8 at weekends, as for a
    /// daily p95 or mean rating; normal noise: the model's assumption after the log or square
    /// root), the counts given as weights. α = 0.01 is per detector (points, level shifts), so a
    /// series alarms with probability at most 2α: at most 10 of 200 series may alarm
    /// (P(X > 10 | Binomial(200, 0.02)) ≈ 0.01; 8 alarm with this seed).
    @Test func heteroscedasticNullStaysAtTheStatedRate() {
        var g = SeededGenerator(seed: 90210)
        var alarmed = 0
        for _ in 0..<200 {
            let n = (0..<90).map { t in [60.0, 60, 60, 60, 60, 8, 8][t % 7] }
            let x = n.map { 5 + g.normal() * (30 / $0).squareRoot() * 0.1 }
            if !AnomalyDetector.detect(x, weights: n, options: .init(falseAlarmRate: 0.01, period: 1, window: 7)).isEmpty { alarmed += 1 }
        }
        #expect(alarmed <= 10, "\(alarmed) of 200 null series alarmed")
    }
}
