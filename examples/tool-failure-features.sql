-- One row per run_tests or edit_file call: did it fail, and which context had the session
-- shared before the call? (Used by `make demo`: ail fit logistic --sql "$(cat this file)".)
SELECT (NOT t.success)::int AS failed,
       t.tool_name,
       EXISTS (SELECT 1 FROM context_awareness_events c
                WHERE c.session_id = t.session_id AND c.context_type = 'diagnostics'
                  AND c.created_at <= t.created_at) AS diagnostics,
       EXISTS (SELECT 1 FROM context_awareness_events c
                WHERE c.session_id = t.session_id AND c.context_type = 'open_files'
                  AND c.created_at <= t.created_at) AS open_files,
       s.developer_id
  FROM tool_usage_analytics t
  JOIN ai_sessions s USING (session_id)
 WHERE t.tool_name IN ('run_tests', 'edit_file')
