import Foundation
import Store

/// One UTC day's figures (same definitions as ``KPISnapshot``); a day with no events has zero
/// counts and nil rates, never a rate of 0.
public struct DailyPoint: Sendable, Equatable {
    public var day: Int64
    public var sessions: Int, interactions: Int
    public var successRate: Double?, toolFailureRate: Double?, acceptanceRate: Double?
    public var satisfaction: Double?, p95LatencyMs: Double?
    public var ratings: Int

    public var dayText: String { DayWindow.text(day) }

    /// The value of the series named `key` (a ``KPIChange/key``).
    public func value(_ key: String) -> Double? {
        switch key {
        case "sessions": return Double(sessions)
        case "interactions": return Double(interactions)
        case "success_rate": return successRate
        case "tool_failure_rate": return toolFailureRate
        case "code_acceptance_rate": return acceptanceRate
        case "satisfaction": return satisfaction
        case "p95_latency_ms": return p95LatencyMs
        default: return nil
        }
    }

    /// The keys `value(_:)` answers, in display order.
    public static let keys = ["sessions", "interactions", "success_rate", "tool_failure_rate",
                              "code_acceptance_rate", "satisfaction", "p95_latency_ms"]
}

/// Daily series over a window: one point per day, days without events included.
public enum DailySeries {
    public static func read(_ connection: Connection, window: DayWindow) throws -> [DailyPoint] {
        let sql = """
            WITH d AS (SELECT g::date AS day FROM generate_series($1::date, $2::date - 1, interval '1 day') g),
            s AS (SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM ai_sessions
                   WHERE started_at >= $1::date AND started_at < $2::date GROUP BY 1),
            i AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n, avg(success::int)::float8 AS ok,
                         percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95 FROM ai_interactions
                   WHERE created_at >= $1::date AND created_at < $2::date GROUP BY 1),
            t AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, avg((NOT success)::int)::float8 AS fail FROM tool_usage_analytics
                   WHERE created_at >= $1::date AND created_at < $2::date GROUP BY 1),
            g AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, avg(accepted::int)::float8 AS acc FROM code_generation_events
                   WHERE created_at >= $1::date AND created_at < $2::date GROUP BY 1),
            f AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, avg(rating)::float8 AS r, count(*) AS n FROM user_feedback
                   WHERE created_at >= $1::date AND created_at < $2::date GROUP BY 1)
            SELECT to_char(d.day, 'YYYY-MM-DD'), coalesce(s.n, 0), coalesce(i.n, 0), i.ok, t.fail, g.acc, f.r, i.p95, coalesce(f.n, 0)
              FROM d LEFT JOIN s USING (day) LEFT JOIN i USING (day) LEFT JOIN t USING (day)
                     LEFT JOIN g USING (day) LEFT JOIN f USING (day)
             ORDER BY d.day
            """
        return try connection.execute(sql, window.parameters).map { row in
            DailyPoint(day: DayWindow.day(row.text(0) ?? "") ?? 0,
                       sessions: try row.value(1, as: Int.self) ?? 0, interactions: try row.value(2, as: Int.self) ?? 0,
                       successRate: try row.value(3, as: Double.self), toolFailureRate: try row.value(4, as: Double.self),
                       acceptanceRate: try row.value(5, as: Double.self), satisfaction: try row.value(6, as: Double.self),
                       p95LatencyMs: try row.value(7, as: Double.self), ratings: try row.value(8, as: Int.self) ?? 0)
        }
    }
}
