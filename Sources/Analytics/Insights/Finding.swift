import Foundation

/// The five kinds of insight the engine writes (`ai_performance_insights.category`).
public enum InsightCategory: String, Codable, Sendable, CaseIterable {
    case performance
    case userExperience = "user_experience"
    case learning
    case predictive
    case fairness
}

/// Which way an effect moves its metric; `none` for an effect that vanished after adjustment.
public enum EffectDirection: String, Codable, Sendable {
    case higher, lower, none
}

/// An estimated effect on a metric with its 95% interval, in the units of `scale`
/// (`probability` for a difference of rates, `rating points` for satisfaction).
public struct EffectEstimate: Codable, Sendable, Equatable {
    public var estimate: Double
    public var confLow: Double
    public var confHigh: Double
    public var scale: String

    public init(estimate: Double, confLow: Double, confHigh: Double, scale: String) {
        self.estimate = estimate
        self.confLow = confLow
        self.confHigh = confHigh
        self.scale = scale
    }

    enum CodingKeys: String, CodingKey {
        case estimate, confLow = "conf_low", confHigh = "conf_high", scale
    }
}

/// A candidate finding from one ``FindingSource``: a hypothesis with its p-value, before the run's
/// false discovery control decides whether it becomes an ``Insight`` and how confident it is.
///
/// `pValue` must be a valid two-sided p-value for "no effect" (uniform under that null), computed
/// on the adjusted estimate: the engine's confidence is only as good as these p-values.
public struct Finding: Sendable {
    /// Name of the source (`adjusted_effects`, later `patterns`, `anomalies`, …).
    public var source: String
    /// Finding kind, written as `insight_type` (e.g. `tool_success`); with subject, metric and
    /// direction it makes the fingerprint, so it must be stable across runs.
    public var kind: String
    public var category: InsightCategory
    /// What it is about, e.g. `["tool_name": "web_search"]`; written as a JSON object.
    public var subject: [String: String]
    /// The outcome: `tool_call_success`, `code_acceptance`, `session_success`, `satisfaction`, ….
    public var metric: String
    /// The adjusted effect (the claim).
    public var effect: EffectEstimate
    /// p-value of the adjusted effect.
    public var pValue: Double
    /// The unadjusted difference on the same scale, and its p-value, when the source has them.
    public var rawEffect: Double?
    public var rawPValue: Double?
    /// Events or sessions the effect applies to in the window.
    public var volume: Int
    /// Expected number of outcomes changed in the window: volume × |effect| (rating points count
    /// a quarter each: a full 1–5 scale step equals one outcome).
    public var impact: Double
    /// The subject in words, e.g. `run_tests calls with diagnostics context`.
    public var subjectText: String
    /// What the subject is compared with, e.g. `other tools`.
    public var comparisonText: String
    /// What to do, for an effect that raises and that lowers the metric.
    public var actionIfHigher: String
    public var actionIfLower: String
    /// How it was estimated (model, covariance, test).
    public var method: String
    /// Confounders the adjusted estimate accounts for.
    public var adjustedFor: [String]
    /// Further numbers for the evidence (counts, rates, coefficients).
    public var numbers: [String: Double]

    public init(source: String, kind: String, category: InsightCategory, subject: [String: String], metric: String,
                effect: EffectEstimate, pValue: Double, rawEffect: Double?, rawPValue: Double?, volume: Int,
                impact: Double, subjectText: String, comparisonText: String, actionIfHigher: String,
                actionIfLower: String, method: String, adjustedFor: [String], numbers: [String: Double]) {
        self.source = source
        self.kind = kind
        self.category = category
        self.subject = subject
        self.metric = metric
        self.effect = effect
        self.pValue = pValue
        self.rawEffect = rawEffect
        self.rawPValue = rawPValue
        self.volume = volume
        self.impact = impact
        self.subjectText = subjectText
        self.comparisonText = comparisonText
        self.actionIfHigher = actionIfHigher
        self.actionIfLower = actionIfLower
        self.method = method
        self.adjustedFor = adjustedFor
        self.numbers = numbers
    }
}
