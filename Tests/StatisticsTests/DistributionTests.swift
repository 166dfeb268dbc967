import Foundation
import Testing
@testable import Statistics

@Suite struct DistributionTests {
    @Test func tableValuesFromMpmath() throws {
        // distributions.json: the table of generate_refs.py; _large/_extreme: large and extreme shapes
        let rows = try ["distributions.json", "distributions_large.json", "distributions_extreme.json"].flatMap { file in
            try #require(try Refdata.json(file) as? [[String: Any]])
        }
        var worst: [String: Double] = [:]
        for row in rows {
            let dist = row["dist"] as? String ?? "", fn = row["fn"] as? String ?? ""
            let params = try #require(row["params"] as? [Any]).map { Refdata.double($0) }
            let x = Refdata.double(row["x"]), expected = Refdata.double(row["value"])
            let d: any ContinuousDistribution
            switch dist {
            case "normal": d = Normal()
            case "t": d = StudentT(degreesOfFreedom: params[0])
            case "chi2": d = ChiSquared(degreesOfFreedom: params[0])
            default: d = FDistribution(numeratorDegreesOfFreedom: params[0], denominatorDegreesOfFreedom: params[1])
            }
            let got: Double
            switch fn {
            case "cdf": got = d.cdf(x)
            case "sf": got = d.sf(x)
            default: got = d.quantile(x)
            }
            let err = relErr(got, expected)
            let key = "\(dist).\(fn)"
            worst[key] = max(worst[key] ?? 0, err)
            // Relative 1e-12 everywhere, including the large-shape rows (ν = 10⁶, 10⁸; k = 10⁶;
            // F with 10⁷ df) and far tails; values below 1e-300 are not in the table.
            // The argument is a decimal that the double only approximates; mpmath used the decimal.
            // So allow for that input rounding on top of 1e-12: half an ulp of x moves a CDF by
            // pdf(x)·ulp/2 and a quantile by ulp/2/pdf (a full ulp is allowed). It matters only where
            // the problem is ill-conditioned (χ² with 10⁶ df at 1e-192: x·pdf/sf ≈ 2e4).
            let tolerance = fn == "quantile" ? 1e-12 * abs(expected) + x.ulp / d.pdf(expected)
                                             : 1e-12 * abs(expected) + x.ulp * d.pdf(x)
            #expect(abs(got - expected) <= tolerance || (expected == 0 && got == 0),
                    "\(dist) \(fn) \(params) at \(x): \(got) vs \(expected), relative error \(err)")
        }
        print("distribution worst relative errors:", worst.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.1e", $0.value))" }.joined(separator: " "))
    }

    @Test func farTails() {
        #expect(relErr(Normal().sf(10), 7.619853024160527e-24) < 1e-13)
        #expect(Normal().sf(37.5) > 0 && Normal().sf(37.5) < 1e-300)
        let p = 2 * StudentT(degreesOfFreedom: 394).sf(12)
        #expect(p > 1e-30 && p < 1e-25)
        #expect(relErr(Normal().cdf(Normal().quantile(1e-300)), 1e-300) < 1e-11)
    }
}

/// The continued fractions serve small shapes and the tail quadrature large ones; on both sides
/// of each switch point the two must agree, so a regression in either shows up here.
@Suite struct DistributionMethodBoundaryTests {
    @Test func continuousAcrossTheSwitch() {
        // the threshold itself takes the continued fraction, its next double up the quadrature
        // (a larger perturbation of the shape would itself move a far tail by more than 1e-12)
        for x in [0.05, 0.8, 2.0, 4.5, 9.0] {
            let nu = StudentT.quadratureThreshold
            let a = StudentT(degreesOfFreedom: nu).sf(x), b = StudentT(degreesOfFreedom: nu.nextUp).sf(x)
            #expect(relErr(a, b) < 1e-12, "t sf at \(x): \(a) vs \(b)")
        }
        let k = ChiSquared.quadratureThreshold
        for z in [-4.0, -1.0, 0.0, 1.0, 5.0] {
            let x = k + z * (2 * k).squareRoot()
            let lo = ChiSquared(degreesOfFreedom: k), hi = ChiSquared(degreesOfFreedom: k.nextUp)
            #expect(relErr(lo.sf(x), hi.sf(x)) < 1e-12, "chi2 sf at \(x)")
            #expect(relErr(lo.cdf(x), hi.cdf(x)) < 1e-12, "chi2 cdf at \(x): \(lo.cdf(x)) vs \(hi.cdf(x)); sf \(lo.sf(x)) vs \(hi.sf(x))")
        }
        let d = FDistribution.quadratureThreshold
        for (d1, x) in [(3.0, 0.2), (3.0, 2.5), (40.0, 0.7), (40.0, 1.6), (d, 0.95), (d, 1.08)] {
            let lo = FDistribution(numeratorDegreesOfFreedom: d1, denominatorDegreesOfFreedom: d)
            let hi = FDistribution(numeratorDegreesOfFreedom: d1 == d ? d.nextUp : d1, denominatorDegreesOfFreedom: d.nextUp)
            #expect(relErr(lo.sf(x), hi.sf(x)) < 1e-12, "F(\(d1)) sf at \(x): \(lo.sf(x)) vs \(hi.sf(x))")
            #expect(relErr(lo.cdf(x), hi.cdf(x)) < 1e-12, "F(\(d1)) cdf at \(x)")
        }
    }

