-- 016_create_ai_learning_tracking.sql
-- The AI learning & analytics schema: sessions, the eight event/metric tables of the seed,
-- the insights table and the four analytics views.
--
-- Re-runnable: every statement is IF NOT EXISTS / OR REPLACE, so applying this file to a
-- database that already has it changes nothing and raises no error:
--   psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/016_create_ai_learning_tracking.sql
-- No BEGIN/COMMIT here: `ail migrate` wraps each file in its own transaction.
--
-- Conventions: timestamps are timestamptz; every event row carries event_id (uuid), its
-- idempotency key; what a client may not know is nullable and means "not reported", never 0.

-- ---------------------------------------------------------------------------------------------
-- Sessions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS ai_sessions (
    id                bigserial PRIMARY KEY,
    session_id        text NOT NULL UNIQUE CHECK (length(session_id) BETWEEN 1 AND 200),
    event_id          uuid UNIQUE,
    developer_id      text,
    started_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    task_type         text,
    context           jsonb NOT NULL DEFAULT '{}'::jsonb,
    tags              text[] NOT NULL DEFAULT '{}',
    end_rating        smallint CHECK (end_rating BETWEEN 1 AND 5),
    end_feedback_text text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
COMMENT ON TABLE ai_sessions IS 'One AI-assisted working session; every event row belongs to one.';
COMMENT ON COLUMN ai_sessions.id IS 'Surrogate key.';
COMMENT ON COLUMN ai_sessions.session_id IS 'Client-chosen session identifier (e.g. dev_session_001); unique.';
COMMENT ON COLUMN ai_sessions.event_id IS 'Idempotency key of the session_start event that created the row, if any.';
COMMENT ON COLUMN ai_sessions.developer_id IS 'Pseudonymous developer id: HMAC-SHA256 of the name under the installation key; the raw name is never stored.';
COMMENT ON COLUMN ai_sessions.started_at IS 'When the session started.';
COMMENT ON COLUMN ai_sessions.ended_at IS 'When the session ended; NULL while open.';
COMMENT ON COLUMN ai_sessions.task_type IS 'Kind of task (e.g. database_design, bugfix); free text, NULL if not reported.';
COMMENT ON COLUMN ai_sessions.context IS 'Development context given at start (JSON object).';
COMMENT ON COLUMN ai_sessions.tags IS 'Free-form tags.';
COMMENT ON COLUMN ai_sessions.end_rating IS 'Overall 1-5 star rating given when the session ended.';
COMMENT ON COLUMN ai_sessions.end_feedback_text IS 'Closing feedback text (secrets redacted).';
COMMENT ON COLUMN ai_sessions.created_at IS 'When the row was written.';
CREATE INDEX IF NOT EXISTS ai_sessions_started_at_idx ON ai_sessions (started_at);
CREATE INDEX IF NOT EXISTS ai_sessions_developer_idx ON ai_sessions (developer_id, started_at);

-- ---------------------------------------------------------------------------------------------
-- Interactions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS ai_interactions (
    id               bigserial PRIMARY KEY,
    event_id         uuid NOT NULL UNIQUE,
    session_id       text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    interaction_type text NOT NULL CHECK (interaction_type IN ('user_query', 'tool_call', 'code_generation', 'validation')),
    model_name       text,
    success          boolean,
    response_time_ms double precision CHECK (response_time_ms >= 0),
    tokens_in        integer CHECK (tokens_in >= 0),
    tokens_out       integer CHECK (tokens_out >= 0),
    error_type       text,
    error_message    text,
    context_tags     text[] NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE ai_interactions IS 'Every AI-user interaction: queries, tool calls, code generations, validations.';
COMMENT ON COLUMN ai_interactions.id IS 'Surrogate key.';
COMMENT ON COLUMN ai_interactions.event_id IS 'Idempotency key: a retried event with the same id is not stored twice.';
COMMENT ON COLUMN ai_interactions.session_id IS 'Owning session (ai_sessions.session_id).';
COMMENT ON COLUMN ai_interactions.interaction_type IS 'One of user_query, tool_call, code_generation, validation.';
COMMENT ON COLUMN ai_interactions.model_name IS 'Model that served the interaction; NULL if not reported.';
COMMENT ON COLUMN ai_interactions.success IS 'Whether the interaction succeeded; NULL if not reported.';
COMMENT ON COLUMN ai_interactions.response_time_ms IS 'Response time in milliseconds (>= 0); NULL if not reported.';
COMMENT ON COLUMN ai_interactions.tokens_in IS 'Prompt tokens (>= 0); NULL if not reported.';
COMMENT ON COLUMN ai_interactions.tokens_out IS 'Completion tokens (>= 0); NULL if not reported.';
COMMENT ON COLUMN ai_interactions.error_type IS 'Error class when it failed (e.g. timeout).';
COMMENT ON COLUMN ai_interactions.error_message IS 'Error text (secrets redacted).';
COMMENT ON COLUMN ai_interactions.context_tags IS 'Tags describing the work context.';
COMMENT ON COLUMN ai_interactions.created_at IS 'When the interaction happened.';
CREATE INDEX IF NOT EXISTS ai_interactions_created_at_idx ON ai_interactions (created_at);
CREATE INDEX IF NOT EXISTS ai_interactions_session_idx ON ai_interactions (session_id, created_at);
CREATE INDEX IF NOT EXISTS ai_interactions_type_idx ON ai_interactions (interaction_type, created_at);

-- ---------------------------------------------------------------------------------------------
-- Tool usage
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS tool_usage_analytics (
    id                   bigserial PRIMARY KEY,
    event_id             uuid NOT NULL UNIQUE,
    session_id           text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    interaction_event_id uuid,
    tool_name            text NOT NULL CHECK (length(tool_name) BETWEEN 1 AND 200),
    success              boolean NOT NULL,
    execution_time_ms    double precision CHECK (execution_time_ms >= 0),
    error_type           text,
    error_message        text,
    parameters           jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tool_usage_analytics IS 'One row per tool call made by the assistant (grep, read_file, bash, ...).';
COMMENT ON COLUMN tool_usage_analytics.id IS 'Surrogate key.';
COMMENT ON COLUMN tool_usage_analytics.event_id IS 'Idempotency key.';
COMMENT ON COLUMN tool_usage_analytics.session_id IS 'Owning session.';
COMMENT ON COLUMN tool_usage_analytics.interaction_event_id IS 'The interaction (ai_interactions.event_id) the call belongs to, if known; not a foreign key because it may arrive later.';
COMMENT ON COLUMN tool_usage_analytics.tool_name IS 'Tool name as the assistant reports it.';
COMMENT ON COLUMN tool_usage_analytics.success IS 'Whether the call succeeded.';
COMMENT ON COLUMN tool_usage_analytics.execution_time_ms IS 'Execution time in milliseconds (>= 0); NULL if not reported.';
COMMENT ON COLUMN tool_usage_analytics.error_type IS 'Error class when it failed.';
COMMENT ON COLUMN tool_usage_analytics.error_message IS 'Error text (secrets redacted).';
COMMENT ON COLUMN tool_usage_analytics.parameters IS 'Call parameters (JSON object).';
COMMENT ON COLUMN tool_usage_analytics.created_at IS 'When the call happened.';
CREATE INDEX IF NOT EXISTS tool_usage_created_at_idx ON tool_usage_analytics (created_at);
CREATE INDEX IF NOT EXISTS tool_usage_tool_idx ON tool_usage_analytics (tool_name, created_at);
CREATE INDEX IF NOT EXISTS tool_usage_session_idx ON tool_usage_analytics (session_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- Code generation
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS code_generation_events (
    id                  bigserial PRIMARY KEY,
    event_id            uuid NOT NULL UNIQUE,
    session_id          text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    generation_id       text,
    file_path           text,
    generation_type     text NOT NULL CHECK (generation_type IN ('function', 'class', 'test', 'migration', 'config', 'other')),
    language            text,
    lines_generated     integer CHECK (lines_generated >= 0),
    complexity          double precision CHECK (complexity >= 0),
    accepted            boolean,
    decided_at          timestamptz,
    time_to_decision_ms double precision CHECK (time_to_decision_ms >= 0),
    lines_modified      integer CHECK (lines_modified >= 0),
    created_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE code_generation_events IS 'Code the assistant generated and whether the developer accepted it.';
COMMENT ON COLUMN code_generation_events.id IS 'Surrogate key.';
COMMENT ON COLUMN code_generation_events.event_id IS 'Idempotency key.';
COMMENT ON COLUMN code_generation_events.session_id IS 'Owning session.';
COMMENT ON COLUMN code_generation_events.generation_id IS 'Client id of the generation, used to record the accept/reject decision later.';
COMMENT ON COLUMN code_generation_events.file_path IS 'File the code was written to.';
COMMENT ON COLUMN code_generation_events.generation_type IS 'One of function, class, test, migration, config, other.';
COMMENT ON COLUMN code_generation_events.language IS 'Programming language (e.g. swift, sql); NULL if not reported.';
COMMENT ON COLUMN code_generation_events.lines_generated IS 'Lines generated (>= 0); NULL if not reported.';
COMMENT ON COLUMN code_generation_events.complexity IS 'Complexity score (>= 0, e.g. cyclomatic); NULL if not reported.';
COMMENT ON COLUMN code_generation_events.accepted IS 'true accepted, false rejected, NULL not yet decided.';
COMMENT ON COLUMN code_generation_events.decided_at IS 'When the accept/reject decision was made.';
COMMENT ON COLUMN code_generation_events.time_to_decision_ms IS 'Milliseconds from generation to decision (>= 0); NULL if not reported.';
COMMENT ON COLUMN code_generation_events.lines_modified IS 'Lines the developer changed after accepting (>= 0).';
COMMENT ON COLUMN code_generation_events.created_at IS 'When the code was generated.';
CREATE INDEX IF NOT EXISTS code_generation_created_at_idx ON code_generation_events (created_at);
CREATE INDEX IF NOT EXISTS code_generation_session_idx ON code_generation_events (session_id, created_at);
CREATE INDEX IF NOT EXISTS code_generation_type_idx ON code_generation_events (generation_type, language);
CREATE INDEX IF NOT EXISTS code_generation_generation_idx ON code_generation_events (generation_id);

-- ---------------------------------------------------------------------------------------------
-- Feedback
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS user_feedback (
    id                   bigserial PRIMARY KEY,
    event_id             uuid NOT NULL UNIQUE,
    session_id           text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    interaction_event_id uuid,
    rating               smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    feedback_text        text,
    context_tags         text[] NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE user_feedback IS '1-5 star feedback from developers, optionally about one interaction.';
COMMENT ON COLUMN user_feedback.id IS 'Surrogate key.';
COMMENT ON COLUMN user_feedback.event_id IS 'Idempotency key.';
COMMENT ON COLUMN user_feedback.session_id IS 'Owning session.';
COMMENT ON COLUMN user_feedback.interaction_event_id IS 'The interaction rated, if the rating is about one.';
COMMENT ON COLUMN user_feedback.rating IS 'Stars, 1 (worst) to 5 (best).';
COMMENT ON COLUMN user_feedback.feedback_text IS 'Free text (secrets redacted).';
COMMENT ON COLUMN user_feedback.context_tags IS 'Tags describing the kind of work rated.';
COMMENT ON COLUMN user_feedback.created_at IS 'When the feedback was given.';
CREATE INDEX IF NOT EXISTS user_feedback_created_at_idx ON user_feedback (created_at);
CREATE INDEX IF NOT EXISTS user_feedback_session_idx ON user_feedback (session_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- Context awareness
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS context_awareness_events (
    id              bigserial PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    session_id      text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    context_type    text NOT NULL CHECK (context_type IN ('open_files', 'git_status', 'recent_changes', 'diagnostics', 'other')),
    context_data    jsonb NOT NULL DEFAULT '{}'::jsonb,
    relevance_score double precision CHECK (relevance_score BETWEEN 0 AND 1),
    created_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE context_awareness_events IS 'Development context the assistant saw (open files, git status, diagnostics, ...).';
COMMENT ON COLUMN context_awareness_events.id IS 'Surrogate key.';
COMMENT ON COLUMN context_awareness_events.event_id IS 'Idempotency key.';
COMMENT ON COLUMN context_awareness_events.session_id IS 'Owning session.';
COMMENT ON COLUMN context_awareness_events.context_type IS 'One of open_files, git_status, recent_changes, diagnostics, other.';
COMMENT ON COLUMN context_awareness_events.context_data IS 'The context itself (JSON; secrets redacted from strings).';
COMMENT ON COLUMN context_awareness_events.relevance_score IS 'How relevant the context was, 0 to 1; NULL if not reported.';
COMMENT ON COLUMN context_awareness_events.created_at IS 'When the context was captured.';
CREATE INDEX IF NOT EXISTS context_events_created_at_idx ON context_awareness_events (created_at);
CREATE INDEX IF NOT EXISTS context_events_session_idx ON context_awareness_events (session_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- Learning
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS learning_events (
    id                   bigserial PRIMARY KEY,
    event_id             uuid NOT NULL UNIQUE,
    session_id           text NOT NULL REFERENCES ai_sessions (session_id) ON DELETE CASCADE,
    learning_type        text NOT NULL CHECK (length(learning_type) BETWEEN 1 AND 200),
    description          text,
    confidence_score     double precision CHECK (confidence_score BETWEEN 0 AND 1),
    applied              boolean NOT NULL DEFAULT false,
    applied_successfully boolean,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (applied OR applied_successfully IS NULL)
);
COMMENT ON TABLE learning_events IS 'Moments the assistant learned something, and whether applying it worked.';
COMMENT ON COLUMN learning_events.id IS 'Surrogate key.';
COMMENT ON COLUMN learning_events.event_id IS 'Idempotency key.';
COMMENT ON COLUMN learning_events.session_id IS 'Owning session.';
COMMENT ON COLUMN learning_events.learning_type IS 'Kind of learning (e.g. preference, pattern, correction).';
COMMENT ON COLUMN learning_events.description IS 'What was learned (secrets redacted).';
COMMENT ON COLUMN learning_events.confidence_score IS 'Confidence in the learning, 0 to 1; NULL if not reported.';
COMMENT ON COLUMN learning_events.applied IS 'Whether the learning has been applied.';
COMMENT ON COLUMN learning_events.applied_successfully IS 'Outcome of applying it; NULL if not applied or not yet known.';
COMMENT ON COLUMN learning_events.created_at IS 'When the learning happened.';
CREATE INDEX IF NOT EXISTS learning_events_created_at_idx ON learning_events (created_at);
CREATE INDEX IF NOT EXISTS learning_events_type_idx ON learning_events (learning_type, created_at);

-- ---------------------------------------------------------------------------------------------
-- Model performance
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS model_performance_metrics (
    id            bigserial PRIMARY KEY,
    model_name    text NOT NULL,
    model_version text NOT NULL,
    metric_name   text NOT NULL,
    metric_value  double precision NOT NULL,
    sample_size   integer CHECK (sample_size >= 0),
    window_start  timestamptz,
    window_end    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (window_end IS NULL OR window_start IS NULL OR window_end >= window_start)
);
COMMENT ON TABLE model_performance_metrics IS 'How each fitted model performed (AUC, log-loss, R², ...) on which data.';
COMMENT ON COLUMN model_performance_metrics.id IS 'Surrogate key.';
COMMENT ON COLUMN model_performance_metrics.model_name IS 'Model name (e.g. code_acceptance).';
COMMENT ON COLUMN model_performance_metrics.model_version IS 'Version of the fitted artifact in models/.';
COMMENT ON COLUMN model_performance_metrics.metric_name IS 'Metric (e.g. auc_holdout, log_loss, r_squared).';
COMMENT ON COLUMN model_performance_metrics.metric_value IS 'Metric value.';
COMMENT ON COLUMN model_performance_metrics.sample_size IS 'Rows the metric was computed on.';
COMMENT ON COLUMN model_performance_metrics.window_start IS 'Start of the data window.';
COMMENT ON COLUMN model_performance_metrics.window_end IS 'End of the data window.';
COMMENT ON COLUMN model_performance_metrics.created_at IS 'When the metric was recorded.';
CREATE INDEX IF NOT EXISTS model_metrics_model_idx ON model_performance_metrics (model_name, model_version, created_at);

-- ---------------------------------------------------------------------------------------------
-- Insights
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS ai_performance_insights (
    id                 bigserial PRIMARY KEY,
    category           text NOT NULL CHECK (category IN ('performance', 'user_experience', 'learning', 'predictive', 'fairness', 'data_quality')),
    insight_type       text NOT NULL,
    title              text NOT NULL,
    description        text NOT NULL,
    subject            jsonb NOT NULL DEFAULT '{}'::jsonb,
    evidence           jsonb NOT NULL DEFAULT '{}'::jsonb,
    confidence_score   double precision NOT NULL CHECK (confidence_score BETWEEN 0 AND 1),
    impact_score       double precision CHECK (impact_score >= 0),
    rank               integer CHECK (rank >= 1),
    recommended_action text,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved', 'expired')),
    fingerprint        text NOT NULL UNIQUE,
    first_seen         timestamptz NOT NULL DEFAULT now(),
    last_seen          timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    CHECK (last_seen >= first_seen)
);
COMMENT ON TABLE ai_performance_insights IS 'Ranked insights written by the engine; one row per finding, deduplicated across runs by fingerprint.';
COMMENT ON COLUMN ai_performance_insights.id IS 'Surrogate key.';
COMMENT ON COLUMN ai_performance_insights.category IS 'performance, user_experience, learning, predictive, fairness or data_quality.';
COMMENT ON COLUMN ai_performance_insights.insight_type IS 'Finding kind (e.g. tool_failure_rate, latency_regression).';
COMMENT ON COLUMN ai_performance_insights.title IS 'One-line summary.';
COMMENT ON COLUMN ai_performance_insights.description IS 'What was found, in words.';
COMMENT ON COLUMN ai_performance_insights.subject IS 'What it is about (JSON, e.g. {"tool": "bash"}).';
COMMENT ON COLUMN ai_performance_insights.evidence IS 'Statistics behind it (JSON: estimates, intervals, p/q-values, sample sizes).';
COMMENT ON COLUMN ai_performance_insights.confidence_score IS 'Calibrated probability that the insight is right, 0 to 1.';
COMMENT ON COLUMN ai_performance_insights.impact_score IS 'Estimated size of the effect (>= 0), used for ranking.';
COMMENT ON COLUMN ai_performance_insights.rank IS 'Position in the current ranking (1 = most important).';
COMMENT ON COLUMN ai_performance_insights.recommended_action IS 'What to do about it.';
COMMENT ON COLUMN ai_performance_insights.status IS 'open, acknowledged, resolved or expired.';
COMMENT ON COLUMN ai_performance_insights.fingerprint IS 'Stable hash of type and subject; dedupes the same finding across runs.';
COMMENT ON COLUMN ai_performance_insights.first_seen IS 'First run that found it.';
COMMENT ON COLUMN ai_performance_insights.last_seen IS 'Latest run that found it.';
COMMENT ON COLUMN ai_performance_insights.expires_at IS 'When it lapses unless seen again.';
CREATE INDEX IF NOT EXISTS insights_rank_idx ON ai_performance_insights (status, rank);
CREATE INDEX IF NOT EXISTS insights_last_seen_idx ON ai_performance_insights (last_seen);

-- ---------------------------------------------------------------------------------------------
-- Satisfaction
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS satisfaction_metrics (
    day            date PRIMARY KEY,
    avg_rating     double precision CHECK (avg_rating BETWEEN 1 AND 5),
    ratings_count  integer NOT NULL CHECK (ratings_count >= 0),
    share_positive double precision CHECK (share_positive BETWEEN 0 AND 1),
    sessions_count integer NOT NULL CHECK (sessions_count >= 0),
    computed_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE satisfaction_metrics IS 'Daily developer satisfaction (UTC days), recomputed from user_feedback.';
COMMENT ON COLUMN satisfaction_metrics.day IS 'UTC calendar day.';
COMMENT ON COLUMN satisfaction_metrics.avg_rating IS 'Mean star rating that day; NULL when there were no ratings.';
COMMENT ON COLUMN satisfaction_metrics.ratings_count IS 'Ratings that day.';
COMMENT ON COLUMN satisfaction_metrics.share_positive IS 'Share of ratings with 4 or 5 stars.';
COMMENT ON COLUMN satisfaction_metrics.sessions_count IS 'Sessions started that day.';
COMMENT ON COLUMN satisfaction_metrics.computed_at IS 'When the row was computed.';

-- ---------------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW ai_performance_summary AS
SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
       interaction_type,
       count(*)::bigint AS interaction_count,
       count(success)::bigint AS reported_success_count,
       avg(success::int)::double precision AS success_rate,
       avg(response_time_ms) AS avg_response_time_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95_response_time_ms,
       count(response_time_ms)::bigint AS timed_count
  FROM ai_interactions
 GROUP BY 1, 2;
COMMENT ON VIEW ai_performance_summary IS 'Per UTC day and interaction type: count, success rate (among interactions that reported success), mean and 95th-percentile response time (among those that reported one).';

-- Ranking: the lower bound of the 95% Wilson score interval, so a tool used twice with two
-- successes (bound 0.34) never outranks one with 95 successes in 100 (bound 0.89).
CREATE OR REPLACE VIEW tool_effectiveness_ranking AS
WITH t AS (
    SELECT tool_name,
           count(*)::bigint AS usage_count,
           count(*) FILTER (WHERE success)::bigint AS success_count,
           avg(execution_time_ms) AS avg_time,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms) AS median_time,
           max(created_at) AS last_used_at
      FROM tool_usage_analytics
     GROUP BY tool_name
), w AS (
    SELECT t.*,
           success_count::double precision / usage_count AS success_rate,
           (success_count + 1.92072941034706) / (usage_count + 3.84145882069412)
             - 1.95996398454005 * sqrt(success_count::double precision * (usage_count - success_count) / usage_count + 0.96036470517353)
               / (usage_count + 3.84145882069412) AS success_rate_lower_95
      FROM t
)
SELECT tool_name, usage_count, success_count, success_rate, avg_time, median_time,
       success_rate_lower_95,
       rank() OVER (ORDER BY success_rate_lower_95 DESC)::integer AS effectiveness_rank,
       last_used_at
  FROM w;
COMMENT ON VIEW tool_effectiveness_ranking IS 'Per tool: usage, success rate, mean and median execution time (ms), the 95% Wilson lower bound of the success rate, and a rank by that bound (small samples cannot top it).';

CREATE OR REPLACE VIEW code_generation_quality AS
SELECT generation_type,
       language,
       count(*)::bigint AS generation_count,
       count(accepted)::bigint AS decided_count,
       count(*) FILTER (WHERE accepted)::bigint AS accepted_count,
       avg(accepted::int)::double precision AS acceptance_rate,
       avg(lines_generated)::double precision AS mean_lines_generated,
       avg(lines_modified) FILTER (WHERE accepted)::double precision AS mean_lines_modified,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY time_to_decision_ms) AS median_time_to_decision_ms
  FROM code_generation_events
 GROUP BY generation_type, language;
COMMENT ON VIEW code_generation_quality IS 'Per generation type and language: count, decided count, acceptance rate among decided generations, mean lines modified after acceptance, median time to decision (ms).';

CREATE OR REPLACE VIEW learning_insights_summary AS
SELECT learning_type,
       count(*)::bigint AS event_count,
       avg(confidence_score) AS mean_confidence,
       count(*) FILTER (WHERE applied)::bigint AS applied_count,
       count(*) FILTER (WHERE applied_successfully)::bigint AS applied_success_count,
       avg(applied_successfully::int) FILTER (WHERE applied)::double precision AS application_success_rate
  FROM learning_events
 GROUP BY learning_type;
COMMENT ON VIEW learning_insights_summary IS 'Per learning type: count, mean confidence, how many were applied, and the success rate among applied learnings whose outcome is known.';
