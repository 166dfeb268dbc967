-- 019_event_content_md5.sql
-- The content fingerprint of every stored event, so that an event id sent again with different
-- content is refused as a conflict instead of silently counted as a duplicate (issue 10, item 9).
-- md5 (hex) of the event's stored fields in a canonical form (timestamps as UTC microseconds),
-- computed by the loader; NULL for rows stored before this migration (treated as identical).
--
-- Re-runnable: applying it twice changes nothing and raises no error.

ALTER TABLE ai_interactions ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE tool_usage_analytics ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE code_generation_events ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE user_feedback ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE context_awareness_events ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE learning_events ADD COLUMN IF NOT EXISTS content_md5 text;
ALTER TABLE ai_sessions ADD COLUMN IF NOT EXISTS start_md5 text;
ALTER TABLE ai_sessions ADD COLUMN IF NOT EXISTS end_md5 text;

COMMENT ON COLUMN ai_interactions.content_md5 IS 'Fingerprint of the event as sent (canonical form); a re-sent event id with another fingerprint is a conflict.';
COMMENT ON COLUMN tool_usage_analytics.content_md5 IS 'Fingerprint of the event as sent (canonical form); a re-sent event id with another fingerprint is a conflict.';
COMMENT ON COLUMN code_generation_events.content_md5 IS 'Fingerprint of the event as sent (canonical form; a later decide-code does not change it).';
COMMENT ON COLUMN user_feedback.content_md5 IS 'Fingerprint of the feedback event as sent (canonical form); NULL for a session_end rating.';
COMMENT ON COLUMN context_awareness_events.content_md5 IS 'Fingerprint of the event as sent (canonical form); a re-sent event id with another fingerprint is a conflict.';
COMMENT ON COLUMN learning_events.content_md5 IS 'Fingerprint of the event as sent (canonical form); a re-sent event id with another fingerprint is a conflict.';
COMMENT ON COLUMN ai_sessions.start_md5 IS 'Fingerprint of the session_start event as sent (canonical form).';
COMMENT ON COLUMN ai_sessions.end_md5 IS 'Fingerprint of the session_end event as sent (canonical form).';
