/// The models ail trains, each with its documented feature query (printed by `ail models show`).
///
/// Context flags are "the session had reported this context type before the row's time"
/// (false is a fact, not a filled-in value). Counts of earlier events (failures, sessions) are
/// counts, so 0 is a real value. Values a client may not report (durations, complexity,
/// decision time) stay NULL and are handled as missing by the trainer, never as zero.
public enum ModelCatalog {
    /// Every model, in the order `ail train --all` fits them.
    public static let all: [ModelSpec] = [success, toolFailure, codeAcceptance, timeToDecision, satisfaction, satisfactionHigh]

    /// The model called `name`.
    public static func spec(named name: String) throws -> ModelSpec {
        guard let s = all.first(where: { $0.name == name }) else {
            throw ModelsError(.unknownModel, "unknown model '\(name)'; the models are: \(all.map(\.name).joined(separator: ", "))")
        }
        return s
    }

    /// First time each context type was reported in each session.
    static let contextCTE = """
        ctx AS (
            SELECT session_id,
                   min(created_at) FILTER (WHERE context_type = 'open_files') AS open_files_at,
                   min(created_at) FILTER (WHERE context_type = 'git_status') AS git_status_at,
                   min(created_at) FILTER (WHERE context_type = 'recent_changes') AS recent_changes_at,
                   min(created_at) FILTER (WHERE context_type = 'diagnostics') AS diagnostics_at
              FROM context_awareness_events GROUP BY session_id)
        """

    static func contextColumns(at time: String) -> String {
        ["open_files", "git_status", "recent_changes", "diagnostics"].map {
            "coalesce(c.\($0)_at <= \(time), false)::int AS ctx_\($0)"
        }.joined(separator: ",\n       ")
    }

    static let contextFeatures: [FeatureSpec] = [
        FeatureSpec("ctx_open_files", .indicator, "open files were reported in the session before this row"),
        FeatureSpec("ctx_git_status", .indicator, "git status was reported before this row"),
        FeatureSpec("ctx_recent_changes", .indicator, "recent changes were reported before this row"),
        FeatureSpec("ctx_diagnostics", .indicator, "diagnostics were reported before this row"),
    ]

    /// Interaction success (logistic, one row per interaction with a reported outcome).
    public static let success = ModelSpec(
        name: "success", kind: .logistic, response: "succeeded",
        features: [
            FeatureSpec("action", .categorical, "the interaction type, or tool:<name> for a tool call (tool:unknown when the call is not recorded)"),
            FeatureSpec("model_name", .categorical, "the assistant's model"),
            FeatureSpec("task_type", .categorical, "the session's task type"),
            FeatureSpec("weekday", .categorical, "UTC weekday (Mon … Sun)"),
            FeatureSpec("hour_utc", .continuous, "UTC hour of day"),
            FeatureSpec("log_prior_sessions", .continuous, "log(1 + the developer's earlier sessions): experience"),
            FeatureSpec("session_prior_failures", .continuous, "failed interactions earlier in the same session"),
        ] + contextFeatures,
        rowMeaning: "interaction", summary: "Will this interaction succeed?",
        query: """
        WITH \(contextCTE),
        sx AS (
            SELECT session_id, developer_id, task_type,
                   ln(row_number() OVER (PARTITION BY developer_id ORDER BY started_at, id))::float8 AS log_prior_sessions
              FROM ai_sessions),
        by_event AS (
            SELECT DISTINCT ON (interaction_event_id) interaction_event_id, tool_name
              FROM tool_usage_analytics WHERE interaction_event_id IS NOT NULL ORDER BY interaction_event_id, id),
        by_time AS (
            SELECT DISTINCT ON (session_id, created_at) session_id, created_at, tool_name
              FROM tool_usage_analytics ORDER BY session_id, created_at, id)
        SELECT i.event_id::text AS row_key, i.created_at AS occurred_at, s.developer_id, i.session_id,
               i.success::int AS succeeded,
               CASE WHEN i.interaction_type = 'tool_call' THEN 'tool:' || coalesce(te.tool_name, tt.tool_name, 'unknown')
                    ELSE i.interaction_type END AS action,
               i.model_name, s.task_type,
               to_char(i.created_at AT TIME ZONE 'UTC', 'Dy') AS weekday,
               extract(hour FROM i.created_at AT TIME ZONE 'UTC')::float8 AS hour_utc,
               s.log_prior_sessions,
               (count(*) FILTER (WHERE i.success = false) OVER (PARTITION BY i.session_id ORDER BY i.created_at, i.id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))::float8 AS session_prior_failures,
               \(contextColumns(at: "i.created_at"))
          FROM ai_interactions i
          JOIN sx s ON s.session_id = i.session_id
          LEFT JOIN ctx c ON c.session_id = i.session_id
          LEFT JOIN by_event te ON i.interaction_type = 'tool_call' AND te.interaction_event_id = i.event_id
          LEFT JOIN by_time tt ON i.interaction_type = 'tool_call' AND tt.session_id = i.session_id AND tt.created_at = i.created_at
        """)

