import Foundation
import Store

/// One row of `ai_performance_insights` (migration 016) as the dashboard and report show it.
public struct InsightSummary: Sendable, Equatable {
    public var rank: Int?
    public var category: String
    public var insightType: String
    public var title: String
    public var confidence: Double
    public var impact: Double?
    public var recommendedAction: String?
    public var subject: String
    public var lastSeen: String

    /// Open and acknowledged insights, best first: by `rank` (unranked last), then expected
    /// impact × confidence, then confidence. Empty when the table has no such rows.
    public static func top(_ connection: Connection, limit: Int) throws -> [InsightSummary] {
        guard try SchemaProbe(connection).firstTable(["ai_performance_insights"]) != nil else { return [] }
        let sql = """
            SELECT rank, category, insight_type, title, confidence_score, impact_score, recommended_action,
                   subject::text, to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
              FROM ai_performance_insights
             WHERE status IN ('open', 'acknowledged') AND (expires_at IS NULL OR expires_at > now())
             ORDER BY rank NULLS LAST, coalesce(impact_score, 0) * confidence_score DESC, confidence_score DESC, id
             LIMIT $1
            """
        return try connection.execute(sql, [.int(limit)]).map { row in
            InsightSummary(rank: try row.value(0, as: Int.self), category: row.text(1) ?? "", insightType: row.text(2) ?? "",
                           title: row.text(3) ?? "", confidence: try row.value(4, as: Double.self) ?? 0,
                           impact: try row.value(5, as: Double.self), recommendedAction: row.text(6),
                           subject: row.text(7) ?? "{}", lastSeen: row.text(8) ?? "")
        }
    }
}
