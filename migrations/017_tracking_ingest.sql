-- 017_tracking_ingest.sql
-- What batch ingest and the session monitor need beyond 016: the rejects table and the
-- idempotency key of the session_end event.
--
-- Re-runnable: applying it twice changes nothing and raises no error.
--   psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/017_tracking_ingest.sql
-- Staging tables are TEMPORARY and created by the ingest connection itself (see
-- Sources/Tracking/Ingest/EventLoader.swift), so they need no migration.

-- The session_end event that closed the session; a re-sent session_end is a duplicate.
ALTER TABLE ai_sessions ADD COLUMN IF NOT EXISTS end_event_id uuid;
COMMENT ON COLUMN ai_sessions.end_event_id IS 'Idempotency key of the session_end event that closed the session, if any.';
CREATE UNIQUE INDEX IF NOT EXISTS ai_sessions_end_event_id_key ON ai_sessions (end_event_id);

-- Records refused by `ail ingest`, kept with their reason: nothing is silently dropped.
CREATE TABLE IF NOT EXISTS ingest_rejects (
    id           bigserial PRIMARY KEY,
    file         text NOT NULL,
    line_number  bigint NOT NULL CHECK (line_number >= 1),
    reason       text NOT NULL,
    reason_code  text NOT NULL,
    raw_line     text NOT NULL,
    raw_line_md5 text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE ingest_rejects IS 'NDJSON records refused by ail ingest, with the reason; re-ingesting the same file adds no second copy.';
COMMENT ON COLUMN ingest_rejects.id IS 'Surrogate key.';
COMMENT ON COLUMN ingest_rejects.file IS 'The file as named on the command line (- for standard input).';
COMMENT ON COLUMN ingest_rejects.line_number IS 'Line number in the file, from 1.';
COMMENT ON COLUMN ingest_rejects.reason IS 'Every field-level reason, e.g. "rating: out of range (expected 1...5, got 7)", joined by "; ".';
COMMENT ON COLUMN ingest_rejects.reason_code IS 'Kind of the first reason: invalid_utf8, line_too_long, invalid_json, unknown_event_type, missing_field, wrong_type, out_of_range, invalid_value, invalid_timestamp, unknown_field.';
COMMENT ON COLUMN ingest_rejects.raw_line IS 'The line as received (invalid UTF-8 replaced by U+FFFD, NUL removed, cut at 64 KiB); secrets redacted.';
COMMENT ON COLUMN ingest_rejects.raw_line_md5 IS 'md5 of the original bytes of the line, part of the de-duplication key.';
COMMENT ON COLUMN ingest_rejects.received_at IS 'When the line was refused.';
CREATE UNIQUE INDEX IF NOT EXISTS ingest_rejects_line_key ON ingest_rejects (file, line_number, raw_line_md5);
CREATE INDEX IF NOT EXISTS ingest_rejects_received_at_idx ON ingest_rejects (received_at);
