import Foundation
import Store

/// The headline figures of one window, each with the counts it rests on.
///
/// Definitions (every event counted by its own `created_at`, sessions by `started_at`, over
/// `[first day 00:00 UTC, day after last 00:00 UTC)`):
/// - `successRate`: share of interactions with `success = true` among those that reported success;
/// - `toolFailureRate`: share of tool calls with `success = false`;
/// - `acceptanceRate`: share of code generations accepted among those decided (`accepted` not NULL);
/// - `satisfaction`: mean `user_feedback.rating` (1–5 stars);
/// - `p95LatencyMs`: 95th percentile (`percentile_cont`) of `ai_interactions.response_time_ms`
///   among interactions that reported one.
/// A figure with nothing to rest on is nil ("no data"), never 0.
public struct KPISnapshot: Sendable, Equatable {
    public var window: DayWindow
    public var sessions: Int
    public var interactions: Int
    public var successReported: Int, successes: Int
    public var toolCalls: Int, toolFailures: Int
    public var decidedGenerations: Int, acceptedGenerations: Int
    public var ratings: Int
    public var satisfaction: Double?
    public var p95LatencyMs: Double?

    public var successRate: Double? { KPISnapshot.share(successes, successReported) }
    public var toolFailureRate: Double? { KPISnapshot.share(toolFailures, toolCalls) }
    public var acceptanceRate: Double? { KPISnapshot.share(acceptedGenerations, decidedGenerations) }

    static func share(_ k: Int, _ n: Int) -> Double? { n > 0 ? Double(k) / Double(n) : nil }

    /// Reads the figures of `window`.
    public static func read(_ connection: Connection, window: DayWindow) throws -> KPISnapshot {
        let sql = """
            WITH s AS (SELECT count(*) AS sessions FROM ai_sessions WHERE started_at >= $1::date AND started_at < $2::date),
            i AS (SELECT count(*) AS interactions, count(success) AS reported, count(*) FILTER (WHERE success) AS ok,
                         percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95
                    FROM ai_interactions WHERE created_at >= $1::date AND created_at < $2::date),
            t AS (SELECT count(*) AS calls, count(*) FILTER (WHERE NOT success) AS failures
                    FROM tool_usage_analytics WHERE created_at >= $1::date AND created_at < $2::date),
            g AS (SELECT count(accepted) AS decided, count(*) FILTER (WHERE accepted) AS accepted
                    FROM code_generation_events WHERE created_at >= $1::date AND created_at < $2::date),
            f AS (SELECT count(*) AS ratings, avg(rating)::float8 AS satisfaction
                    FROM user_feedback WHERE created_at >= $1::date AND created_at < $2::date)
            SELECT s.sessions, i.interactions, i.reported, i.ok, t.calls, t.failures, g.decided, g.accepted,
                   f.ratings, f.satisfaction, i.p95
              FROM s, i, t, g, f
            """
        guard let row = try connection.execute(sql, window.parameters).first else {
            throw StoreError(code: .invalidArgument, message: "the KPI query returned no row")
        }
        func count(_ i: Int) throws -> Int { try row.value(i, as: Int.self) ?? 0 }
        return KPISnapshot(
            window: window, sessions: try count(0), interactions: try count(1),
            successReported: try count(2), successes: try count(3), toolCalls: try count(4), toolFailures: try count(5),
            decidedGenerations: try count(6), acceptedGenerations: try count(7), ratings: try count(8),
            satisfaction: try row.value(9, as: Double.self), p95LatencyMs: try row.value(10, as: Double.self))
    }
}

/// One KPI now and in the previous window of equal length.
public struct KPIChange: Sendable, Equatable {
    /// Stable key (`success_rate`), the label shown, and whether higher is better.
    public var key: String, label: String
    public var higherIsBetter: Bool
    /// The unit the value is shown in: `count`, `rate` (0–1), `stars`, `ms`.
    public var unit: String
    public var current: Double?, previous: Double?

    /// `current − previous`, nil when either is missing.
    public var change: Double? {
        guard let current, let previous else { return nil }
        return current - previous
    }
    /// `(current − previous) / previous`, nil when either is missing or previous is 0.
    public var relativeChange: Double? {
        guard let current, let previous, previous != 0 else { return nil }
        return (current - previous) / previous
    }

    /// The dashboard's seven KPIs, in display order.
    public static func list(current c: KPISnapshot, previous p: KPISnapshot) -> [KPIChange] {
        [
            KPIChange(key: "sessions", label: "Sessions", higherIsBetter: true, unit: "count",
                      current: Double(c.sessions), previous: Double(p.sessions)),
            KPIChange(key: "interactions", label: "Interactions", higherIsBetter: true, unit: "count",
                      current: Double(c.interactions), previous: Double(p.interactions)),
            KPIChange(key: "success_rate", label: "Success rate", higherIsBetter: true, unit: "rate",
                      current: c.successRate, previous: p.successRate),
            KPIChange(key: "tool_failure_rate", label: "Tool failure rate", higherIsBetter: false, unit: "rate",
                      current: c.toolFailureRate, previous: p.toolFailureRate),
            KPIChange(key: "code_acceptance_rate", label: "Code acceptance rate", higherIsBetter: true, unit: "rate",
                      current: c.acceptanceRate, previous: p.acceptanceRate),
            KPIChange(key: "satisfaction", label: "Satisfaction (stars)", higherIsBetter: true, unit: "stars",
                      current: c.satisfaction, previous: p.satisfaction),
            KPIChange(key: "p95_latency_ms", label: "p95 latency", higherIsBetter: false, unit: "ms",
                      current: c.p95LatencyMs, previous: p.p95LatencyMs),
        ]
    }
}
