import Foundation

/// The estimation problem behind ``ETS/fit(_:spec:period:fixed:)``: which quantities are free,
/// how a search point maps to parameters and an initial state, and the objective
/// `n·log Σε² + 2·Σ log|r_t|` (−2 log-likelihood up to a constant; Hyndman et al. 2008, §5.2).
struct ETSProblem {
    enum Slot: Equatable { case alpha, beta, gamma, phi, level, trend, seasonal(Int) }

    let y: [Double]
    let spec: ETSSpec
    let period: Int
    let fixed: ETSFixedValues
    let layout: [Slot]
    let start: [Double]
    private let scale: Double

    init(y: [Double], spec: ETSSpec, period: Int, fixed: ETSFixedValues) throws {
        guard y.allSatisfy(\.isFinite) else { throw NumericsError(.invalidData, "the series has a missing or non-finite value") }
        guard period >= 1 else { throw NumericsError(.badArgument, "period must be at least 1; got \(period)") }
        if spec.season != .none {
            guard period >= 2 else { throw NumericsError(.badArgument, "\(spec) is seasonal: give a period of at least 2") }
        }
        let m = spec.season == .none ? 0 : period
        if spec.needsPositiveData, let bad = y.firstIndex(where: { $0 <= 0 }) {
            throw NumericsError(.invalidData, "\(spec) has a multiplicative component and needs positive data; observation \(bad + 1) is \(y[bad])")
        }
        for (name, value) in [("alpha", fixed.alpha), ("beta", fixed.beta), ("gamma", fixed.gamma)] {
            if let value, !(value >= 0 && value <= 1) { throw NumericsError(.badArgument, "\(name) must lie in [0, 1]; got \(value)") }
        }
        if let phi = fixed.phi, !(phi > 0 && phi <= 1) { throw NumericsError(.badArgument, "phi must lie in (0, 1]; got \(phi)") }
        if fixed.beta != nil, spec.trend == .none { throw NumericsError(.badArgument, "beta (trend smoothing) given but \(spec) has no trend") }
        if fixed.gamma != nil, spec.season == .none { throw NumericsError(.badArgument, "gamma (seasonal smoothing) given but \(spec) has no season") }
        if fixed.phi != nil, spec.trend != .damped { throw NumericsError(.badArgument, "phi (damping) given but \(spec) has no damped trend") }
        if let state = fixed.initialState {
            guard state.level.isFinite, state.trend.isFinite, state.seasonal.allSatisfy(\.isFinite) else {
                throw NumericsError(.badArgument, "the initial state has a non-finite value")
            }
            guard state.seasonal.count == m else {
                throw NumericsError(.badArgument, "the initial state has \(state.seasonal.count) seasonal values; \(spec) with period \(period) needs \(m)")
            }
        } else if m > 0, y.count < 2 * m {
            throw NumericsError(.invalidData, "\(spec) needs two full seasons (\(2 * m) observations) to start from; the series has \(y.count)")
        }
        var layout: [Slot] = []
        if fixed.alpha == nil { layout.append(.alpha) }
        if spec.trend != .none, fixed.beta == nil { layout.append(.beta) }
        if spec.season != .none, fixed.gamma == nil { layout.append(.gamma) }
        if spec.trend == .damped, fixed.phi == nil { layout.append(.phi) }
        if fixed.initialState == nil {
            layout.append(.level)
            if spec.trend != .none { layout.append(.trend) }
            if m > 0 { layout += (0..<(m - 1)).map { .seasonal($0) } }
        }
        guard y.count >= layout.count + 3 else {
            throw NumericsError(.invalidData, "\(spec) estimates \(layout.count) quantities; the series has only \(y.count) observations (needs at least \(layout.count + 3))")
        }
        self.y = y
        self.spec = spec
        self.period = period
        self.fixed = fixed
        self.layout = layout
        let mean = y.reduce(0, +) / Double(y.count)
        scale = max((y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(y.count)).squareRoot(), 1e-8 * max(abs(mean), 1))
        let guess = ETS.heuristicState(y, spec: spec, period: period)
        let alpha0 = fixed.alpha ?? (spec.season == .none ? 0.5 : 0.3)
        start = layout.map { slot in
            switch slot {
            case .alpha: return alpha0
            case .beta: return 0.1
            case .gamma: return min(0.1, 0.5 * (1 - alpha0))
            case .phi: return 0.95
            case .level: return guess.level
            case .trend: return guess.trend
            case .seasonal(let j): return guess.seasonal[j]
            }
        }
    }

