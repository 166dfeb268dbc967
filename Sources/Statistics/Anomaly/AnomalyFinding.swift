import Foundation

/// How strong the evidence of an anomaly is, from its Bonferroni-adjusted tail probability
/// q = min(1, p·m) over the m points tested in the series, against the false-alarm rate α:
/// high when q ≤ α/100, medium when q ≤ α/10, low when q ≤ α.
public enum AnomalySeverity: String, Sendable, Codable, Comparable, CaseIterable {
    case low, medium, high

    static let order: [AnomalySeverity] = [.low, .medium, .high]
    public static func < (a: AnomalySeverity, b: AnomalySeverity) -> Bool {
        order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }

    /// The severity of adjusted probability `q` at false-alarm rate `alpha`, nil when q > α.
    public static func of(adjustedP q: Double, alpha: Double) -> AnomalySeverity? {
        if q <= alpha / 100 { return .high }
        if q <= alpha / 10 { return .medium }
        if q <= alpha { return .low }
        return nil
    }
}

/// What kind of departure a finding is.
public enum AnomalyKind: String, Sendable, Codable {
    /// One point or a short run of points far from the baseline.
    case point
    /// A lasting change of level (a change point).
    case levelShift = "level_shift"
}

/// One anomaly found in a series, with every statistic a later false-discovery step needs.
///
/// Indices refer to the series as given; `start` is the first flagged point of an episode (the
/// onset), `peak` the point with the smallest tail probability, whose `observed`, `expected`,
/// interval and probabilities are reported. For a level shift `start == peak` is the first
/// point of the new level, `expected` the mean before and `observed` the mean after.
public struct AnomalyFinding: Sendable, Codable, Equatable {
    public var kind: AnomalyKind
    public var start: Int
    public var peak: Int
    public var end: Int
    /// Points flagged in the episode (for a level shift, the points of the new segment).
    public var points: Int
    public var observed: Double
    public var expected: Double
    /// 95% interval for the expected value.
    public var expectedLow: Double
    public var expectedHigh: Double
    /// Standardised departure (observed − expected) / its standard deviation.
    public var z: Double
    /// Two-sided tail probability of the peak under the baseline (no adjustment).
    public var pValue: Double
    /// min(1, pValue · tests): Bonferroni over the points tested in the series.
    public var adjustedPValue: Double
    /// Points tested in the series (the Bonferroni factor).
    public var tests: Int
    public var severity: AnomalySeverity
    /// `robust_seasonal_z`, `binomial_rate`, `binary_segmentation`, each with `_online` in the
    /// causal mode.
    public var detector: String
}
