import Foundation

/// The estimation objective `n·log Σε² + 2·Σ log|r_t|` evaluated straight from a search point,
/// without building parameters, states or a filter: where each free quantity sits in the point
/// is worked out once per fit, the seasonal ring lives in stack memory for the one pass, and
/// nothing is allocated on the heap per evaluation (the optimiser calls this ~10⁵ times per
/// auto fit). Performs the same floating-point operations in the same order as
/// ``ETSProblem/unpack(_:)`` followed by ``ETSRecursion/run(_:_:initial:y:)``, so the values are
/// identical; ``ETSProblem/referenceObjective(_:)`` keeps that slow form for the tests.
struct ETSObjective {
    private let spec: ETSSpec
    private let y: [Double]
    private let m: Int
    // Position of each free quantity in the point, or -1 when fixed (or absent from the model).
    private let alphaAt: Int, betaAt: Int, gammaAt: Int, phiAt: Int, levelAt: Int, trendAt: Int
    /// Position of the first of the m − 1 free seasonal states (contiguous), or -1.
    private let seasonalAt: Int
    private let fixedParameters: ETSParameters
    private let fixedState: ETSState?
    private let multiplicativeSeasonNeedsCheck: Bool

    init(problem: ETSProblem) {
        spec = problem.spec
        y = problem.y
        m = spec.season == .none ? 0 : problem.period
        let layout = problem.layout
        alphaAt = layout.firstIndex(of: .alpha) ?? -1
        betaAt = layout.firstIndex(of: .beta) ?? -1
        gammaAt = layout.firstIndex(of: .gamma) ?? -1
        phiAt = layout.firstIndex(of: .phi) ?? -1
        levelAt = layout.firstIndex(of: .level) ?? -1
        trendAt = layout.firstIndex(of: .trend) ?? -1
        seasonalAt = layout.firstIndex(of: .seasonal(0)) ?? -1
        let fixed = problem.fixed
        var p = ETSParameters(alpha: fixed.alpha ?? 0, beta: fixed.beta ?? 0, gamma: fixed.gamma ?? 0, phi: fixed.phi ?? 1)
        if spec.trend != .damped { p.phi = 1 }
        fixedParameters = p
        fixedState = fixed.initialState
        multiplicativeSeasonNeedsCheck = spec.season == .multiplicative && fixed.initialState == nil
    }

    /// The objective at `point`, or `.infinity` outside the admissible region (the same region
    /// and the same value as ``ETSProblem/referenceObjective(_:)``).
    func callAsFunction(_ point: [Double]) -> Double {
        point.withUnsafeBufferPointer { x in
            var p = fixedParameters
            let lo = 1e-4, hi = 1 - 1e-4
            if alphaAt >= 0 { p.alpha = x[alphaAt]; if !(p.alpha >= lo && p.alpha <= hi) { return .infinity } }
            if betaAt >= 0 { p.beta = x[betaAt]; if !(p.beta >= lo && p.beta <= hi) { return .infinity } }
            if gammaAt >= 0 { p.gamma = x[gammaAt]; if !(p.gamma >= lo && p.gamma <= max(lo, 1 - p.alpha)) { return .infinity } }
            if phiAt >= 0 { p.phi = x[phiAt]; if !(p.phi >= 0.8 && p.phi <= 0.98) { return .infinity } }
            var l = fixedState?.level ?? 0, b = fixedState?.trend ?? 0
            if levelAt >= 0 { l = x[levelAt] }
            if trendAt >= 0 { b = x[trendAt] }
            if spec.trend == .none { b = 0 }
            let value: Double? = withUnsafeTemporaryAllocation(of: Double.self, capacity: max(m, 1)) { ring in
                if m > 0 {
                    if seasonalAt >= 0 {
                        var total = 0.0
                        for j in 0..<(m - 1) { ring[j] = x[seasonalAt + j]; total += ring[j] }
                        ring[m - 1] = spec.season == .multiplicative ? Double(m) - total : -total
                    } else if let fixedState {
                        for j in 0..<m { ring[j] = fixedState.seasonal[j] }
                    }
                    if multiplicativeSeasonNeedsCheck {
                        for j in 0..<m where !(ring[j] > 0) { return nil }
                    }
                }
                return y.withUnsafeBufferPointer { y in pass(y, p, ring, &l, &b) }
            }
            guard let value else { return .infinity }
            return value.isNaN ? .infinity : value
        }
    }

    /// One pass of the recursions of ``ETSRecursion/run(_:_:initial:y:)`` keeping only the
    /// likelihood's sums; nil where that returns nil.
    @inline(__always)
    private func pass(_ y: UnsafeBufferPointer<Double>, _ p: ETSParameters, _ ring: UnsafeMutableBufferPointer<Double>,
                      _ l: inout Double, _ b: inout Double) -> Double? {
        var innovations = 0.0, logScale = 0.0
        var j = 0
        for t in 0..<y.count {
            var s = m == 0 ? 0 : ring[j]
            let mu = ETSRecursion.mean(spec, l + ETSRecursion.trendTerm(spec, b, p.phi), s)
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
            ETSRecursion.update(spec, p, l: &l, b: &b, s: &s, e: e)
            if m > 0 {
                ring[j] = s
                j += 1
                if j == m { j = 0 }
            }
        }
        return Double(y.count) * Foundation.log(innovations) + 2 * logScale
    }
}
