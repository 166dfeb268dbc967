import Foundation

/// Level shifts by binary segmentation of a Gaussian mean-change cost.
///
/// The cost of a segment is its residual sum of squares over σ² (−2 log-likelihood up to a
/// constant), so splitting [a, b) at k lowers it by n₁n₂/n · (m₁ − m₂)² / σ². A split is kept
/// when that reduction exceeds the penalty β = 2·log n (the BIC/Schwarz penalty for the one
/// extra mean, Yao 1988), and both parts have at least `minimumSegment` points; segments are
/// split again until no split pays. Each pass over a segment is O(length) with prefix sums.
///
/// σ is data-driven: the caller passes the noise scale (for series whose noise is autocorrelated,
/// the long-run σ, see `longRunScale`).
public enum BinarySegmentation {
    /// One detected shift: the first index of the new level and the two segments' statistics.
    public struct Shift: Sendable, Equatable {
        public let index: Int
        public let meanBefore: Double, meanAfter: Double
        public let countBefore: Int, countAfter: Int
        /// (m₂ − m₁) / (σ·√(1/n₁ + 1/n₂)).
        public let z: Double
    }

    /// The shifts of `x` (finite values only; the caller drops missing ones) in index order.
    public static func shifts(_ x: [Double], sigma: Double, minimumSegment: Int) -> [Shift] {
        let n = x.count
        let m = max(2, minimumSegment)
        guard n >= 2 * m, sigma > 0, sigma.isFinite else { return [] }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + x[i] }
        let penalty = 2 * log(Double(n))
        let s2 = sigma * sigma
        var cuts: [Int] = []
        var stack = [(0, n)]
        while let (a, b) = stack.popLast() {
            guard b - a >= 2 * m else { continue }
            let total = prefix[b] - prefix[a], len = Double(b - a)
            var best = -1, bestGain = 0.0
            for k in (a + m)...(b - m) {
                let n1 = Double(k - a), n2 = len - n1
                let m1 = (prefix[k] - prefix[a]) / n1, m2 = (total - (prefix[k] - prefix[a])) / n2
                let gain = n1 * n2 / len * (m1 - m2) * (m1 - m2) / s2
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
            let n1 = Double(k - a), n2 = Double(b - k)
            let m1 = (prefix[k] - prefix[a]) / n1, m2 = (prefix[b] - prefix[k]) / n2
            let z = (m2 - m1) / (sigma * (1 / n1 + 1 / n2).squareRoot())
            out.append(Shift(index: k, meanBefore: m1, meanAfter: m2, countBefore: k - a, countAfter: b - k, z: z))
        }
        return out
    }

    /// σ·√((1+ρ)/(1−ρ)): the long-run standard deviation of an AR(1)-like noise with robust
    /// scale σ = 1.4826·MAD and lag-1 autocorrelation ρ (clipped to [0, 0.98]) of `residuals`,
    /// so that slowly wandering noise is not mistaken for shifts of its mean.
    public static func longRunScale(_ residuals: [Double]) -> Double {
        let r = residuals.filter(\.isFinite)
        let sigma = RobustScale.mad(r)
        guard r.count >= 3, sigma > 0 else { return sigma }
        // ρ from a winsorised series (±3σ around the median) so single spikes do not decide it
        let med = RobustScale.median(r)
        let c = r.map { min(max($0 - med, -3 * sigma), 3 * sigma) }
        let mean = c.reduce(0, +) / Double(c.count)
        var num = 0.0, den = 0.0
        for i in 0..<c.count { den += (c[i] - mean) * (c[i] - mean); if i > 0 { num += (c[i] - mean) * (c[i - 1] - mean) } }
        let rho = den > 0 ? min(max(num / den, 0), 0.98) : 0
        return sigma * ((1 + rho) / (1 - rho)).squareRoot()
    }
}
