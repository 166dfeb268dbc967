import Foundation

/// One pass of the ETS state recursions over a series: one-step fitted values, errors, the final
/// state and the likelihood.
///
/// Written in error-correction form with `e = y − μ` (Hyndman et al. 2008, Tables 2.2–2.3),
/// `q` the trend's contribution (0, `b` or `φb`) and `ℓ̃ = ℓ + q`:
/// `ℓ' = ℓ̃ + αe/r_s`, `b' = q + αβ*·e/r_s`, `s' = s + γe` (additive season) or
/// `s' = s + γe/ℓ̃` (multiplicative), with `r_s = s` for a multiplicative season and 1 otherwise.
/// These equal the Holt–Winters recursions statsmodels writes in smoothing form, and the state
/// updates of a multiplicative-error model are the same functions of `e` (only its likelihood
/// and the spread of its future paths differ).
public struct ETSFilter: Sendable {
    /// One-step fitted values `μ_t`.
    public let fitted: [Double]
    /// `y_t − μ_t`.
    public let residuals: [Double]
    /// The state after the last observation (seasonal states oldest first).
    public let finalState: ETSState
    /// Σ (y_t − μ_t)².
    public let sse: Double
    /// Σ ε_t², with ε_t = e_t (additive error) or e_t/μ_t (multiplicative error).
    public let innovationSumOfSquares: Double
    /// Σ log|μ_t| for a multiplicative-error model, 0 otherwise (the likelihood's Jacobian term).
    public let logScaleSum: Double

    /// The Gaussian log-likelihood with σ² at its maximum Σε²/n:
    /// `−n/2·(log(2πσ̂²) + 1) − Σ log|r_t|`.
    public var logLikelihood: Double {
        let n = Double(fitted.count)
        return -0.5 * n * (Foundation.log(2 * Double.pi * innovationSumOfSquares / n) + 1) - logScaleSum
    }
}

enum ETSRecursion {
    /// The trend's contribution `q` to the next level: 0, `b`, or `φb`.
    @inline(__always) static func trendTerm(_ spec: ETSSpec, _ b: Double, _ phi: Double) -> Double {
        switch spec.trend {
        case .none: return 0
        case .additive: return b
        case .damped: return phi * b
        }
    }

    /// The one-step mean from level-plus-trend `lt` and seasonal state `s`.
    @inline(__always) static func mean(_ spec: ETSSpec, _ lt: Double, _ s: Double) -> Double {
        switch spec.season {
        case .none: return lt
        case .additive: return lt + s
        case .multiplicative: return lt * s
        }
    }

    /// Advances `(l, b, s)` by one observation whose error is `e = y − μ`.
    @inline(__always) static func update(_ spec: ETSSpec, _ p: ETSParameters, l: inout Double, b: inout Double, s: inout Double, e: Double) {
        let q = trendTerm(spec, b, p.phi)
        let lt = l + q
        let scaled = spec.season == .multiplicative ? e / s : e
        l = lt + p.alpha * scaled
        if spec.trend != .none { b = q + p.alpha * p.beta * scaled }
        switch spec.season {
        case .none: break
        case .additive: s += p.gamma * e
        case .multiplicative: s += p.gamma * e / lt
        }
    }

    /// Runs the recursions over `y` from `initial`. Returns nil when a multiplicative model meets
    /// a non-positive mean or any value stops being finite (an inadmissible parameter set).
    static func run(_ spec: ETSSpec, _ p: ETSParameters, initial: ETSState, y: [Double]) -> ETSFilter? {
        let m = initial.seasonal.count
        var ring = initial.seasonal
        var l = initial.level, b = spec.trend == .none ? 0 : initial.trend
        var fitted = [Double](repeating: 0, count: y.count), residuals = fitted
        var sse = 0.0, innovations = 0.0, logScale = 0.0
        for t in 0..<y.count {
            var s = spec.season == .none ? 0 : ring[t % m]
            let mu = mean(spec, l + trendTerm(spec, b, p.phi), s)
            let e = y[t] - mu
            guard mu.isFinite, e.isFinite else { return nil }
            if spec.error == .multiplicative {
                guard mu > 0 else { return nil }
                innovations += (e / mu) * (e / mu)
                logScale += Foundation.log(mu)
            } else {
                innovations += e * e
            }
            if spec.season == .multiplicative, s == 0 { return nil }
            fitted[t] = mu
            residuals[t] = e
            sse += e * e
            update(spec, p, l: &l, b: &b, s: &s, e: e)
            if spec.season != .none { ring[t % m] = s }
        }
        let final = ETSState(level: l, trend: b, seasonal: (0..<m).map { ring[(y.count + $0) % m] })
        return ETSFilter(fitted: fitted, residuals: residuals, finalState: final, sse: sse,
                         innovationSumOfSquares: innovations, logScaleSum: logScale)
    }
}
