import Foundation
import Store

/// An insight as stored in `ai_performance_insights`, for `ail insights` and other readers.
public struct StoredInsight: Codable, Sendable {
    public var id: Int
    public var rank: Int?
    public var category: String
    public var kind: String
    public var title: String
    public var description: String
    public var subject: [String: String]
    public var metric: String?
    public var direction: String?
    public var effectEstimate: Double?
    public var effectConfLow: Double?
    public var effectConfHigh: Double?
    public var effectScale: String?
    public var rawEffect: Double?
    public var pValue: Double?
    public var qValue: Double?
    public var confidence: Double
    public var impact: Double?
    public var volume: Int?
    public var recommendedAction: String?
    public var status: String
    public var firstSeen: String
    public var lastSeen: String
    public var runsSeen: Int
    public var fingerprint: String
    /// The evidence as written by the engine; nil when the row's evidence has another shape
    /// (written by hand or by an older version).
    public var evidence: InsightEvidence?

    enum CodingKeys: String, CodingKey {
        case id, rank, category, kind = "insight_type", title, description, subject, metric, direction
        case effectEstimate = "effect_estimate", effectConfLow = "effect_conf_low", effectConfHigh = "effect_conf_high"
        case effectScale = "effect_scale", rawEffect = "raw_effect", pValue = "p_value", qValue = "q_value"
        case confidence = "confidence_score", impact = "impact_score", volume, recommendedAction = "recommended_action"
        case status, firstSeen = "first_seen", lastSeen = "last_seen", runsSeen = "runs_seen", fingerprint, evidence
    }
}

extension InsightStore {
    /// Open and acknowledged insights, best first (by rank: impact × confidence), optionally of
    /// one category and at least a confidence.
    public func current(category: InsightCategory? = nil, minConfidence: Double = 0, limit: Int? = nil) throws -> [StoredInsight] {
        let rows = try connection.execute("""
            SELECT id, rank, category, insight_type, title, description, subject::text, metric, direction, effect_estimate,
                   effect_conf_low, effect_conf_high, effect_scale, raw_effect, p_value, q_value, confidence_score,
                   impact_score, volume, recommended_action, status,
                   to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), runs_seen, fingerprint, evidence::text
              FROM ai_performance_insights
             WHERE status IN ('open', 'acknowledged') AND ($1::text IS NULL OR category = $1) AND confidence_score >= $2
             ORDER BY rank NULLS LAST, impact_score * confidence_score DESC NULLS LAST, id
             LIMIT $3
            """, [SQLValue(category?.rawValue), .double(minConfidence), limit.map(SQLValue.int) ?? .null])
        let decoder = JSONDecoder()
        func subject(_ text: String?) -> [String: String] {
            guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
            return object.mapValues { "\($0)" }
        }
        return try rows.map { r in
            StoredInsight(
                id: try r.value(0) ?? 0, rank: try r.value(1), category: r.text(2) ?? "", kind: r.text(3) ?? "",
                title: r.text(4) ?? "", description: r.text(5) ?? "", subject: subject(r.text(6)), metric: r.text(7),
                direction: r.text(8), effectEstimate: try r.value(9), effectConfLow: try r.value(10),
                effectConfHigh: try r.value(11), effectScale: r.text(12), rawEffect: try r.value(13), pValue: try r.value(14),
                qValue: try r.value(15), confidence: try r.value(16) ?? 0, impact: try r.value(17), volume: try r.value(18),
                recommendedAction: r.text(19), status: r.text(20) ?? "", firstSeen: r.text(21) ?? "", lastSeen: r.text(22) ?? "",
                runsSeen: try r.value(23) ?? 1, fingerprint: r.text(24) ?? "", evidence: r.text(25).flatMap { try? decoder.decode(InsightEvidence.self, from: Data($0.utf8)) })
        }
    }
}
