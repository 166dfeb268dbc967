import Foundation
import Primitives
import Store

/// When insights that are not found again expire.
public struct ExpiryPolicy: Sendable, Equatable {
    /// Expire after this many consecutive runs that did not find the insight.
    public var missedRuns: Int
    /// Expire when not found for this long (also written as `expires_at = last_seen + maxAge`).
    public var maxAge: TimeInterval

    public init(missedRuns: Int = 3, maxAge: TimeInterval = 14 * 86_400) {
        self.missedRuns = missedRuns
        self.maxAge = maxAge
    }
}

/// What writing one run changed.
public struct InsightWriteSummary: Codable, Sendable, Equatable {
    public var runID: Int
    public var inserted: Int
    public var updated: Int
    public var expired: Int
    public var open: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", inserted, updated, expired, open
    }
}

/// Writes and reads `ai_performance_insights` (migrations 016 and 024).
///
/// Dedupe: an insight's fingerprint is unique; a recurring insight updates its figures,
/// `last_seen`, `runs_seen` and `last_run_id` in place (keeping `first_seen`, and its status
/// unless it had expired, which reopens it). Every open or acknowledged insight the run did not
/// find gets `runs_missed + 1`; it expires (status `expired`, no rank) once `runs_missed` reaches
/// the policy's count or `last_seen` is older than its age. Open insights are then re-ranked by
/// impact × confidence. All of it is one transaction.
public struct InsightStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Records the run and writes its insights; `now` is the run's time (last_seen).
    public func write(_ result: InsightEngine.Result, context: FindingContext, fdr: Double, now: Date,
                      policy: ExpiryPolicy = ExpiryPolicy()) throws -> InsightWriteSummary {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stages = String(decoding: try encoder.encode(Dictionary(result.stageSeconds.map { ($0.stage, $0.seconds) },
                                                                    uniquingKeysWith: +)), as: UTF8.self)
        return try connection.transaction {
            let runID = try connection.execute("""
                INSERT INTO ai_insight_runs (started_at, window_start, window_end, fdr_level, hypotheses, null_share, stage_seconds)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id
                """, [.timestamp(now), SQLValue(context.since), .timestamp(context.until), .double(fdr),
                      .int(result.findings.count), .double(min(1, max(0, result.model.nullShare))), .json(stages)])
                .first?.value(0, as: Int.self) ?? 0
            var inserted = 0, updated = 0
            for insight in result.insights {
                let subject = String(decoding: try encoder.encode(insight.subject), as: UTF8.self)
                let evidence = String(decoding: try encoder.encode(insight.evidence), as: UTF8.self)
                let row = try connection.execute("""
                    INSERT INTO ai_performance_insights AS i
                      (category, insight_type, title, description, subject, evidence, confidence_score, impact_score, rank,
                       recommended_action, status, fingerprint, first_seen, last_seen, expires_at, metric, direction,
                       effect_scale, effect_estimate, effect_conf_low, effect_conf_high, raw_effect, p_value, q_value, volume,
                       source, runs_seen, runs_missed, last_run_id, window_start, window_end)
                    VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, 'open', $11, $12, $12, $13, $14, $15,
                            $16, $17, $18, $19, $20, $21, $22, $23, $24, 1, 0, $25, $26, $27)
                    ON CONFLICT (fingerprint) DO UPDATE SET
                      category = EXCLUDED.category, title = EXCLUDED.title, description = EXCLUDED.description,
                      subject = EXCLUDED.subject, evidence = EXCLUDED.evidence, confidence_score = EXCLUDED.confidence_score,
                      impact_score = EXCLUDED.impact_score, recommended_action = EXCLUDED.recommended_action,
                      status = CASE WHEN i.status = 'expired' THEN 'open' ELSE i.status END,
                      last_seen = EXCLUDED.last_seen, expires_at = EXCLUDED.expires_at, metric = EXCLUDED.metric,
                      effect_scale = EXCLUDED.effect_scale, effect_estimate = EXCLUDED.effect_estimate,
                      effect_conf_low = EXCLUDED.effect_conf_low, effect_conf_high = EXCLUDED.effect_conf_high,
                      raw_effect = EXCLUDED.raw_effect, p_value = EXCLUDED.p_value, q_value = EXCLUDED.q_value,
                      volume = EXCLUDED.volume, source = EXCLUDED.source, runs_seen = i.runs_seen + 1, runs_missed = 0,
                      last_run_id = EXCLUDED.last_run_id, window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end
                    RETURNING (xmax = 0) AS inserted
                    """, [
                        .text(insight.category.rawValue), .text(insight.kind), .text(insight.title), .text(insight.description),
                        .json(subject), .json(evidence), .double(insight.confidence), .double(max(0, insight.impact)),
                        .int(insight.rank), .text(insight.recommendedAction), .text(insight.fingerprint), .timestamp(now),
                        .timestamp(now.addingTimeInterval(policy.maxAge)), .text(insight.metric), .text(insight.direction.rawValue),
                        .text(insight.effect.scale), finite(insight.effect.estimate), finite(insight.effect.confLow),
                        finite(insight.effect.confHigh), finite(insight.rawEffect), .double(insight.pValue), .double(insight.qValue),
                        .int(insight.volume), .text(insight.source), .int(runID), SQLValue(context.since), .timestamp(context.until),
                    ])
                if try row.first?.value(0, as: Bool.self) == true { inserted += 1 } else { updated += 1 }
            }
            try connection.execute("""
                UPDATE ai_performance_insights SET runs_missed = runs_missed + 1
                 WHERE status IN ('open', 'acknowledged') AND last_run_id IS DISTINCT FROM $1
                """, [.int(runID)])
            let expired = try connection.execute("""
                UPDATE ai_performance_insights SET status = 'expired', rank = NULL
                 WHERE status IN ('open', 'acknowledged') AND (runs_missed >= $1 OR last_seen < $2)
                """, [.int(policy.missedRuns), .timestamp(now.addingTimeInterval(-policy.maxAge))]).affectedRows
            try connection.execute("""
                UPDATE ai_performance_insights i SET rank = r.position
                  FROM (SELECT id, row_number() OVER (ORDER BY impact_score * confidence_score DESC, confidence_score DESC, id) AS position
                          FROM ai_performance_insights WHERE status IN ('open', 'acknowledged')) r
                 WHERE i.id = r.id
                """)
            let open = try connection.execute("SELECT count(*) FROM ai_performance_insights WHERE status IN ('open', 'acknowledged')")
                .first?.value(0, as: Int.self) ?? 0
            try connection.execute("""
                UPDATE ai_insight_runs SET finished_at = greatest(started_at, now()), insights = $2, inserted = $3, updated = $4, expired = $5
                 WHERE id = $1
                """, [.int(runID), .int(result.insights.count), .int(inserted), .int(updated), .int(expired)])
            return InsightWriteSummary(runID: runID, inserted: inserted, updated: updated, expired: expired, open: open)
        }
    }

    private func finite(_ value: Double?) -> SQLValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }
}