    /// No mpmath reference could be computed for F(10⁷, 10⁷) near 1 (too slow at 90 digits), so
    /// check the exact identities there: X ~ F(d1, d2) ⇔ 1/X ~ F(d2, d1), and F(d, d) has median 1.
    @Test func reciprocalSymmetryWithHugeDegreesOfFreedom() {
        for (d1, d2) in [(1e7, 1e7), (1e7, 5.0), (3.0, 1e6), (2e3, 5e6)] {
            let f = FDistribution(numeratorDegreesOfFreedom: d1, denominatorDegreesOfFreedom: d2)
            let g = FDistribution(numeratorDegreesOfFreedom: d2, denominatorDegreesOfFreedom: d1)
            for x in [0.5, 0.999, 0.9995, 1.0, 1.0005, 1.002, 2.0] {
                #expect(relErr(f.cdf(x), g.sf(1 / x)) < 1e-12, "F(\(d1), \(d2)) at \(x): \(f.cdf(x)) vs \(g.sf(1 / x))")
                #expect(relErr(f.sf(x), g.cdf(1 / x)) < 1e-12, "F(\(d1), \(d2)) sf at \(x)")
            }
        }
        #expect(abs(FDistribution(numeratorDegreesOfFreedom: 1e7, denominatorDegreesOfFreedom: 1e7).cdf(1) - 0.5) < 1e-13)
    }

    @Test func quantilesInvertLargeShapes() {
        for p in [1e-30, 1e-8, 0.025, 0.5, 0.975] {
            let t = StudentT(degreesOfFreedom: 1e7)
            #expect(relErr(t.cdf(t.quantile(p)), p) < 1e-11)
            let c = ChiSquared(degreesOfFreedom: 5e5)
            #expect(relErr(c.cdf(c.quantile(p)), p) < 1e-9)
            let f = FDistribution(numeratorDegreesOfFreedom: 30, denominatorDegreesOfFreedom: 1e6)
            #expect(relErr(f.cdf(f.quantile(p)), p) < 1e-9)
        }
    }
}

/// Quantiles invert the CDF deep into both tails for small and moderate shapes, and degrees of
/// freedom outside (0, ∞) behave as the limits say: ν = ∞ is the normal, ν ≤ 0 has no distribution.
@Suite struct QuantileTailTests {
    @Test func quantilesRoundTripInFarTails() {
        // A quantile is checked where it is a normal double: the lower tails behave like p^{2/k}
        // (χ², F with k = d1) and the t tails like p^{−1/ν}; beyond 1e±300 the answer is 0 or ∞.
        func representable(_ log10Quantile: Double) -> Bool { abs(log10Quantile) < 300 }
        let ps = [1e-300, 1e-100, 1e-30, 1e-12, 1e-3, 0.3]
        for p in ps {
            for nu in [0.5, 1, 3, 30] where representable(-log10(p) / nu) {
                let t = StudentT(degreesOfFreedom: nu)
                #expect(relErr(t.cdf(t.quantile(p)), p) < 1e-10, "t(\(nu)) lower \(p)")
                #expect(relErr(t.sf(-t.quantile(p)), p) < 1e-10, "t(\(nu)) symmetric \(p)")
            }
            for k in [0.5, 1, 5, 100] where representable(2 / k * log10(p)) {
                let c = ChiSquared(degreesOfFreedom: k)
                #expect(relErr(c.cdf(c.quantile(p)), p) < 1e-10, "chi2(\(k)) lower \(p)")
                #expect(relErr(c.sf(c.quantile(1 - p)), 1 - (1 - p)) < 1e-10, "chi2(\(k)) upper \(p)")
            }
            for (a, b) in [(1.0, 1.0), (3, 7), (20, 400)] where representable(2 / a * log10(p)) {
                let f = FDistribution(numeratorDegreesOfFreedom: a, denominatorDegreesOfFreedom: b)
                #expect(relErr(f.cdf(f.quantile(p)), p) < 1e-10, "F(\(a),\(b)) lower \(p)")
            }
        }
        // past the range of doubles the quantile is the limit, not garbage
        #expect(StudentT(degreesOfFreedom: 0.5).quantile(1e-300) == -.infinity)
        #expect(ChiSquared(degreesOfFreedom: 0.5).quantile(1e-300) == 0)
        // upper quantiles: 1 − p is representable only to ε, so the check is on the upper tail
        for q in [1e-3, 1e-8, 1e-15] {
            let t = StudentT(degreesOfFreedom: 3)
            #expect(relErr(t.sf(t.quantile(1 - q)), q) < 1e-4 + 2 * Double.ulpOfOne / q, "t upper \(q)")
        }
    }

