-- 022_pattern_findings.sql
-- Results of `ail learning analyze-patterns` (issue 13, pattern mining): one row per run, the
-- findings of the run with their statistics (so the insights writer can rank them and control
-- the false discovery rate), and the error templates with their daily counts.
--
-- Re-runnable: applying it twice changes nothing and raises no error.
--   psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/022_pattern_findings.sql

CREATE TABLE IF NOT EXISTS pattern_runs (
    run_id            bigserial PRIMARY KEY,
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    since             timestamptz,
    min_support       double precision NOT NULL CHECK (min_support > 0 AND min_support <= 1),
    fdr               double precision NOT NULL CHECK (fdr > 0 AND fdr < 1),
    sessions_count    integer NOT NULL CHECK (sessions_count >= 0),
    tests_count       integer NOT NULL CHECK (tests_count >= 0),
    discoveries_count integer NOT NULL CHECK (discoveries_count >= 0 AND discoveries_count <= tests_count),
    parameters        jsonb NOT NULL DEFAULT '{}'::jsonb,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE pattern_runs IS 'One run of ail learning analyze-patterns: its window, thresholds and the size of its test family.';
COMMENT ON COLUMN pattern_runs.run_id IS 'Run identifier; every finding and error template of the run refers to it.';
COMMENT ON COLUMN pattern_runs.started_at IS 'When the run started.';
COMMENT ON COLUMN pattern_runs.finished_at IS 'When its results were written.';
COMMENT ON COLUMN pattern_runs.since IS 'Only sessions started at or after this instant were analysed; NULL for all.';
COMMENT ON COLUMN pattern_runs.min_support IS 'Least support (fraction of units) of a mined itemset or sequence.';
COMMENT ON COLUMN pattern_runs.fdr IS 'Benjamini-Hochberg level q: findings with q_value <= fdr are discoveries.';
COMMENT ON COLUMN pattern_runs.sessions_count IS 'Sessions analysed.';
COMMENT ON COLUMN pattern_runs.tests_count IS 'Hypotheses tested in the run (contrast, sequence and trend tests): the m of Benjamini-Hochberg.';
COMMENT ON COLUMN pattern_runs.discoveries_count IS 'Tests with q_value <= fdr.';
COMMENT ON COLUMN pattern_runs.parameters IS 'Other settings of the run (max lengths, minimum confidence, outcome definitions).';

CREATE TABLE IF NOT EXISTS pattern_findings (
    id             bigserial PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES pattern_runs (run_id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('itemset', 'rule', 'contrast', 'sequence', 'error_trend')),
    outcome        text,
    pattern        text[] NOT NULL CHECK (cardinality(pattern) >= 1),
    consequent     text[],
    support        double precision CHECK (support BETWEEN 0 AND 1),
    n              integer NOT NULL CHECK (n >= 0),
    n_with         integer CHECK (n_with >= 0),
    rate_with      double precision CHECK (rate_with BETWEEN 0 AND 1),
    rate_without   double precision CHECK (rate_without BETWEEN 0 AND 1),
    effect         double precision,
    effect_measure text,
    conf_low       double precision,
    conf_high      double precision,
    log_odds_ratio double precision,
    p_value        double precision CHECK (p_value BETWEEN 0 AND 1),
    q_value        double precision CHECK (q_value BETWEEN 0 AND 1),
    significant    boolean,
    method         text NOT NULL,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb,
    CHECK ((p_value IS NULL) = (q_value IS NULL)),
    CHECK (conf_low IS NULL OR conf_high IS NULL OR conf_low <= conf_high)
);
COMMENT ON TABLE pattern_findings IS 'Findings of a pattern run: frequent itemsets and rules (descriptive, no p-value), contrast patterns, sequential patterns and error-template trends (tested, with p- and BH q-values).';
COMMENT ON COLUMN pattern_findings.id IS 'Surrogate key.';
COMMENT ON COLUMN pattern_findings.run_id IS 'The run (pattern_runs.run_id).';
COMMENT ON COLUMN pattern_findings.kind IS 'itemset, rule, contrast, sequence or error_trend.';
COMMENT ON COLUMN pattern_findings.outcome IS 'What a tested pattern is compared on: session_success, satisfied, code_accepted, tool_success:NAME; for error_trend the tool (or all); NULL for itemsets and rules.';
COMMENT ON COLUMN pattern_findings.pattern IS 'The items (e.g. {context=diagnostics,tool=run_tests}), the tool calls in order for a sequence, the antecedent of a rule, or the error template.';
COMMENT ON COLUMN pattern_findings.consequent IS 'The consequent of a rule; NULL otherwise.';
COMMENT ON COLUMN pattern_findings.support IS 'Share of the units that contain the pattern.';
COMMENT ON COLUMN pattern_findings.n IS 'Units compared (sessions, decided generations, or days for a trend).';
COMMENT ON COLUMN pattern_findings.n_with IS 'Units containing the pattern (for a trend: occurrences of the template).';
COMMENT ON COLUMN pattern_findings.rate_with IS 'Outcome rate among units with the pattern (rule: confidence).';
COMMENT ON COLUMN pattern_findings.rate_without IS 'Outcome rate among units without it.';
COMMENT ON COLUMN pattern_findings.effect IS 'Effect size, measured as effect_measure.';
COMMENT ON COLUMN pattern_findings.effect_measure IS 'rate_difference (with minus without), lift (rules), support (itemsets) or log_rate_per_day (trends).';
COMMENT ON COLUMN pattern_findings.conf_low IS 'Lower end of the 95% interval of effect (Newcombe hybrid score for a rate difference, Wald for a trend slope).';
COMMENT ON COLUMN pattern_findings.conf_high IS 'Upper end of that interval.';
COMMENT ON COLUMN pattern_findings.log_odds_ratio IS 'log odds ratio of the outcome with vs without the pattern (Haldane-corrected when a cell is zero).';
COMMENT ON COLUMN pattern_findings.p_value IS 'Two-sided p-value of the method; NULL for untested (descriptive) findings.';
COMMENT ON COLUMN pattern_findings.q_value IS 'Benjamini-Hochberg adjusted p-value over all tests of the run (pattern_runs.tests_count).';
COMMENT ON COLUMN pattern_findings.significant IS 'q_value <= the run''s fdr; NULL for untested findings.';
COMMENT ON COLUMN pattern_findings.method IS 'How it was found and tested (fpgrowth, fpgrowth_rule, fisher_exact, fisher_exact_productive, poisson_trend).';
COMMENT ON COLUMN pattern_findings.details IS 'Further statistics (counts of the 2x2 table, dispersion, generalisations tested).';
CREATE INDEX IF NOT EXISTS pattern_findings_run_idx ON pattern_findings (run_id, kind, q_value);

CREATE TABLE IF NOT EXISTS error_templates (
    id            bigserial PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES pattern_runs (run_id) ON DELETE CASCADE,
    template      text NOT NULL,
    example       text NOT NULL,
    total_count   integer NOT NULL CHECK (total_count >= 1),
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    trend_slope   double precision,
    trend_p_value double precision CHECK (trend_p_value BETWEEN 0 AND 1),
    trend_q_value double precision CHECK (trend_q_value BETWEEN 0 AND 1),
    UNIQUE (run_id, template),
    CHECK (last_seen >= first_seen)
);
COMMENT ON TABLE error_templates IS 'Error messages of tool calls and interactions reduced to templates (numbers, paths, ids, hex, URLs, quoted strings masked; Drain-style merging), per run.';
COMMENT ON COLUMN error_templates.id IS 'Surrogate key; error_template_daily rows refer to it.';
COMMENT ON COLUMN error_templates.run_id IS 'The run (pattern_runs.run_id).';
COMMENT ON COLUMN error_templates.template IS 'The template, masks as <NUM>, <PATH>, <UUID>, <HEX>, <URL>, <IP>, <STR>, <ID>, merged positions as <*>.';
COMMENT ON COLUMN error_templates.example IS 'One message of the template as stored (secrets were redacted on ingest).';
COMMENT ON COLUMN error_templates.total_count IS 'Messages of this template in the window.';
COMMENT ON COLUMN error_templates.first_seen IS 'First occurrence in the window.';
COMMENT ON COLUMN error_templates.last_seen IS 'Last occurrence in the window.';
COMMENT ON COLUMN error_templates.trend_slope IS 'Poisson regression slope of the daily count per call (log rate per day); NULL when it cannot be estimated.';
COMMENT ON COLUMN error_templates.trend_p_value IS 'p-value of slope = 0 (quasi-Poisson).';
COMMENT ON COLUMN error_templates.trend_q_value IS 'Benjamini-Hochberg q-value within the run''s whole test family.';

CREATE TABLE IF NOT EXISTS error_template_daily (
    template_id bigint NOT NULL REFERENCES error_templates (id) ON DELETE CASCADE,
    tool_name   text NOT NULL,
    day         date NOT NULL,
    count       integer NOT NULL CHECK (count >= 1),
    PRIMARY KEY (template_id, tool_name, day)
);
COMMENT ON TABLE error_template_daily IS 'Occurrences of an error template per tool and UTC day (tool_name is the interaction type for errors of interactions without a tool).';
COMMENT ON COLUMN error_template_daily.template_id IS 'The template (error_templates.id).';
COMMENT ON COLUMN error_template_daily.tool_name IS 'Tool that raised it, or interaction:TYPE for an interaction error.';
COMMENT ON COLUMN error_template_daily.day IS 'UTC calendar day.';
COMMENT ON COLUMN error_template_daily.count IS 'Occurrences that day (days without any are absent).';
