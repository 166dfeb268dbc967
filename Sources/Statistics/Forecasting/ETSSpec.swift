/// An exponential-smoothing model in the ETS(error, trend, season) taxonomy of Hyndman,
/// Koehler, Ord & Snyder (2008), as R's forecast/fable name them: `ETS(A,Ad,M)` is additive
/// error, damped additive trend, multiplicative season. The short code (`AAdM`) is what
/// `ail forecast --model` accepts.
public struct ETSSpec: Hashable, Sendable, CustomStringConvertible {
    public enum Error: String, Sendable, CaseIterable { case additive = "A", multiplicative = "M" }
    public enum Trend: String, Sendable, CaseIterable { case none = "N", additive = "A", damped = "Ad" }
    public enum Season: String, Sendable, CaseIterable { case none = "N", additive = "A", multiplicative = "M" }

    public var error: Error
    public var trend: Trend
    public var season: Season

    public init(error: Error, trend: Trend, season: Season) {
        self.error = error
        self.trend = trend
        self.season = season
    }

    /// Parses a short code such as `ANN`, `AAdA` or `MAM` (case-insensitive).
    public init?(code: String) {
        let chars = Array(code.uppercased())
        guard chars.count == 3 || chars.count == 4, let e = Error(rawValue: String(chars[0])) else { return nil }
        let trendText = chars.count == 4 ? String(chars[1...2]) : String(chars[1])
        guard let t = Trend(rawValue: trendText == "AD" ? "Ad" : trendText),
              let s = Season(rawValue: String(chars[chars.count - 1])) else { return nil }
        self.init(error: e, trend: t, season: s)
    }

    /// `AAdM`.
    public var code: String { error.rawValue + trend.rawValue + season.rawValue }
    /// `ETS(A,Ad,M)`.
    public var description: String { "ETS(\(error.rawValue),\(trend.rawValue),\(season.rawValue))" }

    /// Additive-error models whose forecast variance has a closed form (Hyndman et al. 2008,
    /// class 1): no multiplicative component anywhere.
    public var isLinear: Bool { error == .additive && season != .multiplicative }

    /// Models R's `ets` leaves out of automatic selection because they are numerically unstable:
    /// additive error with multiplicative season (division by a seasonal state near zero).
    public var isStable: Bool { !(error == .additive && season == .multiplicative) }

    /// Whether the model needs strictly positive data (any multiplicative component).
    public var needsPositiveData: Bool { error == .multiplicative || season == .multiplicative }

    /// Every ETS model with additive or damped trend and none/additive/multiplicative season.
    public static var all: [ETSSpec] {
        Error.allCases.flatMap { e in Trend.allCases.flatMap { t in Season.allCases.map { ETSSpec(error: e, trend: t, season: $0) } } }
    }
}

/// Smoothing parameters in the recursion (Holt–Winters) form statsmodels uses: `alpha` smooths
/// the level, `beta` is Holt's trend smoothing β* (statsmodels' `smoothing_trend`; the ETS
/// error-correction coefficient is α·β*), `gamma` smooths the season (statsmodels'
/// `smoothing_seasonal`, the ETS γ), `phi` damps the trend. Unused ones are ignored.
public struct ETSParameters: Hashable, Sendable {
    public var alpha: Double
    public var beta: Double
    public var gamma: Double
    public var phi: Double
    public init(alpha: Double, beta: Double = 0, gamma: Double = 0, phi: Double = 1) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.phi = phi
    }
}

/// The state vector: level, trend, and the last `m` seasonal states. `seasonal[j]` is the state
/// used for the `j`-th observation after this state (oldest first), so for the initial state
/// `seasonal[0]` belongs to the first observation.
public struct ETSState: Hashable, Sendable {
    public var level: Double
    public var trend: Double
    public var seasonal: [Double]
    public init(level: Double, trend: Double = 0, seasonal: [Double] = []) {
        self.level = level
        self.trend = trend
        self.seasonal = seasonal
    }
}
