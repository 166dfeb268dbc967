import Foundation
import Store

/// A ranked insight: a finding that survived the run's false discovery control (or a raw
/// difference that vanished after adjustment), with its calibrated confidence and rank.
public struct Insight: Codable, Sendable {
    public var category: InsightCategory
    /// The finding kind (`insight_type`).
    public var kind: String
    public var title: String
    public var description: String
    public var subject: [String: String]
    public var metric: String
    public var direction: EffectDirection
    /// The adjusted effect; for a vanished effect, the adjusted estimate that is not significant.
    public var effect: EffectEstimate
    public var rawEffect: Double?
    public var pValue: Double
    public var qValue: Double
    /// Probability that the adjusted effect is real and in `direction`: 1 − local FDR of its
    /// p-value (see the README, "Insights"). For a vanished effect, the same probability for the
    /// adjusted estimate, so it is low.
    public var confidence: Double
    public var volume: Int
    public var impact: Double
    /// Position by impact × confidence, 1 first (within the run; the store re-ranks open insights).
    public var rank: Int
    public var recommendedAction: String
    public var source: String
    public var fingerprint: String
    public var evidence: InsightEvidence

    /// Expected impact × confidence, the ranking key.
    public var score: Double { impact * confidence }

    enum CodingKeys: String, CodingKey {
        case category, kind, title, description, subject, metric, direction, effect, rawEffect = "raw_effect"
        case pValue = "p_value", qValue = "q_value", confidence, volume, impact, rank
        case recommendedAction = "recommended_action", source, fingerprint, evidence
    }

    /// Stable identity of a claim across runs: SHA-256 of kind, metric, direction and the subject's
    /// sorted key=value pairs. A reversed direction is a different claim.
    public static func fingerprint(kind: String, subject: [String: String], metric: String, direction: EffectDirection) -> String {
        let subjectText = subject.keys.sorted().map { "\($0)=\(subject[$0] ?? "")" }.joined(separator: "\u{1F}")
        let text = [kind, metric, direction.rawValue, subjectText].joined(separator: "\u{1E}")
        return MigrationRunner.checksum(Data(text.utf8))
    }
}

/// The evidence behind an insight, stored as `ai_performance_insights.evidence`.
public struct InsightEvidence: Codable, Sendable {
    public var method: String
    public var adjustedFor: [String]
    public var comparison: String
    public var rawPValue: Double?
    /// The run's data window (RFC 3339; `window_start` nil for all data).
    public var windowStart: String?
    public var windowEnd: String
    public var fdrLevel: Double
    public var hypotheses: Int
    /// The p-value model's null share π₀ and the local FDR of this insight.
    public var nullShare: Double
    public var localFDR: Double
    public var numbers: [String: Double]

    enum CodingKeys: String, CodingKey {
        case method, adjustedFor = "adjusted_for", comparison, rawPValue = "raw_p_value", windowStart = "window_start"
        case windowEnd = "window_end", fdrLevel = "fdr_level", hypotheses, nullShare = "null_share", localFDR = "local_fdr", numbers
    }
}
