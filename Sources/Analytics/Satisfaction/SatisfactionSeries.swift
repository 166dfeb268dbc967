import Foundation
import Store

/// A daily satisfaction series (mean rating per UTC day), overall or for one segment.
public struct SatisfactionSeries: Sendable {
    /// The segment value, nil for all developers.
    public let segment: String?
    /// `YYYY-MM-DD`, consecutive days.
    public let days: [String]
    /// Mean rating per day; days without ratings inside the range are linearly interpolated.
    public let values: [Double]
    public let ratings: Int
    /// Days without a rating that were interpolated.
    public let imputedDays: Int

    /// Builds the series from `(day, mean, count)` rows of consecutive days (gaps have count 0):
    /// leading and trailing days without ratings are dropped, inner ones interpolated.
    init(segment: String?, rows: [(day: String, mean: Double?, count: Int)]) {
        self.segment = segment
        let first = rows.firstIndex { $0.mean != nil } ?? rows.count
        let last = rows.lastIndex { $0.mean != nil } ?? -1
        let kept = first <= last ? Array(rows[first...last]) : []
        days = kept.map(\.day)
        var values = kept.map { $0.mean ?? .nan }
        var imputed = 0
        var i = 0
        while i < values.count {
            if values[i].isNaN {
                var j = i
                while values[j].isNaN { j += 1 }
                let a = values[i - 1], b = values[j]
                for k in i..<j { values[k] = a + (b - a) * Double(k - i + 1) / Double(j - i + 1) }
                imputed += j - i
                i = j
            }
            i += 1
        }
        self.values = values
        ratings = kept.reduce(0) { $0 + $1.count }
        imputedDays = imputed
    }

    /// The overall series from `satisfaction_metrics` (refresh it first).
    public static func overall(_ connection: Connection, since: String?) throws -> SatisfactionSeries {
        let result = try connection.execute("""
            SELECT to_char(day, 'YYYY-MM-DD'), avg_rating, ratings_count FROM satisfaction_metrics
             WHERE day >= COALESCE($1::date, '-infinity'::date) ORDER BY day
            """, [SQLValue(since)])
        return SatisfactionSeries(segment: nil, rows: try result.map { row in
            (row.text(0) ?? "", try row.value(1, as: Double.self), try row.value(2, as: Int.self) ?? 0)
        })
    }

    /// One series per segment value (`task_type`, `tool` — a rating counts for every tool its
    /// session used — or a session tag or context key such as `team`), computed from
    /// `user_feedback`; the `limit` segments with most ratings, most first.
    public static func segments(_ connection: Connection, by segment: String, since: String?, limit: Int = 6) throws -> [SatisfactionSeries] {
        let source: String
        switch segment {
        case "task_type":
            source = "SELECT f.id, s.task_type AS seg, f.rating, f.created_at FROM user_feedback f JOIN ai_sessions s USING (session_id)"
        case "tool":
            source = "SELECT DISTINCT f.id, t.tool_name AS seg, f.rating, f.created_at FROM user_feedback f JOIN tool_usage_analytics t USING (session_id)"
        default:
            let grouping = try FairnessGrouping.resolve(segment, connection: connection)
            guard grouping.source == .tag || grouping.source == .context else {
                throw FairnessReportError("--segment \(segment): segments are task_type, tool, or a session tag or context key")
            }
            source = "SELECT f.id, \(grouping.expression) AS seg, f.rating, f.created_at FROM user_feedback f JOIN ai_sessions s USING (session_id)"
        }
        let result = try connection.execute("""
            WITH x AS (SELECT seg, (created_at AT TIME ZONE 'UTC')::date AS day, rating FROM (\(source)) r
                        WHERE seg IS NOT NULL AND (created_at AT TIME ZONE 'UTC')::date >= COALESCE($1::date, '-infinity'::date)),
                 top AS (SELECT seg, count(*) AS n FROM x GROUP BY seg ORDER BY n DESC, seg LIMIT \(limit)),
                 bounds AS (SELECT min(day) AS lo, max(day) AS hi FROM x),
                 grid AS (SELECT top.seg, top.n, d::date AS day FROM top, bounds, generate_series(lo, hi, interval '1 day') d)
            SELECT grid.seg, to_char(grid.day, 'YYYY-MM-DD'), avg(x.rating)::float8, count(x.rating)::int
              FROM grid LEFT JOIN x ON x.seg = grid.seg AND x.day = grid.day
             GROUP BY grid.seg, grid.n, grid.day ORDER BY grid.n DESC, grid.seg, grid.day
            """, [SQLValue(since)])
        var order: [String] = [], rows: [String: [(day: String, mean: Double?, count: Int)]] = [:]
        for row in result {
            let seg = row.text(0) ?? ""
            if rows[seg] == nil { order.append(seg) }
            rows[seg, default: []].append((row.text(1) ?? "", try row.value(2, as: Double.self), try row.value(3, as: Int.self) ?? 0))
        }
        return order.map { SatisfactionSeries(segment: $0, rows: rows[$0] ?? []) }
    }
}
