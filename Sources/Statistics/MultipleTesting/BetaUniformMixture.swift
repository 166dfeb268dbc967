import Foundation

/// The Beta-uniform mixture model of a family of p-values (Pounds & Morris 2003) and the local
/// false discovery rate it implies.
///
/// p-values are modelled as `f(p) = λ + (1 − λ)·a·p^(a−1)` with `0 ≤ λ ≤ 1`, `0 < a < 1`: a uniform
/// part (true nulls) plus a Beta(a, 1) part piled up near 0 (real effects). The fit maximises the
/// log-likelihood over a grid of `a` (log-spaced from 1e-3 to 0.999) with λ solved on a nested
/// golden-section search, then refined around the best cell. The null share is bounded above by
/// `π₀ = f(1) = λ + (1 − λ)·a` (the density where no real effect lives), and the local false
/// discovery rate at p, the posterior probability that a test with this p-value is a true null,
/// is `lfdr(p) = min(1, π₀ / f(p))` (Efron's two-group model with this π₀). It is conservative
/// (π₀ is an upper bound) and monotone in p.
public struct BetaUniformMixture: Sendable, Equatable {
    /// Weight of the uniform part.
    public let lambda: Double
    /// Shape of the Beta(a, 1) part.
    public let shape: Double
    /// Number of p-values fitted.
    public let count: Int

    /// The upper bound of the share of true nulls, `f(1)`.
    public var nullShare: Double { lambda + (1 - lambda) * shape }

    /// Smallest p-value used (smaller ones are clamped to it so that `p^(a−1)` stays finite).
    static let smallest = 1e-300

    /// Mixture density at p.
    public func density(_ p: Double) -> Double {
        let x = min(1, max(Self.smallest, p))
        return lambda + (1 - lambda) * shape * Foundation.exp((shape - 1) * Foundation.log(x))
    }

    /// Local false discovery rate at p, in [0, 1].
    public func localFDR(_ p: Double) -> Double {
        guard !p.isNaN else { return 1 }
        return min(1, nullShare / density(p))
    }

    /// Fits the mixture to `pValues` (NaN entries are dropped). With fewer than 2 values, or when
    /// the uniform alone fits best, the result is the uniform (λ = 1): every lfdr is 1.
    public static func fit(_ pValues: [Double]) -> BetaUniformMixture {
        let logs = pValues.filter { !$0.isNaN }.map { Foundation.log(min(1, max(smallest, $0))) }
        let n = logs.count
        guard n >= 2 else { return BetaUniformMixture(lambda: 1, shape: 1, count: n) }
        func logLikelihood(_ lambda: Double, _ a: Double) -> Double {
            var s = 0.0
            for l in logs { s += Foundation.log(lambda + (1 - lambda) * a * Foundation.exp((a - 1) * l)) }
            return s
        }
        /// Best λ for a given a (the log-likelihood is concave in λ): golden-section search.
        func bestLambda(_ a: Double) -> (lambda: Double, value: Double) {
            var lo = 0.0, hi = 1.0
            let g = (Foundation.sqrt(5.0) - 1) / 2
            var x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo)
            var f1 = logLikelihood(x1, a), f2 = logLikelihood(x2, a)
            for _ in 0..<40 {
                if f1 < f2 { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = logLikelihood(x2, a) }
                else { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = logLikelihood(x1, a) }
            }
            let candidates = [(lo + hi) / 2, 0, 1].map { ($0, logLikelihood($0, a)) }
            let best = candidates.max { $0.1 < $1.1 } ?? (1, 0)
            return (best.0, best.1)
        }
        var best = (lambda: 1.0, a: 1.0, value: 0.0)   // the uniform: log-likelihood 0
        let steps = 60
        var logA = [Double]()
        for k in 0..<steps { logA.append(Foundation.log(1e-3) + (Foundation.log(0.999) - Foundation.log(1e-3)) * Double(k) / Double(steps - 1)) }
        var bestK = -1
        for (k, la) in logA.enumerated() {
            let a = Foundation.exp(la)
            let (lambda, value) = bestLambda(a)
            if value > best.value + 1e-12 { best = (lambda, a, value); bestK = k }
        }
        if bestK >= 0 {
            // refine a within the neighbouring grid cells
            var lo = logA[max(0, bestK - 1)], hi = logA[min(steps - 1, bestK + 1)]
            for _ in 0..<30 {
                let m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3
                if bestLambda(Foundation.exp(m1)).value < bestLambda(Foundation.exp(m2)).value { lo = m1 } else { hi = m2 }
            }
            let a = Foundation.exp((lo + hi) / 2)
            let (lambda, value) = bestLambda(a)
            if value > best.value { best = (lambda, a, value) }
        }
        return BetaUniformMixture(lambda: best.lambda, shape: best.a, count: n)
    }

    public init(lambda: Double, shape: Double, count: Int) {
        self.lambda = lambda
        self.shape = shape
        self.count = count
    }
}
