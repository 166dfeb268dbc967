import Foundation
import Store

/// What `analyze-patterns` reads from the database, one entry per session started in the window.
///
/// Attributes become items named `kind=value`: `context=TYPE` (a context_awareness_events row
/// of that type), `tool=NAME` (a tool call), `generation_type=TYPE` and `language=NAME` (a code
/// generation), `model=NAME` (an interaction served by it), `task_type=TYPE`, and `tag=TAG` for
/// each session tag other than the task type itself (which would repeat `task_type`).
public struct PatternData: Sendable {
    public struct Session: Sendable {
        public var sessionID: String
        public var startedAt: Date
        public var items: [String]
        /// No interaction and no tool call of the session reported a failure, and at least one
        /// reported an outcome; nil when none did (not counted as a success or a failure).
        public var succeeded: Bool?
        /// End rating (else the mean feedback rating of the session) of 4 or 5 stars; nil when unrated.
        public var satisfied: Bool?
        public var toolsUsed: Set<String>
        public var toolsFailed: Set<String>
        /// Tool names in call order (created_at, then id).
        public var toolSequence: [String]
    }

    /// One decided code generation (accepted true or false).
    public struct Generation: Sendable {
        public var session: Int
        public var generationType: String
        public var language: String?
        public var accepted: Bool
    }

    /// One error message with where and when it occurred.
    public struct ErrorOccurrence: Sendable {
        public var message: String
        /// The tool, or `interaction:TYPE` for an interaction that is not a tool call.
        public var source: String
        public var day: Int
        public var count: Int
        public var firstSeen: Date
        public var lastSeen: Date
    }

    public var sessions: [Session]
    public var generations: [Generation]
    public var errors: [ErrorOccurrence]
    /// Tool calls and non-tool interactions per UTC day (days since 1970-01-01): the exposure of error trends.
    public var callsPerDay: [Int: Int]

