import Analytics
import Foundation
import Store

/// `ail-bench models [--rows N]`: the success model trained end to end from N stored interactions
/// (default 1,000,000) against psycopg2 + pandas.read_sql of the same feature query + statsmodels
/// Logit with cluster-robust SEs, in the same run; the feature query's own server time is measured
/// apart, so each side's overhead on top of it can be compared. Then bulk scoring: `ail predict
/// success --since` and the SQL function (feature form over every row, row-key form on a sample),
/// in events per second.
func runModelsBenchmark(arguments: [String]) throws {
    let rows = Int(Bench.option("--rows", in: arguments) ?? "") ?? 1_000_000
    guard rows >= 1_000 else { throw StoreError(code: .invalidArgument, message: "--rows must be at least 1000; got \(rows)") }
    let root = FileManager.default.currentDirectoryPath
    try Bench.run("/bin/bash", ["\(root)/bench/setup_venv.sh"])
    let python = "\(root)/.venv-bench/bin/python"
    let ail = "\(root)/.build/release/ail"
    let dir = "\(root)/.bench/models"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let dsn = try Bench.dsn()
    let connection = try Connection(dsn: dsn)
    _ = try MigrationRunner.embedded.migrate(connection)

    let loadSeconds = try Bench.time { try loadInteractions(connection, rows: rows) }
    print(String(format: "models benchmark: %d interactions in %d sessions (200 developers) loaded in %.1f s (server-side generate_series)", rows, rows / 20, loadSeconds))

    // The server's share: the feature query run to completion and serialised (binary), no transfer.
    let spec = ModelCatalog.success
    let queryFile = "\(dir)/success_query.sql"
    try spec.query.write(toFile: queryFile, atomically: true, encoding: .utf8)
    let serverQuery = try Bench.time { try connection.executeScript("COPY (\(spec.query)) TO '/dev/null' (FORMAT binary)") }
    // ail's data path alone, in process: query + binary COPY + frame.
    var frameRows = 0
    let frameSeconds = try Bench.time { frameRows = try PostgresFrame.read(connection, query: spec.query, only: spec.columns).rowCount }
    print(String(format: "  feature query on the server (COPY … TO '/dev/null', binary): %.2f s; ail's query → frame in process: %.2f s (%d rows)", serverQuery, frameSeconds, frameRows))

    let train = try Bench.timedChild(ail, ["train", "success", "--dsn", dsn, "--models-dir", "\(dir)/registry", "--format", "json"])
    let peer = try Bench.peer(python, script: "\(root)/bench/models_peer.py", ["fit", dsn, queryFile])
    let ailAdds = train.seconds - serverQuery, peerAdds = peer.seconds - serverQuery
    print(String(format: "  train success end to end: ail %.2f s (peak %.0f MB)  psycopg2+read_sql+statsmodels (cluster SEs) %.2f s (peak %.0f MB)",
                 train.seconds, train.peakMB, peer.seconds, peer.peakMB))
    print(String(format: "  on top of the shared %.2f s query: ail adds %.2f s, Python adds %.2f s → %.1f× (goal ≥ 5×); totals %.1f×",
                 serverQuery, ailAdds, peerAdds, peerAdds / ailAdds, peer.seconds / train.seconds))

    // Bulk scoring.
    let predict = try Bench.timedChild(ail, ["predict", "success", "--since", "2000-01-01", "--dsn", dsn, "--format", "json"])
    let scored = Int(try connection.execute("SELECT count(*) FROM ail_model_predictions WHERE model_name = 'success'").first?.text(0) ?? "0") ?? 0
    print(String(format: "  ail predict success --since: %d events in %.2f s → %.0f events/s (peak %.0f MB)", scored, predict.seconds, Double(scored) / predict.seconds, predict.peakMB))
    let fn = SQLScoringFunction.name(spec.name)
    let args = spec.features.map { "q.\($0.name)" + ($0.isNumeric ? "::float8" : "::text") }.joined(separator: ", ")
    var sqlCount = 0
    let sqlSeconds = try Bench.time {
        sqlCount = Int(try connection.execute("SELECT count(\(fn)(\(args))) AS n FROM (\(spec.query)) AS q").first?.text(0) ?? "0") ?? 0
    }
    print("  SQL \(fn)(features)" + String(format: " over the feature query: %d events in %.2f s → %.0f events/s (%.0f/s beyond the query itself)",
                 sqlCount, sqlSeconds, Double(sqlCount) / sqlSeconds, Double(sqlCount) / max(sqlSeconds - serverQuery, 1e-9)))
    let sample = 3
    let keys = try connection.execute("SELECT event_id::text AS k FROM ai_interactions ORDER BY id LIMIT \(sample)").compactMap { $0.text(0) }
    let rowSeconds = try Bench.time { for k in keys { _ = try connection.execute("SELECT \(fn)_row($1)", [.text(k)]) } }
    print("  SQL \(fn)_row(row_key)" + String(format: " on %d rows: %.2f s each → %.2f events/s (each call runs the whole feature query: a lookup form, not a bulk one)",
                 keys.count, rowSeconds / Double(keys.count), Double(keys.count) / rowSeconds))
}