    /// Tool failure (logistic, one row per tool call): per-tool context effects as nested slopes.
    public static let toolFailure = ModelSpec(
        name: "tool_failure", kind: .logistic, response: "failed",
        features: [
            FeatureSpec("tool_name", .categorical, "the tool"),
            FeatureSpec("task_type", .categorical, "the session's task type"),
            FeatureSpec("parameter_count", .continuous, "number of top-level keys (object) or items (array) of the parameters"),
            FeatureSpec("recent_failures", .continuous, "earlier failures of the same tool in the session"),
        ] + contextFeatures,
        interactions: [InteractionSpec("tool_name", "ctx_diagnostics"), InteractionSpec("tool_name", "ctx_open_files")],
        rowMeaning: "tool call", summary: "Will this tool call fail?",
        query: """
        WITH \(contextCTE)
        SELECT t.event_id::text AS row_key, t.created_at AS occurred_at, s.developer_id, t.session_id,
               (NOT t.success)::int AS failed,
               t.tool_name, s.task_type,
               (CASE jsonb_typeof(t.parameters) WHEN 'object' THEN (SELECT count(*) FROM jsonb_object_keys(t.parameters))
                     WHEN 'array' THEN jsonb_array_length(t.parameters) ELSE 0 END)::float8 AS parameter_count,
               (count(*) FILTER (WHERE NOT t.success) OVER (PARTITION BY t.session_id, t.tool_name ORDER BY t.created_at, t.id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))::float8 AS recent_failures,
               \(contextColumns(at: "t.created_at"))
          FROM tool_usage_analytics t
          JOIN ai_sessions s ON s.session_id = t.session_id
          LEFT JOIN ctx c ON c.session_id = t.session_id
        """)

    static let generationFeatures: [FeatureSpec] = [
        FeatureSpec("generation_type", .categorical, "function, class, test, migration, config or other"),
        FeatureSpec("language", .categorical, "the code's language"),
        FeatureSpec("log_lines", .continuous, "log(lines generated + 1)"),
        FeatureSpec("complexity", .continuous, "reported complexity (missing when not reported)"),
    ] + contextFeatures

    static let generationQuery = """
        WITH \(contextCTE)
        SELECT g.event_id::text AS row_key, g.created_at AS occurred_at, s.developer_id, g.session_id,
               g.accepted::int AS accepted,
               ln(g.time_to_decision_ms + 1)::float8 AS log_decision_ms,
               g.generation_type, g.language,
               ln(g.lines_generated + 1)::float8 AS log_lines,
               g.complexity::float8 AS complexity,
               \(contextColumns(at: "g.created_at"))
          FROM code_generation_events g
          JOIN ai_sessions s ON s.session_id = g.session_id
          LEFT JOIN ctx c ON c.session_id = g.session_id
        """

    /// Code acceptance (logistic, one row per decided generation).
    public static let codeAcceptance = ModelSpec(
        name: "code_acceptance", kind: .logistic, response: "accepted", features: generationFeatures,
        rowMeaning: "code generation", summary: "Will this generated code be accepted?", query: generationQuery)

    /// Time to decision (linear on log(ms + 1), one row per generation with a decision time).
    public static let timeToDecision = ModelSpec(
        name: "time_to_decision", kind: .linear, response: "log_decision_ms", features: generationFeatures,
        rowMeaning: "code generation", summary: "How long until the developer decides (log of ms + 1)?", query: generationQuery)

    static let satisfactionFeatures: [FeatureSpec] = [
        FeatureSpec("success_rate", .continuous, "share of the session's interactions that succeeded"),
        FeatureSpec("mean_latency_s", .continuous, "mean tool execution time in seconds (missing without timed tool calls)"),
        FeatureSpec("acceptance_rate", .continuous, "share of decided generations accepted (missing without decisions)"),
        FeatureSpec("tool_failures", .continuous, "failed tool calls in the session"),
        FeatureSpec("interactions", .continuous, "interactions in the session (its length)"),
        FeatureSpec("log_lines_generated", .continuous, "log(1 + lines of code generated in the session)"),
    ]

    static let satisfactionQuery = """
        WITH i AS (SELECT session_id, count(*) AS n, avg(success::int) AS success_rate FROM ai_interactions GROUP BY session_id),
             t AS (SELECT session_id, count(*) FILTER (WHERE NOT success) AS failures, avg(execution_time_ms) / 1000 AS latency
                     FROM tool_usage_analytics GROUP BY session_id),
             g AS (SELECT session_id, avg(accepted::int) AS acceptance_rate, sum(lines_generated) AS lines
                     FROM code_generation_events GROUP BY session_id)
        SELECT s.session_id AS row_key, coalesce(s.ended_at, s.started_at) AS occurred_at, s.developer_id, s.session_id,
               s.end_rating::float8 AS rating, (s.end_rating >= 4)::int AS satisfied,
               i.success_rate::float8 AS success_rate, t.latency::float8 AS mean_latency_s,
               g.acceptance_rate::float8 AS acceptance_rate,
               coalesce(t.failures, 0)::float8 AS tool_failures, coalesce(i.n, 0)::float8 AS interactions,
               ln(1 + coalesce(g.lines, 0))::float8 AS log_lines_generated
          FROM ai_sessions s
          LEFT JOIN i ON i.session_id = s.session_id
          LEFT JOIN t ON t.session_id = s.session_id
          LEFT JOIN g ON g.session_id = s.session_id
        """

    /// Satisfaction (linear on the 1–5 end-of-session rating, one row per rated session).
    public static let satisfaction = ModelSpec(
        name: "satisfaction", kind: .linear, response: "rating", features: satisfactionFeatures,
        rowMeaning: "session", summary: "How will the developer rate this session (1–5)?", query: satisfactionQuery)

    /// Satisfaction as a classifier: rating ≥ 4.
    public static let satisfactionHigh = ModelSpec(
        name: "satisfaction_high", kind: .logistic, response: "satisfied", features: satisfactionFeatures,
        rowMeaning: "session", summary: "Will the developer rate this session 4 or 5?", query: satisfactionQuery)
}
