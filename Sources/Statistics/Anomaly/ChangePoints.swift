import Foundation

/// Level shifts by binary segmentation of a Gaussian mean-change cost, with per-point precision.
///
/// Point t has noise variance σ²/πₜ (πₜ a relative precision: 1 for a homoscedastic series, the
/// number of calls behind a daily p95 or of ratings behind a daily mean over its median
/// otherwise). A segment's mean is the precision-weighted mean m = Σπx/Π, Π = Σπ, with variance
/// σ²/Π; the cost of a segment is its weighted residual sum of squares over σ², so splitting
/// [a, b) at k lowers it by (m₁ − m₂)² / (σ²·(1/Π₁ + 1/Π₂)) (n₁n₂/n·(m₁ − m₂)²/σ² when all π = 1).
/// A split is kept when that reduction exceeds the penalty β = 2·log n (the BIC/Schwarz penalty
/// for the one extra mean, Yao 1988), and both parts have at least `minimumSegment` points;
/// segments are split again until no split pays. Each pass over a segment is O(length) with
/// prefix sums.
///
/// σ is data-driven: the caller passes the noise scale (the long-run standard deviation, see
/// `longRunDeviation`), and judges each shift's z against Student's t with that estimate's
/// degrees of freedom.
public enum BinarySegmentation {
    /// One detected shift: the first index of the new level and the two segments' statistics.
    public struct Shift: Sendable, Equatable {
        public let index: Int
        public let meanBefore: Double, meanAfter: Double
        public let countBefore: Int, countAfter: Int
        /// Σπ of the segment before (equal to `countBefore` without weights).
        public let precisionBefore: Double
        /// (m₂ − m₁) / (σ·√(1/Π₁ + 1/Π₂)).
        public let z: Double
    }

    /// The shifts of `x` (finite values only; the caller drops missing ones) in index order.
    /// `precision` (one positive value per point, optional) weights the points.
    public static func shifts(_ x: [Double], precision: [Double]? = nil, sigma: Double, minimumSegment: Int) -> [Shift] {
        let n = x.count
        let m = max(2, minimumSegment)
        guard n >= 2 * m, sigma > 0, sigma.isFinite else { return [] }
        let w = precision.flatMap { $0.count == n && $0.allSatisfy({ $0 > 0 && $0.isFinite }) ? $0 : nil } ?? [Double](repeating: 1, count: n)
        var sx = [Double](repeating: 0, count: n + 1), sw = sx
        for i in 0..<n { sx[i + 1] = sx[i] + w[i] * x[i]; sw[i + 1] = sw[i] + w[i] }
        func stats(_ a: Int, _ b: Int) -> (mean: Double, weight: Double) { ((sx[b] - sx[a]) / (sw[b] - sw[a]), sw[b] - sw[a]) }
        let penalty = 2 * log(Double(n))
        let s2 = sigma * sigma
        var cuts: [Int] = []
        var stack = [(0, n)]
        while let (a, b) = stack.popLast() {
            guard b - a >= 2 * m else { continue }
            var best = -1, bestGain = 0.0
            for k in (a + m)...(b - m) {
                let (m1, w1) = stats(a, k), (m2, w2) = stats(k, b)
                let gain = (m1 - m2) * (m1 - m2) / (s2 * (1 / w1 + 1 / w2))
                if gain > bestGain { bestGain = gain; best = k }
            }
            if best >= 0, bestGain > penalty {
                cuts.append(best)
                stack.append((a, best)); stack.append((best, b))
            }
        }
        cuts.sort()
        let bounds = [0] + cuts + [n]
        var out: [Shift] = []
        for j in 1..<(bounds.count - 1) {
            let a = bounds[j - 1], k = bounds[j], b = bounds[j + 1]
            let (m1, w1) = stats(a, k), (m2, w2) = stats(k, b)
            let z = (m2 - m1) / (sigma * (1 / w1 + 1 / w2).squareRoot())
            out.append(Shift(index: k, meanBefore: m1, meanAfter: m2, countBefore: k - a, countAfter: b - k, precisionBefore: w1, z: z))
        }
        return out
    }

    /// The long-run standard deviation s·√((1+ρ)/(1−ρ)) of AR(1)-like noise and its degrees of
    /// freedom, from `residuals` (finite ones used).
    ///
    /// s is the sample standard deviation, not a MAD: a shift is a difference of segment means,
    /// whose variance is the noise variance over the count whatever the tails are; a MAD
    /// understates it for heavy-tailed noise (daily p95s of a few dozen calls, means of 1–5
    /// ratings), which is what made the no-regression scenario report shifts. ρ is the lag-1
    /// autocorrelation of the residuals winsorised at ±3 MAD-σ around their median (so single
    /// spikes do not decide it), clipped to [0, 0.98], so slowly wandering noise is not mistaken
    /// for shifts of its mean. Degrees of freedom: the effective count k(1−ρ)/(1+ρ) minus one.
    public static func longRunDeviation(_ residuals: [Double]) -> (scale: Double, degreesOfFreedom: Double) {
        let r = residuals.filter(\.isFinite)
        guard r.count >= 3 else { return (.nan, .nan) }
        let mean = r.reduce(0, +) / Double(r.count)
        let sd = (r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)).squareRoot()
        let sigma = RobustScale.mad(r)
        var rho = 0.0
        if sigma > 0 {
            let med = RobustScale.median(r)
            let c = r.map { min(max($0 - med, -3 * sigma), 3 * sigma) }
            let cm = c.reduce(0, +) / Double(c.count)
            var num = 0.0, den = 0.0
            for i in 0..<c.count { den += (c[i] - cm) * (c[i] - cm); if i > 0 { num += (c[i] - cm) * (c[i - 1] - cm) } }
            rho = den > 0 ? min(max(num / den, 0), 0.98) : 0
        }
        let factor = (1 + rho) / (1 - rho)
        return (sd * factor.squareRoot(), max(1, Double(r.count) / factor - 1))
    }
}
