import Foundation
import Store
import TestSupport
import Testing

/// `ail monitor`, `ail ingest` and `ail simulate` run as a user would, on a throwaway database.
@Suite("ail monitor, ingest and simulate")
struct TrackingCommandTests {
    func setUp() throws -> (AILProcess, TestDatabase, URL) {
        let db = try TestDatabase.create()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ail-track-\(UUID().uuidString.prefix(8))")
        var ail = try AILProcess(home: home)
        ail.environment["AIL_PSEUDONYM_KEY"] = "cli-test-key"
        return (ail, db, home)
    }

    @Test func theSeedsExamplesAsWritten() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let dsn = db.dsn
        var r = try ail.run("monitor", "start_session", "--dsn", dsn, "--id", "dev_session_001", "--context",
                            #"{"task": "database_design", "files": ["migrations/"]}"#)
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log_tool_usage", "--dsn", dsn, "--tool", "grep", "--success", "true", "--time", "150")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log_code_generation", "--dsn", dsn, "--file", "new_migration.sql", "--type", "migration")
        #expect(r.status == 0, "\(r.output)")
        let generation = try #require(r.output.range(of: #"gen-[0-9a-f]{8}"#, options: .regularExpression).map { String(r.output[$0]) })
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", generation, "--accepted", "true", "--lines-modified", "2")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log-interaction", "--dsn", dsn, "--type", "tool_call", "--model", "m", "--time", "300", "--tokens-in", "10")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log-context", "--dsn", dsn, "--type", "git_status", "--data", #"{"branch":"main"}"#, "--relevance", "0.7")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log-learning", "--dsn", dsn, "--type", "pattern", "--description", "x", "--confidence", "0.8", "--applied", "--applied-successfully", "true")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log-feedback", "--dsn", dsn, "--rating", "4", "--text", "ok", "--tags", "db,sql")
        #expect(r.status == 0, "\(r.output)")
        let status = try ail.json("monitor", "status", "--dsn", dsn, "--format", "json")
        #expect(status["session_id"] as? String == "dev_session_001")
        #expect(status["task_type"] as? String == "database_design")
        let counts = try #require(status["counts"] as? [String: Int])
        // the tool call and the code generation are interactions too (tool_call, code_generation)
        #expect(counts == ["interactions": 3, "tool_calls": 1, "tool_failures": 0, "code_generations": 1, "accepted_generations": 1,
                           "feedback": 1, "context_events": 1, "learning_events": 1])
        let connection = try db.connect()
        let summary = try connection.execute(
            "SELECT interaction_type, sum(interaction_count)::int AS n FROM ai_performance_summary GROUP BY 1 ORDER BY 1")
        #expect(try summary.map { try "\($0.value(0, as: String.self) ?? "")=\($0.value(1, as: Int.self) ?? 0)" }
                == ["code_generation=1", "tool_call=2"])
        // log-interaction without --success stores NULL (not reported), never a made-up true
        let unreported = try connection.execute(
            "SELECT count(*)::int FROM ai_interactions WHERE model_name = 'm' AND success IS NULL").first?.value(0, as: Int.self)
        #expect(unreported == 1)
        r = try ail.run("monitor", "end_session", "--dsn", dsn, "--feedback", "5", "--text", "Excellent assistance")
        #expect(r.status == 0, "\(r.output)")
        let after = try ail.json("monitor", "status", "--dsn", dsn, "--session", "dev_session_001", "--format", "json")
        #expect(after["end_rating"] as? Int == 5)
        #expect(after["ended_at"] != nil)
        r = try ail.run("monitor", "log_tool_usage", "--dsn", dsn, "--tool", "grep", "--success", "true")
        #expect(r.status != 0 && r.output.contains("no current session"), "\(r.output)")
    }

    @Test func badInputNamesTheOption() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        _ = try ail.run("monitor", "start-session", "--dsn", db.dsn, "--id", "s")
        // `--time -5` (no '='): the value is taken as given and refused by field, not as a missing value
        let r = try ail.run("monitor", "log-tool-usage", "--dsn", db.dsn, "--tool", "grep", "--success", "maybe", "--time", "-5")
        #expect(r.status != 0)
        #expect(r.output.contains(#"--success (success): wrong type (expected boolean, got string "maybe"); --time (execution_time_ms): out of range (expected 0..., got -5)"#), "\(r.output)")
        let f = try ail.run("monitor", "log-feedback", "--dsn", db.dsn, "--rating", "7")
        #expect(f.status != 0 && f.output.contains("--rating (rating): out of range (expected 1...5, got 7)"), "\(f.output)")
    }

    /// Values beginning with '-' reach the redactor; JSON outputs have JSON types; start-session
    /// refuses options that cannot mean anything.
    @Test func monitorOptionsAndJSONTypes() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let dsn = db.dsn
        var r = try ail.run("monitor", "status", "--dsn", dsn, "--format", "json")
        #expect(r.status == 0 && r.output.contains(#""current_session" : null"#), "\(r.output)")
        // start-session names its session with --id: --session is neither listed nor accepted
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "a", "--session", "b")
        #expect(r.status == 64 && r.output.contains("Unknown option '--session'"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--help")
        #expect(r.status == 0 && r.output.contains("--id <id>") && !r.output.contains("--session"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "a", "--context", "[1, 2]")
        #expect(r.status == 65 && r.output.contains("--context: wrong type (expected a JSON object"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "a", "--developer", " ")
        #expect(r.status == 65 && r.output.contains("--developer: empty name"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "a")
        #expect(r.status == 0, "\(r.output)")
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----"
        r = try ail.run("monitor", "log-tool-usage", "--dsn", dsn, "--tool", "bash", "--success", "false", "--error", pem)
        #expect(r.status == 0, "\(r.output)")
        let stored = try db.connect().execute("SELECT error_message FROM tool_usage_analytics").first?.value(0, as: String.self)
        #expect(stored == "[REDACTED:private_key]", "\(stored ?? "nil")")
        r = try ail.run("monitor", "log-code-generation", "--dsn", dsn, "--type", "test", "--generation", "g1")
        #expect(r.status == 0, "\(r.output)")
        let decision = try ail.json("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "false", "--format", "json")
        #expect(decision["accepted"] as? Bool == false)
        #expect(decision["updated"] as? Int == 1)
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "true", "--lines-modified", "-3")
        #expect(r.status == 65 && r.output.contains("--lines-modified"), "\(r.output)")
        // accepted with 4 lines changed, then rejected: the rejection does not keep the 4
        // a second, different decision is refused naming the first, unless --change says so
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "true", "--lines-modified", "4")
        #expect(r.status == 65 && r.output.contains("generation g1 was already rejected at ")
                && r.output.contains("pass --change to change the decision"), "\(r.output)")
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "false")
        #expect(r.status == 0 && r.output.contains("nothing changed"), "\(r.output)")  // the same decision: a retry
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "true", "--lines-modified", "4", "--change")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g1", "--accepted", "false", "--change")
        #expect(r.status == 0, "\(r.output)")
        let row = try db.connect().execute("SELECT accepted, lines_modified FROM code_generation_events WHERE generation_id = 'g1'")
        #expect(try row.first?.value(0, as: Bool.self) == false)
        #expect(try row.first?.value(1, as: Int.self) == nil)
        // the issue's flag spelling, the explicit words, and the negation
        for (words, expected) in [(["--applied", "--applied-successfully"], "true/true"), (["--applied", "false"], "false/-"),
                                  (["--no-applied-successfully"], "true/false"), (["--applied-successfully", "FALSE"], "true/false"),
                                  (["--applied-successfully=false"], "true/false"), (["--applied=true"], "true/-")] {
            let id = UUID().uuidString
            r = try ail.run(["monitor", "log-learning", "--dsn", dsn, "--type", "pattern", "--confidence", "0.5", "--event-id", id] + words)
            #expect(r.status == 0, "\(words): \(r.output)")
            let stored = try db.connect().execute(
                "SELECT applied::text || '/' || COALESCE(applied_successfully::text, '-') FROM learning_events WHERE event_id = $1::uuid",
                [.text(id)]).first?.value(0, as: String.self)
            #expect(stored == expected, "\(words)")
        }
    }

    /// With --format json a failure is one JSON object on standard error, with its exit status.
    @Test func failuresAreJSONWhenAskedFor() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        func error(_ r: ChildProcess.Result) throws -> [String: Any] {
            let start = try #require(r.output.firstIndex(of: "{"), "\(r.output)")
            let object = try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [String: Any]
            return try #require(object?["error"] as? [String: Any], "\(r.output)")
        }
        var r = try ail.run("ingest", "/nonexistent.ndjson", "--dsn", db.dsn, "--format", "json")
        var e = try error(r)
        #expect(r.status == 65 && e["kind"] as? String == "input" && e["exit_code"] as? Int == 65)
        #expect((e["message"] as? String)?.contains("/nonexistent.ndjson") == true)
        r = try ail.run("monitor", "log-feedback", "--dsn", db.dsn, "--format=json")
        e = try error(r)
        #expect(r.status == 64 && e["kind"] as? String == "usage" && (e["message"] as? String)?.contains("--rating") == true)
        r = try ail.run("db", "status", "--dsn", "host=/nonexistent-ail-socket-dir", "--format", "json")
        e = try error(r)
        #expect(r.status == 69 && e["exit_code"] as? Int == 69, "\(r.output)")
        #expect(!r.output.contains("error: "), "text and JSON both printed: \(r.output)")
    }

    /// A second start or end of a session is an error (exit 65) unless it retries the same event id;
    /// an ended or unknown session takes no events; decide-code and status have no --event-id.
    @Test func monitorSessionLifecycle() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let dsn = db.dsn, start = "7b0c9a52-0000-4000-8000-0000000000a1", end = "7b0c9a52-0000-4000-8000-0000000000a2"
        var r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "x", "--event-id", start)
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "x", "--event-id", start)
        #expect(r.status == 0 && r.output.contains("already recorded (same event id)"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "x")
        #expect(r.status == 65 && r.output.contains("error: session x already exists (started 20") && !r.output.contains("already recorded"), "\(r.output)")
        r = try ail.run("monitor", "log-context", "--dsn", dsn, "--type", "other", "--data", #"{"x":1e999999}"#)
        #expect(r.status == 65 && r.output.contains("--data (data): out of range (number too large)"), "\(r.output)")
        r = try ail.run("monitor", "log-tool-usage", "--dsn", dsn, "--session", "nope", "--tool", "grep", "--success", "true")
        #expect(r.status == 65 && r.output.contains("session nope does not exist"), "\(r.output)")
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g", "--accepted", "true", "--event-id", start)
        #expect(r.status == 64 && r.output.contains("--event-id"), "\(r.output)")
        r = try ail.run("monitor", "status", "--dsn", dsn, "--event-id", start)
        #expect(r.status == 64, "\(r.output)")
        r = try ail.run("monitor", "end-session", "--dsn", dsn, "--feedback", "4", "--event-id", end)
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "end-session", "--dsn", dsn, "--session", "x", "--feedback", "4", "--event-id", end)
        #expect(r.status == 0 && r.output.contains("already recorded (same event id)"), "\(r.output)")
        r = try ail.run("monitor", "end-session", "--dsn", dsn, "--session", "x", "--feedback", "2")
        #expect(r.status == 65 && r.output.contains("session x already ended (at 20"), "\(r.output)")
        r = try ail.run("monitor", "log-feedback", "--dsn", dsn, "--session", "x", "--rating", "5")
        #expect(r.status == 65 && r.output.contains("session x has ended"), "\(r.output)")
        r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "x")
        #expect(r.status == 65 && r.output.contains(", ended 20"), "\(r.output)")
    }

    @Test func ingestHelpPointsAtAnExistingReadmeSection() throws {
        let (ail, _, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let help = try ail.run("ingest", "--help").output.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        let section = try #require(help.range(of: #"README "([^"]+)""#, options: .regularExpression).map { String(help[$0]) })
        let name = String(section.dropFirst(8).dropLast())
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.split(separator: "\n").contains { $0.hasPrefix("#") && $0.contains(name) }, "\(name)")
    }

    @Test func ingestSummaryAndExitStatus() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let file = home.appendingPathComponent("e.ndjson")
        try """
            {"type":"session_start","event_id":"7b0c9a52-0000-4000-8000-000000000001","session_id":"s","started_at":"2026-01-05T09:00:00Z"}
            {"type":"feedback","event_id":"7b0c9a52-0000-4000-8000-000000000002","session_id":"s","occurred_at":"2026-01-05T09:01:00Z","rating":0}
            {"type":"feedback","event_id":"7b0c9a52-0000-4000-8000-000000000003","session_id":"s","occurred_at":"2026-01-05T09:01:00Z","rating":3}

            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try ail.run("ingest", file.path, "--dsn", db.dsn, "--format", "json")
        #expect(r.status == 65, "\(r.output)")
        let start = try #require(r.output.firstIndex(of: "{"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [String: Int])
        #expect(json == ["received": 3, "inserted": 2, "duplicates": 0, "rejected": 1])
        let again = try ail.run("ingest", file.path, "--dsn", db.dsn)
        #expect(again.output.contains("received 3, inserted 0, duplicates 2, rejected 1"), "\(again.output)")
    }

    /// `ail ingest -` reads standard input; rejects are recorded against the file name "-".
    @Test func ingestFromStandardInput() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let lines = """
            {"type":"session_start","event_id":"7b0c9a52-0000-4000-8000-000000000011","session_id":"piped","started_at":"2026-01-05T09:00:00Z"}
            {"type":"tool_usage","event_id":"7b0c9a52-0000-4000-8000-000000000012","session_id":"piped","occurred_at":"2026-01-05T09:00:01Z","tool_name":"grep","success":true,"execution_time_ms":150}
            {"type":"tool_usage","event_id":"not-a-uuid","session_id":"piped","occurred_at":"2026-01-05T09:00:02Z","tool_name":"grep","success":true,"execution_time_ms":150}

            """
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let file = home.appendingPathComponent("piped.ndjson")
        try lines.write(to: file, atomically: true, encoding: .utf8)
        let r = try ChildProcess.run([ail.executable.path, "ingest", "-", "--dsn", db.dsn, "--format", "json"],
                                     environment: ail.environment, input: file.path, allowFailure: true)
        #expect(r.status == 65, "\(r.output)")
        let start = try #require(r.output.firstIndex(of: "{"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [String: Int])
        #expect(json == ["received": 3, "inserted": 2, "duplicates": 0, "rejected": 1])
        let connection = try Connection(dsn: db.dsn)
        let tools = try connection.execute("SELECT count(*) FROM tool_usage_analytics WHERE session_id = 'piped'")
        #expect(try tools[0].value(0, as: Int.self) == 1)
    }

    @Test func simulateIsReproducibleAndWritesTheTruth() throws {
        let (ail, _, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let a = home.appendingPathComponent("a.ndjson"), b = home.appendingPathComponent("b.ndjson")
        #expect(try ail.run("simulate", "--developers", "5", "--days", "10", "--seed", "3", "--out", a.path).status == 0)
        #expect(try ail.run("simulate", "--developers", "5", "--days", "10", "--seed", "3", "--out", b.path).status == 0)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: home.appendingPathComponent("a.truth.json"))) as? [String: Any])
        #expect(truth["seed"] as? Int == 3)
        let bad = try ail.run("simulate", "--days", "0")
        #expect(bad.status != 0 && bad.output.contains("--days"))
    }

    /// Items 9, 11, 20, 22 and 27 on the command line: a conflicting retry is refused naming the
    /// fields (a true retry is not), names are bounded, out-of-range and negative numbers are
    /// data or usage errors with a message, the derived interaction is written with its event,
    /// and a malformed pseudonym key has its own exit status.
    @Test func monitorConflictsLimitsAndExitStatuses() throws {
        let (ail, db, home) = try setUp()
        defer { try? FileManager.default.removeItem(at: home) }
        let dsn = db.dsn
        var r = try ail.run("monitor", "start-session", "--dsn", dsn, "--id", "s")
        #expect(r.status == 0, "\(r.output)")
        let id = UUID().uuidString
        r = try ail.run("monitor", "log-tool-usage", "--dsn", dsn, "--tool", "grep", "--success", "true", "--time", "5", "--event-id", id)
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "log-tool-usage", "--dsn", dsn, "--tool", "grep", "--success", "true", "--time", "5", "--event-id", id)
        #expect(r.status == 0 && r.output.contains("already recorded"), "\(r.output)")
        r = try ail.run("monitor", "log-tool-usage", "--dsn", dsn, "--tool", "bash", "--success", "true", "--time", "5", "--event-id", id)
        #expect(r.status == 65 && r.output.contains("event_id: conflict (already recorded with different tool_name)"), "\(r.output)")
        let c = try db.connect()
        #expect(try c.execute("SELECT count(*)::int FROM ai_interactions WHERE interaction_type = 'tool_call'")[0].value(0, as: Int.self) == 1)
        #expect(try c.execute("SELECT tool_name FROM tool_usage_analytics")[0].value(0, as: String.self) == "grep")

        r = try ail.run("monitor", "log-code-generation", "--dsn", dsn, "--type", "test", "--language", String(repeating: "x", count: 3000))
        #expect(r.status == 65 && r.output.contains("--language (language): out of range (expected at most 200 characters, got 3000)"), "\(r.output)")
        r = try ail.run("monitor", "log-code-generation", "--dsn", dsn, "--type", "test", "--generation", "g")
        #expect(r.status == 0, "\(r.output)")
        r = try ail.run("monitor", "decide-code", "--dsn", dsn, "--generation", "g", "--accepted", "true", "--lines-modified", "3000000000")
        #expect(r.status == 65 && r.output.contains("--lines-modified (lines_modified): out of range (expected 0...2147483647, got 3000000000)"), "\(r.output)")

        let file = home.appendingPathComponent("e.ndjson")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try Data().write(to: file)
        r = try ail.run("ingest", file.path, "--dsn", dsn, "--chunk-size", "-1")
        #expect(r.status == 64 && r.output.contains("--chunk-size: out of range (expected at least 1, got -1)")
                && r.output.contains("Usage: ail ingest"), "\(r.output)")

        var badKey = ail
        badKey.environment["AIL_PSEUDONYM_KEY"] = nil
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try Data("not a key".utf8).write(to: home.appendingPathComponent("pseudonym.key"))
        r = try badKey.run("ingest", file.path, "--dsn", dsn)
        #expect(r.status == 78 && r.output.contains("pseudonym key"), "\(r.output)")

        // A data folder that cannot be created (its parent is a file): a file-system error, 74.
        var noFolder = ail
        noFolder.environment["AIL_HOME"] = file.path + "/home"
        r = try noFolder.run("monitor", "start-session", "--dsn", dsn, "--id", "t")
        #expect(r.status == 74 && r.output.contains(file.path), "\(r.output)")
    }
}
