-- 021_anomalies_and_alerts.sql
-- Findings of `ail detect anomalies` on the stored events (issue 13) and the alerts of
-- `ail alerts`. Every statistic of a finding is kept (observed, expected and its interval, z,
-- the raw two-sided p-value, the Bonferroni-adjusted one and the number of tests) so a later
-- insights writer can apply its own false-discovery control across everything it reports.
--
-- Re-runnable: applying it twice changes nothing and raises no error.

CREATE TABLE IF NOT EXISTS ai_anomalies (
    id                bigserial PRIMARY KEY,
    run_id            uuid NOT NULL,
    detected_at       timestamptz NOT NULL DEFAULT now(),
    grain             text NOT NULL CHECK (grain IN ('hour', 'day')),
    metric            text NOT NULL CHECK (metric IN ('success_rate', 'p95_latency_ms', 'acceptance_rate', 'satisfaction', 'volume')),
    subject_kind      text NOT NULL CHECK (subject_kind IN ('all', 'tool', 'model', 'task_type')),
    subject           text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('point', 'level_shift')),
    start_time        timestamptz NOT NULL,
    peak_time         timestamptz NOT NULL,
    end_time          timestamptz NOT NULL,
    points            integer NOT NULL CHECK (points >= 1),
    observed          double precision NOT NULL,
    expected          double precision NOT NULL,
    expected_low      double precision NOT NULL,
    expected_high     double precision NOT NULL,
    z                 double precision NOT NULL,
    p_value           double precision NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    adjusted_p_value  double precision NOT NULL CHECK (adjusted_p_value BETWEEN 0 AND 1),
    tests             integer NOT NULL CHECK (tests >= 1),
    severity          text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    detector          text NOT NULL,
    mode              text NOT NULL CHECK (mode IN ('batch', 'online')),
    false_alarm_rate  double precision NOT NULL CHECK (false_alarm_rate > 0 AND false_alarm_rate < 1),
    UNIQUE (grain, metric, subject_kind, subject, kind, start_time, detector)
);
CREATE INDEX IF NOT EXISTS ai_anomalies_start_idx ON ai_anomalies (start_time);

COMMENT ON TABLE ai_anomalies IS 'An anomaly or level shift in a daily or hourly metric series, with every statistic (ail detect anomalies). A re-run updates the row of the same series, kind, start and detector.';
COMMENT ON COLUMN ai_anomalies.id IS 'Surrogate key.';
COMMENT ON COLUMN ai_anomalies.detected_at IS 'When the row was last written.';
COMMENT ON COLUMN ai_anomalies.run_id IS 'The detection run that last wrote the row.';
COMMENT ON COLUMN ai_anomalies.grain IS 'Bucket of the series: hour or day (UTC).';
COMMENT ON COLUMN ai_anomalies.metric IS 'success_rate (tool calls or interactions), p95_latency_ms (tool execution time), acceptance_rate (decided code generations), satisfaction (mean rating), volume (interactions).';
COMMENT ON COLUMN ai_anomalies.subject_kind IS 'What the series is about: all, tool, model or task_type.';
COMMENT ON COLUMN ai_anomalies.subject IS 'The tool, model or task type (''all'' for the whole workload).';
COMMENT ON COLUMN ai_anomalies.kind IS 'point (a point or short run far from the baseline) or level_shift (a change point).';
COMMENT ON COLUMN ai_anomalies.start_time IS 'Onset: the first flagged bucket (for a level shift, the first bucket of the new level).';
COMMENT ON COLUMN ai_anomalies.peak_time IS 'The bucket with the smallest p-value, whose statistics the row reports.';
COMMENT ON COLUMN ai_anomalies.end_time IS 'The last flagged bucket (for a level shift, the end of the new segment).';
COMMENT ON COLUMN ai_anomalies.points IS 'Buckets flagged in the episode (for a level shift, buckets of the new segment).';
COMMENT ON COLUMN ai_anomalies.observed IS 'Observed value at the peak (for a level shift, the mean after).';
COMMENT ON COLUMN ai_anomalies.expected IS 'Expected value at the peak from the robust seasonal baseline (for a level shift, the mean before).';
COMMENT ON COLUMN ai_anomalies.expected_low IS 'Lower end of the 95% interval for the expected value.';
COMMENT ON COLUMN ai_anomalies.expected_high IS 'Upper end of the 95% interval for the expected value.';
COMMENT ON COLUMN ai_anomalies.z IS 'Standardised departure (observed − expected) / its standard deviation.';
COMMENT ON COLUMN ai_anomalies.p_value IS 'Two-sided tail probability of the peak under the baseline, unadjusted.';
COMMENT ON COLUMN ai_anomalies.adjusted_p_value IS 'min(1, p_value × tests): Bonferroni within the series.';
COMMENT ON COLUMN ai_anomalies.tests IS 'Buckets tested in the series (the Bonferroni factor).';
COMMENT ON COLUMN ai_anomalies.severity IS 'From adjusted_p_value against false_alarm_rate α: high ≤ α/100, medium ≤ α/10, low ≤ α.';
COMMENT ON COLUMN ai_anomalies.detector IS 'robust_seasonal_z, binomial_rate or binary_segmentation (with _online in the causal mode).';
COMMENT ON COLUMN ai_anomalies.mode IS 'batch (looks ahead) or online (causal).';
COMMENT ON COLUMN ai_anomalies.false_alarm_rate IS 'α: the chance of any false alarm in one series without anomalies.';

CREATE TABLE IF NOT EXISTS ai_alerts (
    id           bigserial PRIMARY KEY,
    raised_at    timestamptz NOT NULL DEFAULT now(),
    alert_kind   text NOT NULL CHECK (alert_kind IN ('tool_success_rate', 'p95_latency', 'satisfaction', 'learning_application_rate', 'anomaly')),
    subject      text NOT NULL,
    severity     text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    observed     double precision,
    threshold    double precision,
    message      text NOT NULL,
    evidence     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS ai_alerts_raised_idx ON ai_alerts (raised_at);

COMMENT ON TABLE ai_alerts IS 'An alert that was active when ail alerts ran: a configured threshold crossed, or an anomaly at or above the configured severity.';
COMMENT ON COLUMN ai_alerts.id IS 'Surrogate key.';
COMMENT ON COLUMN ai_alerts.raised_at IS 'When ail alerts found it active.';
COMMENT ON COLUMN ai_alerts.alert_kind IS 'tool_success_rate, p95_latency, satisfaction, learning_application_rate (the seed''s four kinds) or anomaly.';
COMMENT ON COLUMN ai_alerts.subject IS 'The tool (or ''all'') the alert is about.';
COMMENT ON COLUMN ai_alerts.severity IS 'low, medium or high (threshold alerts: from how far outside its interval the value is; anomalies: their own severity).';
COMMENT ON COLUMN ai_alerts.observed IS 'The observed value (rate, milliseconds or mean rating).';
COMMENT ON COLUMN ai_alerts.threshold IS 'The configured threshold it crossed (NULL for anomaly alerts).';
COMMENT ON COLUMN ai_alerts.message IS 'One line a person can act on.';
COMMENT ON COLUMN ai_alerts.evidence IS 'Counts, window, interval and p-values behind the alert.';