    /// Simplex edges sized to each quantity: 0.1 for smoothing parameters, 0.02 for φ, a tenth of
    /// the series' standard deviation for states (relative for multiplicative seasonal states).
    func steps(around point: [Double]) -> [Double] {
        zip(layout, point).map { slot, value in
            switch slot {
            case .alpha, .beta, .gamma: return value > 0.5 ? -0.1 : 0.1
            case .phi: return value > 0.9 ? -0.02 : 0.02
            case .level: return 0.1 * scale
            case .trend: return 0.01 * scale
            case .seasonal: return spec.season == .multiplicative ? 0.02 : 0.1 * scale
            }
        }
    }

    /// Parameters and initial state at `point` (fixed values filled in; the last seasonal state
    /// normalises the others).
    func unpack(_ point: [Double]) -> (ETSParameters, ETSState) {
        var p = ETSParameters(alpha: fixed.alpha ?? 0, beta: fixed.beta ?? 0, gamma: fixed.gamma ?? 0, phi: fixed.phi ?? 1)
        if spec.trend != .damped { p.phi = 1 }
        var state = fixed.initialState ?? ETSState(level: 0, trend: 0, seasonal: [])
        let m = spec.season == .none ? 0 : period
        var seasonal = [Double](repeating: 0, count: max(m - 1, 0))
        for (slot, value) in zip(layout, point) {
            switch slot {
            case .alpha: p.alpha = value
            case .beta: p.beta = value
            case .gamma: p.gamma = value
            case .phi: p.phi = value
            case .level: state.level = value
            case .trend: state.trend = value
            case .seasonal(let j): seasonal[j] = value
            }
        }
        if fixed.initialState == nil, m > 0 {
            let total = seasonal.reduce(0, +)
            state.seasonal = seasonal + [spec.season == .multiplicative ? Double(m) - total : -total]
        }
        return (p, state)
    }

    /// Whether the estimated values lie in the usual region.
    private func admissible(_ p: ETSParameters, _ state: ETSState) -> Bool {
        let lo = 1e-4, hi = 1 - 1e-4
        for slot in layout {
            switch slot {
            case .alpha: if !(p.alpha >= lo && p.alpha <= hi) { return false }
            case .beta: if !(p.beta >= lo && p.beta <= hi) { return false }
            case .gamma: if !(p.gamma >= lo && p.gamma <= max(lo, 1 - p.alpha)) { return false }
            case .phi: if !(p.phi >= 0.8 && p.phi <= 0.98) { return false }
            default: break
            }
        }
        if spec.season == .multiplicative, fixed.initialState == nil, !state.seasonal.allSatisfy({ $0 > 0 }) { return false }
        return true
    }

    /// `n·log Σε² + 2·Σ log|r_t|`, or `.infinity` outside the admissible region, through
    /// ``unpack(_:)`` and a full ``ETSRecursion/run(_:_:initial:y:)``: the definition the
    /// allocation-free ``ETSObjective`` the optimiser uses is tested against.
    func referenceObjective(_ point: [Double]) -> Double {
        let (p, state) = unpack(point)
        guard admissible(p, state), let filter = ETSRecursion.run(spec, p, initial: state, y: y) else { return .infinity }
        let value = Double(y.count) * Foundation.log(filter.innovationSumOfSquares) + 2 * filter.logScaleSum
        return value.isNaN ? .infinity : value
    }
}
