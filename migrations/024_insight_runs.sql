-- 024_insight_runs.sql
-- What `ail learning generate-insights` needs beyond 016's ai_performance_insights: the figures of
-- each insight as columns (metric, effect and interval, raw effect, p- and q-value, volume), the
-- bookkeeping of dedupe and expiry across runs, and one row per run with its timings.
--
-- Re-runnable: applying it twice changes nothing and raises no error.
--   psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/024_insight_runs.sql

CREATE TABLE IF NOT EXISTS ai_insight_runs (
    id             bigserial PRIMARY KEY,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    window_start   timestamptz,
    window_end     timestamptz,
    fdr_level      double precision NOT NULL CHECK (fdr_level > 0 AND fdr_level < 1),
    hypotheses     integer NOT NULL DEFAULT 0 CHECK (hypotheses >= 0),
    insights       integer NOT NULL DEFAULT 0 CHECK (insights >= 0),
    inserted       integer NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    updated        integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
    expired        integer NOT NULL DEFAULT 0 CHECK (expired >= 0),
    null_share     double precision CHECK (null_share BETWEEN 0 AND 1),
    stage_seconds  jsonb NOT NULL DEFAULT '{}'::jsonb,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE ai_insight_runs IS 'One row per run of ail learning generate-insights: its data window, FDR level, counts and timings.';
COMMENT ON COLUMN ai_insight_runs.id IS 'Run number; ai_performance_insights.last_run_id points here.';
COMMENT ON COLUMN ai_insight_runs.started_at IS 'When the run started.';
COMMENT ON COLUMN ai_insight_runs.finished_at IS 'When the run wrote its insights (NULL while running or after a failure).';
COMMENT ON COLUMN ai_insight_runs.window_start IS 'Earliest event time analysed (--since); NULL for all data.';
COMMENT ON COLUMN ai_insight_runs.window_end IS 'Latest event time analysed.';
COMMENT ON COLUMN ai_insight_runs.fdr_level IS 'Benjamini-Hochberg false discovery rate level of the run (--fdr).';
COMMENT ON COLUMN ai_insight_runs.hypotheses IS 'Hypotheses tested in the one BH family of the run, across every source.';
COMMENT ON COLUMN ai_insight_runs.insights IS 'Insights the run found (new and recurring).';
COMMENT ON COLUMN ai_insight_runs.inserted IS 'Insights written for the first time.';
COMMENT ON COLUMN ai_insight_runs.updated IS 'Recurring insights whose last_seen and figures were updated.';
COMMENT ON COLUMN ai_insight_runs.expired IS 'Insights expired by this run (not seen for too many runs or days).';
COMMENT ON COLUMN ai_insight_runs.null_share IS 'Estimated share of true null hypotheses (pi0 of the Beta-uniform p-value model).';
COMMENT ON COLUMN ai_insight_runs.stage_seconds IS 'Seconds per stage (JSON: stage name -> seconds).';

ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS metric text;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS direction text
    CHECK (direction IN ('higher', 'lower', 'none'));
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS effect_scale text;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS effect_estimate double precision;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS effect_conf_low double precision;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS effect_conf_high double precision;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS raw_effect double precision;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS p_value double precision CHECK (p_value BETWEEN 0 AND 1);
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS q_value double precision CHECK (q_value BETWEEN 0 AND 1);
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS volume bigint CHECK (volume >= 0);
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS source text;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS runs_seen integer NOT NULL DEFAULT 1 CHECK (runs_seen >= 1);
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS runs_missed integer NOT NULL DEFAULT 0 CHECK (runs_missed >= 0);
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS last_run_id bigint REFERENCES ai_insight_runs (id) ON DELETE SET NULL;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS window_start timestamptz;
ALTER TABLE ai_performance_insights ADD COLUMN IF NOT EXISTS window_end timestamptz;

COMMENT ON COLUMN ai_performance_insights.metric IS 'Outcome the effect is on: tool_call_success, code_acceptance, session_success, satisfaction, ...';
COMMENT ON COLUMN ai_performance_insights.direction IS 'Direction of the adjusted effect on the metric: higher, lower, or none (an effect that vanished after adjustment).';
COMMENT ON COLUMN ai_performance_insights.effect_scale IS 'Unit of effect_estimate: probability difference or rating points.';
COMMENT ON COLUMN ai_performance_insights.effect_estimate IS 'Adjusted effect on the metric (average marginal effect), in effect_scale units.';
COMMENT ON COLUMN ai_performance_insights.effect_conf_low IS 'Lower end of the 95% interval of effect_estimate.';
COMMENT ON COLUMN ai_performance_insights.effect_conf_high IS 'Upper end of the 95% interval of effect_estimate.';
COMMENT ON COLUMN ai_performance_insights.raw_effect IS 'Unadjusted difference on the same scale, for comparison.';
COMMENT ON COLUMN ai_performance_insights.p_value IS 'Two-sided p-value of the adjusted effect (cluster-robust by developer).';
COMMENT ON COLUMN ai_performance_insights.q_value IS 'Benjamini-Hochberg q-value within the run''s one family of hypotheses.';
COMMENT ON COLUMN ai_performance_insights.volume IS 'Events or sessions the effect applies to in the window (impact = volume x |effect|).';
COMMENT ON COLUMN ai_performance_insights.source IS 'Finding source that produced it (e.g. adjusted_effects).';
COMMENT ON COLUMN ai_performance_insights.runs_seen IS 'Runs that found it.';
COMMENT ON COLUMN ai_performance_insights.runs_missed IS 'Consecutive runs since it was last found; it expires after a configurable number.';
COMMENT ON COLUMN ai_performance_insights.last_run_id IS 'The latest run that found it.';
COMMENT ON COLUMN ai_performance_insights.window_start IS 'Start of the data window of the latest run that found it (NULL: all data).';
COMMENT ON COLUMN ai_performance_insights.window_end IS 'End of that data window.';
CREATE INDEX IF NOT EXISTS insights_open_score_idx ON ai_performance_insights (status, category, confidence_score);