    /// F(20, 400) far below its mean, where the Stirling form of the beta prefactor used to take
    /// log(1 + u) of a 1 + u that had rounded (1e-6 wrong at x = 1e-10, 0 below 1e-17). Expected
    /// from the series I_x(a, b) = xᵃ/(a·B(a, b))·(1 + a(1−b)x/(a+1) + O(x²)), X = d1x/(d2+d1x).
    @Test func fLowerTailFarFromTheMean() {
        let f = FDistribution(numeratorDegreesOfFreedom: 20, denominatorDegreesOfFreedom: 400)
        let a = 10.0, b = 200.0
        let logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        for x in [1e-10, 1e-20, 1e-30] {
            let bigX = 20 * x / (400 + 20 * x)
            let expected = exp(a * log(bigX) - log(a) - logBeta) * (1 + a * (1 - b) * bigX / (a + 1))
            #expect(relErr(f.cdf(x), expected) < 1e-12, "F(20, 400) cdf at \(x)")
        }
        // and the t tail past t² overflowing: P(T > t) → ½(ν/t²)^{ν/2}/((ν/2)B(ν/2, ½)); ν = 1 is 1/(πt)
        #expect(relErr(StudentT(degreesOfFreedom: 1).sf(1e200), 1 / (Double.pi * 1e200)) < 1e-13)
    }

    /// F with d1 ≤ 2 and d2 past the quadrature threshold, below x = 1, where the density is
    /// unbounded at 0: F(1, ν) is T²(ν), so cdf(x) = 1 − 2·P(T > √x) checks it against the t code;
    /// the other values are scipy 1.x's.
    @Test func fWithSmallNumeratorAndLargeDenominator() {
        let f1 = FDistribution(numeratorDegreesOfFreedom: 1, denominatorDegreesOfFreedom: 2000)
        let t = StudentT(degreesOfFreedom: 2000)
        for x in [1e-6, 0.01, 0.5, 0.9] {
            #expect(relErr(f1.sf(x), 2 * t.sf(x.squareRoot())) < 1e-12, "F(1, 2000) sf at \(x)")
        }
        #expect(relErr(f1.cdf(0.01), 0.07964565213334232) < 1e-11)
        #expect(relErr(f1.cdf(1e-300), 7.977848314701339e-151) < 1e-11)
        #expect(relErr(f1.quantile(0.025), 0.0009823149063620444) < 1e-10)
        let half = FDistribution(numeratorDegreesOfFreedom: 0.5, denominatorDegreesOfFreedom: 2000)
        #expect(relErr(half.cdf(1e-5), 0.043865489771545724) < 1e-11)
        #expect(relErr(half.quantile(0.1), 0.00027010378290457895) < 1e-10)
        let two = FDistribution(numeratorDegreesOfFreedom: 2, denominatorDegreesOfFreedom: 5000)
        #expect(relErr(two.cdf(0.3), 0.259168445536998) < 1e-11)
    }

    @Test func degreesOfFreedomAtTheLimits() {
        let infinite = StudentT(degreesOfFreedom: .infinity), z = Normal()
        for x in [-40.0, -3, 0.5, 8] {
            #expect(relErr(infinite.cdf(x), z.cdf(x)) < 1e-15)
            #expect(relErr(infinite.sf(x), z.sf(x)) < 1e-15)
        }
        #expect(relErr(infinite.quantile(0.975), z.quantile(0.975)) < 1e-15)
        for bad in [0.0, -1, .nan] {
            #expect(StudentT(degreesOfFreedom: bad).cdf(1).isNaN)
            #expect(ChiSquared(degreesOfFreedom: bad).sf(1).isNaN)
            #expect(FDistribution(numeratorDegreesOfFreedom: bad, denominatorDegreesOfFreedom: 3).quantile(0.5).isNaN)
        }
    }
}