/// Fills the tracking tables in the server: rows/20 sessions of 20 interactions over 90 days,
/// 200 developers, four task types, three models, tool calls with their tool rows, and context
/// events, with success depending on action, model, task and context (so the fit has signal).
private func loadInteractions(_ c: Connection, rows: Int) throws {
    let sessions = rows / 20
    try c.executeScript("""
        TRUNCATE ai_sessions CASCADE;
        TRUNCATE ail_model_versions CASCADE;
        SELECT setseed(0.2026);
        INSERT INTO ai_sessions (session_id, developer_id, started_at, task_type)
        SELECT 'bs' || s, 'dev' || (s % 200), timestamptz '2026-01-01 00:00:00+00' + s * (interval '90 days' / \(sessions)),
               (ARRAY['bugfix','feature','refactor','test'])[1 + s % 4]
          FROM generate_series(1, \(sessions)) s;
        INSERT INTO context_awareness_events (event_id, session_id, context_type, created_at)
        SELECT gen_random_uuid(), s.session_id, (ARRAY['open_files','git_status','recent_changes','diagnostics'])[1 + (s.id + k) % 4],
               s.started_at + k * interval '2 minutes'
          FROM ai_sessions s, generate_series(0, 2) k WHERE random() < 0.6;
        INSERT INTO ai_interactions (event_id, session_id, interaction_type, model_name, success, created_at)
        SELECT gen_random_uuid(), s.session_id, t.kind, (ARRAY['model-a','model-b','model-c'])[1 + (s.id + k) % 3],
               random() < 1 / (1 + exp(-(1.0 + CASE t.kind WHEN 'tool_call' THEN -0.5 WHEN 'validation' THEN 0.3 ELSE 0 END
                                         + CASE s.task_type WHEN 'refactor' THEN -0.4 ELSE 0 END
                                         + CASE (s.id + k) % 3 WHEN 0 THEN 0.2 ELSE 0 END + 0.02 * k))),
               s.started_at + k * interval '30 seconds'
          FROM ai_sessions s, generate_series(1, 20) k,
               LATERAL (SELECT (ARRAY['user_query','tool_call','code_generation','validation'])[1 + (s.id * 7 + k) % 4] AS kind) t;
        INSERT INTO tool_usage_analytics (event_id, session_id, interaction_event_id, tool_name, success, created_at)
        SELECT gen_random_uuid(), i.session_id, i.event_id, (ARRAY['grep','read_file','bash','edit'])[1 + i.id % 4], coalesce(i.success, false), i.created_at
          FROM ai_interactions i WHERE i.interaction_type = 'tool_call';
        """)
    // VACUUM cannot run inside the script's implicit transaction: its own statement
    try c.execute("VACUUM ANALYZE ai_sessions, ai_interactions, tool_usage_analytics, context_awareness_events")
}
