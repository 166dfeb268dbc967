import Foundation
import Primitives
import Statistics
import Store

/// The rows the adjusted-effects source models, read from the seed tables by binary COPY.
///
/// Every row carries its session's confounders: the developer (the cluster), the task type,
/// the session length (interactions in the session, as a category so any shape of its effect is
/// adjusted for), the day (a linear time trend) and which context types the session reported.
struct EffectData {
    /// Context types of `context_awareness_events` (its CHECK), in a fixed order.
    static let contextTypes = ["open_files", "git_status", "recent_changes", "diagnostics", "other"]

    /// Per-row session attributes shared by the three tables.
    struct SessionColumns {
        var developer: [Int] = []
        var task: [Int] = []
        var taskLevels: [String] = []
        var steps: [Double] = []
        var day: [Double] = []
        var context: [[Double]] = Array(repeating: [], count: EffectData.contextTypes.count)
    }

    struct ToolCalls {
        var session = SessionColumns()
        var tool: [Int] = []
        var toolLevels: [String] = []
        var success: [Double] = []
    }

    struct Generations {
        var session = SessionColumns()
        var type: [Int] = []
        var typeLevels: [String] = []
        var language: [Int] = []
        var languageLevels: [String] = []
        var logLines: [Double] = []
        var accepted: [Double] = []
    }

    struct Sessions {
        var session = SessionColumns()
        var rating: [Double] = []
        var failures: [Double] = []
        var meanLatencySeconds: [Double] = []
    }

    /// `created_at` (or `started_at`) within the window, as SQL.
    static func window(_ column: String, _ context: FindingContext) -> String {
        var parts = ["\(column) < timestamptz '\(TimestampText.format(secondsSince1970: context.until.timeIntervalSince1970))'"]
        if let since = context.since {
            parts.append("\(column) >= timestamptz '\(TimestampText.format(secondsSince1970: since.timeIntervalSince1970))'")
        }
        return parts.joined(separator: " AND ")
    }

    /// The sessions of the window with their confounders (a CTE named `sess`).
    static func sessionCTE(_ context: FindingContext) -> String {
        let flags = contextTypes.map { "bool_or(context_type = '\($0)') AS ctx_\($0)" }.joined(separator: ", ")
        let coalesced = contextTypes.map { "coalesce(cx.ctx_\($0), false) AS ctx_\($0)" }.joined(separator: ", ")
        return """
            WITH st AS (SELECT session_id, count(*) AS steps FROM ai_interactions GROUP BY session_id),
                 cx AS (SELECT session_id, \(flags) FROM context_awareness_events GROUP BY session_id),
                 sess AS (
                   SELECT s.session_id, coalesce(s.developer_id, 'session:' || s.session_id) AS developer,
                          coalesce(s.task_type, 'unknown') AS task_type,
                          coalesce(st.steps, 0)::int8 AS steps,
                          (extract(epoch FROM s.started_at) / 86400)::float8 AS day,
                          s.end_rating, \(coalesced)
                     FROM ai_sessions s LEFT JOIN st USING (session_id) LEFT JOIN cx USING (session_id)
                    WHERE \(window("s.started_at", context)))
            """
    }

    static let sessionSelect = "sess.developer, sess.task_type, sess.steps, sess.day, "
        + contextTypes.map { "sess.ctx_\($0)" }.joined(separator: ", ")

    static func toolCalls(_ context: FindingContext) throws -> ToolCalls {
        let frame = try PostgresFrame.read(context.connection, query: sessionCTE(context) + """
            SELECT t.tool_name, t.success, \(sessionSelect)
              FROM tool_usage_analytics t JOIN sess USING (session_id)
             WHERE \(window("t.created_at", context))
            """)
        var out = ToolCalls()
        out.session = try sessionColumns(frame)
        (out.tool, out.toolLevels) = try categorical(frame, "tool_name")
        out.success = try numbers(frame, "success")
        return out
    }

    static func generations(_ context: FindingContext) throws -> Generations {
        let frame = try PostgresFrame.read(context.connection, query: sessionCTE(context) + """
            SELECT g.generation_type, coalesce(g.language, 'unknown') AS language,
                   ln(1 + coalesce(g.lines_generated, 0))::float8 AS log_lines, g.accepted, \(sessionSelect)
              FROM code_generation_events g JOIN sess USING (session_id)
             WHERE g.accepted IS NOT NULL AND \(window("g.created_at", context))
            """)
        var out = Generations()
        out.session = try sessionColumns(frame)
        (out.type, out.typeLevels) = try categorical(frame, "generation_type")
        (out.language, out.languageLevels) = try categorical(frame, "language")
        out.logLines = try numbers(frame, "log_lines")
        out.accepted = try numbers(frame, "accepted")
        return out
    }

    /// Rated sessions with at least one tool call.
    static func sessions(_ context: FindingContext) throws -> Sessions {
        let frame = try PostgresFrame.read(context.connection, query: sessionCTE(context) + """
            , tu AS (SELECT session_id, count(*) FILTER (WHERE NOT success) AS failures,
                            avg(execution_time_ms) / 1000 AS latency
                       FROM tool_usage_analytics WHERE \(window("created_at", context)) GROUP BY session_id)
            SELECT sess.end_rating::float8 AS rating, tu.failures::float8 AS failures,
                   tu.latency::float8 AS latency, \(sessionSelect)
              FROM sess JOIN tu USING (session_id)
             WHERE sess.end_rating IS NOT NULL AND tu.latency IS NOT NULL
            """)
        var out = Sessions()
        out.session = try sessionColumns(frame)
        out.rating = try numbers(frame, "rating")
        out.failures = try numbers(frame, "failures")
        out.meanLatencySeconds = try numbers(frame, "latency")
        return out
    }

    static func sessionColumns(_ frame: DataFrame) throws -> SessionColumns {
        var s = SessionColumns()
        (s.developer, _) = try categorical(frame, "developer")
        (s.task, s.taskLevels) = try categorical(frame, "task_type")
        s.steps = try numbers(frame, "steps")
        s.day = try numbers(frame, "day")
        for (k, type) in contextTypes.enumerated() { s.context[k] = try numbers(frame, "ctx_\(type)") }
        return s
    }

    /// Codes (0-based, −1 for NULL) and levels of a text column.
    static func categorical(_ frame: DataFrame, _ name: String) throws -> ([Int], [String]) {
        let column = try frame.column(named: name)
        guard case .categorical(let codes, let levels) = column.values else {
            throw NumericsError(.invalidData, "column \(name) is not text")
        }
        return (codes.map(Int.init), levels)
    }

    /// A numeric, integer or boolean column as doubles (NULL as NaN).
    static func numbers(_ frame: DataFrame, _ name: String) throws -> [Double] {
        let column = try frame.column(named: name)
        var out: [Double]
        switch column.values {
        case .float64(let v): out = v
        case .int64(let v): out = v.map(Double.init)
        case .bool(let v): out = v.map { $0 ? 1 : 0 }
        default: throw NumericsError(.invalidData, "column \(name) is not numeric")
        }
        if column.validity != nil { for i in out.indices where !column.isValid(i) { out[i] = .nan } }
        return out
    }
}