    /// Reads sessions started at or after `since` (all when nil).
    public static func load(_ connection: Connection, since: Date?) throws -> PatternData {
        let window: SQLValue = since.map { .timestamp($0) } ?? .null
        let sessionRows = try connection.execute("""
            SELECT s.session_id, s.started_at, s.task_type, s.tags,
                   ARRAY(SELECT DISTINCT c.context_type FROM context_awareness_events c WHERE c.session_id = s.session_id) AS contexts,
                   ARRAY(SELECT DISTINCT g.generation_type FROM code_generation_events g WHERE g.session_id = s.session_id) AS generation_types,
                   ARRAY(SELECT DISTINCT g.language FROM code_generation_events g WHERE g.session_id = s.session_id AND g.language IS NOT NULL) AS languages,
                   ARRAY(SELECT DISTINCT i.model_name FROM ai_interactions i WHERE i.session_id = s.session_id AND i.model_name IS NOT NULL) AS models,
                   ARRAY(SELECT t.tool_name FROM tool_usage_analytics t WHERE t.session_id = s.session_id ORDER BY t.created_at, t.id) AS tools,
                   ARRAY(SELECT DISTINCT t.tool_name FROM tool_usage_analytics t WHERE t.session_id = s.session_id AND NOT t.success) AS failed_tools,
                   (SELECT count(i.success) FROM ai_interactions i WHERE i.session_id = s.session_id) AS outcomes,
                   (SELECT count(*) FROM ai_interactions i WHERE i.session_id = s.session_id AND i.success = false) AS failures,
                   coalesce(s.end_rating::float8, (SELECT avg(f.rating)::float8 FROM user_feedback f WHERE f.session_id = s.session_id)) AS rating
              FROM ai_sessions s
             WHERE $1::timestamptz IS NULL OR s.started_at >= $1::timestamptz
             ORDER BY s.started_at, s.session_id
            """, [window])
        var sessions: [Session] = []
        var indexOf: [String: Int] = [:]
        for row in sessionRows {
            let id: String = try row.required("session_id")
            let taskType: String? = try row.value("task_type")
            var items = Set<String>()
            if let taskType { items.insert("task_type=" + taskType) }
            for tag in try row.value("tags", as: [String].self) ?? [] where tag != taskType { items.insert("tag=" + tag) }
            for c in try row.value("contexts", as: [String].self) ?? [] { items.insert("context=" + c) }
            for g in try row.value("generation_types", as: [String].self) ?? [] { items.insert("generation_type=" + g) }
            for l in try row.value("languages", as: [String].self) ?? [] { items.insert("language=" + l) }
            for m in try row.value("models", as: [String].self) ?? [] { items.insert("model=" + m) }
            let tools = try row.value("tools", as: [String].self) ?? []
            for t in Set(tools) { items.insert("tool=" + t) }
            let failedTools = Set(try row.value("failed_tools", as: [String].self) ?? [])
            let outcomes: Int = try row.required("outcomes"), failures: Int = try row.required("failures")
            let reported = outcomes + tools.count
            let succeeded: Bool? = reported == 0 ? nil : (failures == 0 && failedTools.isEmpty)
            let rating: Double? = try row.value("rating")
            indexOf[id] = sessions.count
            sessions.append(Session(sessionID: id, startedAt: try row.required("started_at"), items: items.sorted(),
                                    succeeded: succeeded, satisfied: rating.map { $0 >= 4 }, toolsUsed: Set(tools),
                                    toolsFailed: failedTools, toolSequence: tools))
        }

        var generations: [Generation] = []
        for row in try connection.execute("""
            SELECT g.session_id, g.generation_type, g.language, g.accepted
              FROM code_generation_events g JOIN ai_sessions s USING (session_id)
             WHERE g.accepted IS NOT NULL AND ($1::timestamptz IS NULL OR s.started_at >= $1::timestamptz)
             ORDER BY g.id
            """, [window]) {
            guard let session = indexOf[try row.required("session_id")] else { continue }
            generations.append(Generation(session: session, generationType: try row.required("generation_type"),
                                          language: try row.value("language"), accepted: try row.required("accepted")))
        }

        var errors: [ErrorOccurrence] = []
        for row in try connection.execute("""
            WITH e AS (
                SELECT t.error_message AS message, t.tool_name AS source, t.created_at
                  FROM tool_usage_analytics t JOIN ai_sessions s USING (session_id)
                 WHERE t.error_message IS NOT NULL AND ($1::timestamptz IS NULL OR s.started_at >= $1::timestamptz)
                UNION ALL
                SELECT i.error_message, 'interaction:' || i.interaction_type, i.created_at
                  FROM ai_interactions i JOIN ai_sessions s USING (session_id)
                 WHERE i.error_message IS NOT NULL AND i.interaction_type <> 'tool_call'
                   AND ($1::timestamptz IS NULL OR s.started_at >= $1::timestamptz)
            )
            SELECT message, source, ((created_at AT TIME ZONE 'UTC')::date - date '1970-01-01') AS day,
                   count(*) AS n, min(created_at) AS first_seen, max(created_at) AS last_seen
              FROM e GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, [window]) {
            errors.append(ErrorOccurrence(message: try row.required("message"), source: try row.required("source"),
                                          day: try row.required("day"), count: try row.required("n"),
                                          firstSeen: try row.required("first_seen"), lastSeen: try row.required("last_seen")))
        }

        var callsPerDay: [Int: Int] = [:]
        for row in try connection.execute("""
            WITH c AS (
                SELECT t.created_at FROM tool_usage_analytics t JOIN ai_sessions s USING (session_id)
                 WHERE $1::timestamptz IS NULL OR s.started_at >= $1::timestamptz
                UNION ALL
                SELECT i.created_at FROM ai_interactions i JOIN ai_sessions s USING (session_id)
                 WHERE i.interaction_type <> 'tool_call' AND ($1::timestamptz IS NULL OR s.started_at >= $1::timestamptz)
            )
            SELECT ((created_at AT TIME ZONE 'UTC')::date - date '1970-01-01') AS day, count(*) AS n FROM c GROUP BY 1
            """, [window]) {
            callsPerDay[try row.required("day")] = try row.required("n")
        }
        return PatternData(sessions: sessions, generations: generations, errors: errors, callsPerDay: callsPerDay)
    }
}
