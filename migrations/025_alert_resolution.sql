-- 025_alert_resolution.sql
-- Alerts get a lifecycle (issue 13): `ail alerts` marks a recorded alert that no longer fires as
-- resolved (with the time), and re-opens it when it fires again. Rows written before this
-- migration are active, as they were.
--
-- Re-runnable: applying it twice changes nothing and raises no error.

ALTER TABLE ai_alerts ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active';
ALTER TABLE ai_alerts ADD COLUMN IF NOT EXISTS resolved_at timestamptz;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ai_alerts_status_check' AND conrelid = 'ai_alerts'::regclass) THEN
        ALTER TABLE ai_alerts ADD CONSTRAINT ai_alerts_status_check CHECK (status IN ('active', 'resolved'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ai_alerts_resolved_at_check' AND conrelid = 'ai_alerts'::regclass) THEN
        ALTER TABLE ai_alerts ADD CONSTRAINT ai_alerts_resolved_at_check
            CHECK ((status = 'resolved') = (resolved_at IS NOT NULL));
    END IF;
END $$;

CREATE INDEX IF NOT EXISTS ai_alerts_status_idx ON ai_alerts (status, resolved_at);

COMMENT ON TABLE ai_alerts IS 'An alert ail alerts found: a configured threshold crossed, or an anomaly at or above the configured severity. Active while it fires; resolved when a later run of the same kind no longer finds it; re-opened if it fires again.';
COMMENT ON COLUMN ai_alerts.raised_at IS 'When ail alerts last found it firing.';
COMMENT ON COLUMN ai_alerts.status IS 'active (firing at the last run that evaluated its kind) or resolved (no longer firing).';
COMMENT ON COLUMN ai_alerts.resolved_at IS 'When ail alerts found it no longer firing (NULL while active).';

-- ai_anomalies: the number of series tested in the run enters the severity (see AnomalyFinding)
ALTER TABLE ai_anomalies ADD COLUMN IF NOT EXISTS series_tested integer CHECK (series_tested IS NULL OR series_tested >= 1);
COMMENT ON COLUMN ai_anomalies.series_tested IS 'Series tested in the run that wrote the row (NULL before migration 025); severity compares adjusted_p_value × series_tested with false_alarm_rate.';
COMMENT ON COLUMN ai_anomalies.severity IS 'From adjusted_p_value × series_tested (Bonferroni over every bucket of every series tested in the run) against false_alarm_rate α: high ≤ α/100, medium ≤ α/10, low ≤ α.';
COMMENT ON COLUMN ai_anomalies.false_alarm_rate IS 'α: the chance of any false alarm in the whole run (all series) when nothing is anomalous.';
