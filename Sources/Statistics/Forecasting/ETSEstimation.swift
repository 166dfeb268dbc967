import Foundation

/// Values the caller fixes instead of having them estimated (statsmodels' `fit(smoothing_level=…,
/// optimized=False)` and `initialization_method='known'`).
public struct ETSFixedValues: Sendable, Hashable {
    public var alpha: Double?
    public var beta: Double?
    public var gamma: Double?
    public var phi: Double?
    public var initialState: ETSState?
    public init(alpha: Double? = nil, beta: Double? = nil, gamma: Double? = nil, phi: Double? = nil, initialState: ETSState? = nil) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.phi = phi
        self.initialState = initialState
    }
}

/// Fitting ETS models by maximum likelihood and choosing one by AICc.
public enum ETS {
    /// Fits `spec` to `y` (seasonal period `period`; 1 for none) by maximum likelihood, jointly
    /// over the free smoothing parameters and initial states (m − 1 free seasonal states; the last
    /// makes them sum to 0, or to m when multiplicative). Nelder–Mead inside the usual region
    /// (α, β* in [10⁻⁴, 1 − 10⁻⁴], γ in [10⁻⁴, 1 − α], φ in [0.8, 0.98]), restarted from its own
    /// optimum until a restart improves −2 log-likelihood by less than 10⁻⁶ relative (at most
    /// ``ETSSearch/maxRuns`` runs). With everything fixed it only runs the recursions.
    public static func fit(_ y: [Double], spec: ETSSpec, period: Int, fixed: ETSFixedValues = .init()) throws -> ETSFit {
        var search = try ETSSearch(y: y, spec: spec, period: period, fixed: fixed)
        while search.restart() {}
        return try search.result()
    }

    /// Fits every candidate the data allow (default: all stable models; multiplicative ones only
    /// for positive data, seasonal ones only with a period ≥ 2 and two full seasons) and returns
    /// them best first by AICc, as R's `ets(model = "ZZZ")`. Every candidate is restarted to
    /// convergence: skipping the restarts of candidates whose first run trails the best by a
    /// margin was tried and changes the choice (restarts gained up to 520 AICc on the benchmark).
    public static func select(_ y: [Double], period: Int, fixed: ETSFixedValues = .init(),
                              candidates: [ETSSpec]? = nil) throws -> [ETSFit] {
        let positive = y.allSatisfy { $0 > 0 }
        let specs = candidates ?? ETSSpec.all.filter { spec in
            spec.isStable && (positive || !spec.needsPositiveData) && (spec.season == .none || (period >= 2 && y.count >= 2 * period))
                && (spec.trend != .none || fixed.beta == nil) && (spec.trend == .damped || fixed.phi == nil)
                && (spec.season != .none || fixed.gamma == nil)
        }
        var fits: [ETSFit] = []
        var lastError: Error?
        for spec in specs {
            do {
                let fit = try fit(y, spec: spec, period: period, fixed: fixed)
                if fit.aicc.isFinite { fits.append(fit) }
            } catch { lastError = error }
        }
        guard !fits.isEmpty else {
            throw lastError ?? NumericsError(.invalidData, "no ETS model can be fitted to \(y.count) observations with period \(period)")
        }
        return fits.sorted { $0.aicc < $1.aicc }
    }

    /// A starting state from the first seasons: the first season's mean as level, the change to
    /// the second season's mean per step as trend, each first-season value's deviation (or ratio)
    /// from that mean as seasonal states. Without a season: the first value and the mean slope of
    /// the first few steps.
    static func heuristicState(_ y: [Double], spec: ETSSpec, period m: Int) -> ETSState {
        guard spec.season != .none else {
            let k = min(y.count - 1, 4)
            return ETSState(level: y[0], trend: k > 0 ? (y[k] - y[0]) / Double(k) : 0)
        }
        let first = y[0..<m].reduce(0, +) / Double(m)
        let second = y.count >= 2 * m ? y[m..<(2 * m)].reduce(0, +) / Double(m) : first
        let seasonal = (0..<m).map { spec.season == .multiplicative ? y[$0] / first : y[$0] - first }
        return ETSState(level: first, trend: (second - first) / Double(m), seasonal: seasonal)
    }
}
