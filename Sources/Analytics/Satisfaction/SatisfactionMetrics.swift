import Foundation
import Store

/// Maintains `satisfaction_metrics` (one row per UTC day) from `user_feedback` and `ai_sessions`.
public enum SatisfactionMetrics {
    /// What a refresh did.
    public struct RefreshSummary: Sendable, Equatable {
        /// Days the table now covers (first feedback or session day to the last, gaps included).
        public let days: Int
        /// Rows inserted or changed.
        public let changed: Int
        /// Rows removed because their day no longer has any data.
        public let removed: Int
    }

    /// Recomputes every day from the first to the last day with feedback or sessions, in one
    /// transaction: a day's row is written only when its values differ from what is stored, so
    /// a second refresh with no new data changes nothing (`changed == 0`), and days outside the
    /// range are removed. Days without ratings have `avg_rating` and `share_positive` NULL.
    public static func refresh(_ connection: Connection) throws -> RefreshSummary {
        try connection.transaction {
            let computed = """
                WITH f AS (
                    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, avg(rating)::float8 AS avg_rating, count(*)::int AS ratings_count,
                           avg((rating >= 4)::int)::float8 AS share_positive
                      FROM user_feedback GROUP BY 1),
                s AS (SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS sessions_count FROM ai_sessions GROUP BY 1),
                bounds AS (SELECT min(day) AS lo, max(day) AS hi FROM (SELECT day FROM f UNION ALL SELECT day FROM s) d),
                days AS (SELECT generate_series(lo, hi, interval '1 day')::date AS day FROM bounds WHERE lo IS NOT NULL)
                SELECT days.day, f.avg_rating, COALESCE(f.ratings_count, 0) AS ratings_count, f.share_positive,
                       COALESCE(s.sessions_count, 0) AS sessions_count
                  FROM days LEFT JOIN f USING (day) LEFT JOIN s USING (day)
                """
            let removed = try connection.execute("""
                DELETE FROM satisfaction_metrics m WHERE NOT EXISTS (SELECT 1 FROM (\(computed)) c WHERE c.day = m.day)
                """).affectedRows
            let changed = try connection.execute("""
                INSERT INTO satisfaction_metrics AS m (day, avg_rating, ratings_count, share_positive, sessions_count, computed_at)
                SELECT day, avg_rating, ratings_count, share_positive, sessions_count, now() FROM (\(computed)) c
                ON CONFLICT (day) DO UPDATE
                   SET avg_rating = EXCLUDED.avg_rating, ratings_count = EXCLUDED.ratings_count,
                       share_positive = EXCLUDED.share_positive, sessions_count = EXCLUDED.sessions_count, computed_at = now()
                 WHERE (m.avg_rating, m.ratings_count, m.share_positive, m.sessions_count)
                       IS DISTINCT FROM (EXCLUDED.avg_rating, EXCLUDED.ratings_count, EXCLUDED.share_positive, EXCLUDED.sessions_count)
                """).affectedRows
            let days = try connection.execute("SELECT count(*)::int FROM satisfaction_metrics").first?.value(0, as: Int.self) ?? 0
            return RefreshSummary(days: days, changed: changed, removed: removed)
        }
    }
}
