import Foundation
import Primitives

/// Forecasts from an ETS model with prediction intervals.
public struct ETSForecast: Sendable {
    /// One prediction interval at a nominal coverage (`level` = 0.95 for 95%).
    public struct Interval: Sendable, Hashable {
        public let level: Double
        public let lower: Double
        public let upper: Double
    }
    /// One forecast step.
    public struct Step: Sendable {
        public let horizon: Int
        /// The point forecast `ℓ_n + φ_h b_n ⊕ s_{n+h−m(k+1)}` (textbook formula, k = ⌊(h−1)/m⌋).
        public let mean: Double
        public let intervals: [Interval]
    }
    public let steps: [Step]
    /// How the intervals were computed: `analytic` (class 1 variance) or `simulated` (sample paths).
    public let intervalMethod: String
}

extension ETSForecast {
    /// Point forecasts for `horizon` steps from `state` (Hyndman & Athanasopoulos's formula).
    static func points(_ spec: ETSSpec, _ p: ETSParameters, state: ETSState, horizon: Int) -> [Double] {
        let m = state.seasonal.count
        var damp = 0.0, power = 1.0
        return (1...horizon).map { h in
            switch spec.trend {
            case .none: damp = 0
            case .additive: damp = Double(h)
            case .damped: power *= p.phi; damp += power
            }
            let lt = state.level + damp * state.trend
            return ETSRecursion.mean(spec, lt, spec.season == .none ? 0 : state.seasonal[(h - 1) % m])
        }
    }

    /// The h-step forecast variance of a class-1 (linear, additive-error) model:
    /// `v_h = σ²(1 + Σ_{j<h} c_j²)`, `c_j = α + αβ*·φ_j + γ·[j ≡ 0 mod m]`, `φ_j = φ + … + φ^j`
    /// (`j` without damping, 0 without trend) — Hyndman et al. (2008), Table 6.1.
    static func linearVariances(_ spec: ETSSpec, _ p: ETSParameters, sigma2: Double, period m: Int, horizon: Int) -> [Double] {
        var v = [Double](), sum = 0.0, phiJ = 0.0, power = 1.0
        for h in 1...horizon {
            v.append(sigma2 * (1 + sum))
            let j = h
            switch spec.trend {
            case .none: phiJ = 0
            case .additive: phiJ = Double(j)
            case .damped: power *= p.phi; phiJ += power
            }
            var c = p.alpha + p.alpha * p.beta * phiJ
            if spec.season != .none, m > 0, j % m == 0 { c += p.gamma }
            sum += c * c
        }
        return v
    }

    /// Quantiles of `paths` simulated future sample paths (Gaussian innovations with variance
    /// σ², entering additively or as `μ(1 + ε)`), seeded so a forecast is reproducible.
    static func simulatedQuantiles(_ spec: ETSSpec, _ p: ETSParameters, state: ETSState, sigma2: Double, horizon: Int,
                                   probabilities: [Double], paths: Int, seed: UInt64) -> [[Double]] {
        var generator = SplitMix64(seed: seed)
        var draws = [[Double]](repeating: [], count: horizon)
        let sigma = sigma2.squareRoot(), m = state.seasonal.count
        for _ in 0..<paths {
            var l = state.level, b = state.trend, ring = state.seasonal
            for h in 0..<horizon {
                var s = spec.season == .none ? 0 : ring[h % m]
                let mu = ETSRecursion.mean(spec, l + ETSRecursion.trendTerm(spec, b, p.phi), s)
                // Inverse-CDF draw; the open interval (0, 1) keeps the quantile finite.
                let u = (Double(generator.next() >> 11) + 0.5) / 9_007_199_254_740_992
                let z = sigma * Normal.standardQuantile(u)
                let e = spec.error == .multiplicative ? mu * z : z
                draws[h].append(mu + e)
                ETSRecursion.update(spec, p, l: &l, b: &b, s: &s, e: e)
                if spec.season != .none { ring[h % m] = s }
            }
        }
        return draws.map { column in
            let sorted = column.sorted()
            return probabilities.map { q in
                // Type-7 sample quantile (R's default).
                let position = q * Double(sorted.count - 1)
                let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
                return sorted[lo] + (position - Double(lo)) * (sorted[hi] - sorted[lo])
            }
        }
    }
}
