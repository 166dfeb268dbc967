import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking
import Primitives

/// Hand-written NDJSON with one of every kind of bad record; counts and reasons asserted exactly.
@Suite struct IngestTests {
    static let key = Data("test-pseudonym-key".utf8)

    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    /// (line text or raw bytes, expected reason if rejected)
    static var lines: [[UInt8]] {
        var invalidUTF8 = Array(#"{"type":"feedback","text":"caf"#.utf8)
        invalidUTF8.append(0xC3)
        invalidUTF8.append(contentsOf: Array(#""}"#.utf8))
        let long = #"{"type":"feedback","event_id":"\#(id(10))","session_id":"s1","occurred_at":"2026-01-05T09:10:00Z","rating":3,"text":""# + String(repeating: "x", count: 600) + #""}"#
        let text = [
            #"{"type":"session_start","event_id":"\#(id(1))","session_id":"s1","developer":"ada lovelace","started_at":"2026-01-05T09:00:00Z","task_type":"database_design","context":{"files":["migrations/"],"token":"Bearer abcdef1234567890"},"tags":["x"]}"#,
            #"{"type":"tool_usage","event_id":"\#(id(2))","session_id":"s1","occurred_at":"2026-01-05T09:01:00Z","tool_name":"grep","success":false,"execution_time_ms":150,"error_type":"auth","error_message":"key AKIAIOSFODNN7EXAMPLE leaked"}"#,
            "   ",
            #"{"type":"interaction","event_id":"\#(id(4))","session_id":"s1","occurred_at":"2026-01-05T09:02:00Z","interaction_type":"user_query"}"#,
            #"{"type":"feedback","event_id":"\#(id(5))","session_id":"s1","occurred_at":"2026-01-05T09:03:00Z","rating":9}"#,
            #"{"type":"tool_usage","#,
            "INVALID_UTF8",
            #"{"type":"telemetry","event_id":"\#(id(8))","session_id":"s1"}"#,
            #"{"type":"tool_usage","event_id":"\#(id(9))","session_id":"s1","occurred_at":"yesterday","tool_name":"grep","success":true}"#,
            long,
            #"{"type":"code_generation","event_id":"\#(id(11))","session_id":"s2","occurred_at":"2026-01-05T08:30:00Z","generation_type":"test","language":"swift","lines_generated":12,"accepted":true,"time_to_decision_ms":3000}"#,
            #"{"type":"tool_usage","event_id":"\#(id(2))","session_id":"s1","occurred_at":"2026-01-05T09:01:00Z","tool_name":"grep","success":false,"execution_time_ms":150,"error_type":"auth","error_message":"key AKIAIOSFODNN7EXAMPLE leaked"}"#,
            #"{"type":"session_end","event_id":"\#(id(13))","session_id":"s1","ended_at":"2026-01-05T10:00:00Z","rating":5,"text":"Excellent assistance, mail ada@example.com","tags":["y"]}"#,
            #"{"type":"session_start","event_id":"\#(id(14))","session_id":"s3","started_at":"2026-01-05T10:00:00Z"}"#,
            #"{"type":"session_end","event_id":"\#(id(15))","session_id":"s3","ended_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"context","event_id":"\#(id(16))","session_id":"s1","occurred_at":"2026-01-05T09:04:00Z","context_type":"open_files","data":{"files":["a.swift"]},"relevance_score":0.7}"#,
            #"{"type":"learning","event_id":"\#(id(17))","session_id":"s1","occurred_at":"2026-01-05T09:05:00Z","learning_type":"pattern","description":"use COPY","confidence_score":0.8,"applied":true,"applied_successfully":true}"#,
            #"{"type":"feedback","event_id":"\#(id(18))","session_id":"s1","occurred_at":"2026-01-05T09:06:00Z","rating":4,"text":"good","context_tags":["db"]}"#,
            #"{"type":"interaction","event_id":"\#(id(19))","session_id":"s1","occurred_at":"2026-01-05T09:07:00Z","interaction_type":"tool_call","success":"true","response_time_ms":"210.5","tokens_in":"100"}"#,
        ]
        return text.map { $0 == "INVALID_UTF8" ? invalidUTF8 : Array($0.utf8) }
    }

    static let expectedRejects: [(Int, String, String)] = [
        (5, "out_of_range", "rating: out of range (expected 1...5, got 9)"),
        (6, "invalid_json", "line: invalid JSON (at byte 22: expected a string key)"),
        (7, "invalid_utf8", "line: invalid UTF-8 (at byte 31)"),
        (8, "unknown_event_type", "type: unknown event type (got \"telemetry\"; expected one of session_start, interaction, tool_usage, code_generation, feedback, context, learning, session_end)"),
        (9, "invalid_timestamp", "occurred_at: timestamp unparseable (expected RFC 3339, got \"yesterday\")"),
        (10, "line_too_long", "line: line too long (expected at most 500 bytes, got 745)"),
        (15, "out_of_range", "ended_at: out of range (expected at or after the session's started_at 2026-01-05T10:00:00Z, got 2026-01-05T09:00:00Z)"),
    ]

    func writeFile() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-ingest-\(UUID().uuidString).ndjson")
        var data = Data()
        for line in Self.lines { data.append(contentsOf: line); data.append(0x0A) }
        try data.write(to: url)
        return url
    }

    func ingester(_ connection: Connection, chunk: Int) -> BatchIngester {
        BatchIngester(loader: EventLoader(connection: connection, pseudonymizer: Pseudonymizer(key: Self.key)),
                      decoder: EventDecoder(maximumLineLength: 500), chunkSize: chunk)
    }

    /// Run at several chunk sizes (one line per transaction, a few, a prime, the default): the
    /// outcome must not depend on it.
    @Test(arguments: [1, 4, 37, 20_000]) func everyKindOfBadRecordAndExactCounts(chunk: Int) throws {
        #expect(Self.lines[9].count == 745)
        let db = try TestDatabase.create()
        let connection = try db.connect()
        let file = try writeFile()
        defer { try? FileManager.default.removeItem(at: file) }

        let first = try ingester(connection, chunk: chunk).ingest(path: file.path)
        // Line 4 (an interaction that does not report success) is stored with success NULL.
        #expect(first == IngestSummary(received: 18, inserted: 10, duplicates: 1, rejected: 7))

        let rejects = try connection.execute("SELECT file, line_number, reason_code, reason, raw_line FROM ingest_rejects ORDER BY line_number")
        #expect(rejects.count == Self.expectedRejects.count)
        for (row, expected) in zip(rejects, Self.expectedRejects) {
            #expect(try row.value("file", as: String.self) == file.path)
            #expect(try row.value("line_number", as: Int.self) == expected.0)
            #expect(try row.value("reason_code", as: String.self) == expected.1)
            #expect(try row.value("reason", as: String.self) == expected.2)
        }
        #expect(try rejects[2].value("raw_line", as: String.self) == "{\"type\":\"feedback\",\"text\":\"caf\u{FFFD}\"}")

        // Pseudonym, never the name; secrets redacted; placeholder session for s2; ended session s1.
        let sessions = try connection.execute("SELECT session_id, developer_id, end_rating::int AS r, end_feedback_text, context::text AS c, tags, started_at FROM ai_sessions ORDER BY session_id")
        #expect(sessions.count == 3)
        #expect(try sessions[0].value("developer_id", as: String.self) == Pseudonymizer(key: Self.key).pseudonym(for: "ada lovelace"))
        #expect(try sessions[0].value("r", as: Int.self) == 5)
        #expect(try sessions[0].value("end_feedback_text", as: String.self) == "Excellent assistance, mail [REDACTED:email]")
        #expect(try sessions[0].value("c", as: String.self) == #"{"files": ["migrations/"], "token": "[REDACTED:secret_value]"}"#)
        #expect(try sessions[0].value("tags", as: [String].self) == ["x", "y"])
        #expect(try sessions[1].value("session_id", as: String.self) == "s2")
        #expect(try sessions[1].value("developer_id", as: String.self) == nil)
        #expect(try sessions[1].value("started_at", as: Date.self) == Date(timeIntervalSince1970: TimestampText.seconds(rfc3339: "2026-01-05T08:30:00Z")!))
        let everything = try connection.execute("SELECT count(*)::bigint AS n FROM ai_sessions WHERE developer_id LIKE '%ada%' OR end_feedback_text LIKE '%ada@%'")
        #expect(try everything[0].value("n", as: Int.self) == 0)
        let tool = try connection.execute("SELECT error_message FROM tool_usage_analytics")
        #expect(tool.count == 1)
        #expect(try tool[0].value("error_message", as: String.self) == "key [REDACTED:aws_access_key] leaked")
        let feedback = try connection.execute("SELECT rating::int AS r FROM user_feedback ORDER BY created_at")
        #expect(try feedback.map { try $0.value("r", as: Int.self) } == [4, 5])
        let generation = try connection.execute("SELECT accepted, decided_at, created_at FROM code_generation_events")
        #expect(try generation[0].value("decided_at", as: Date.self)?.timeIntervalSince1970 == TimestampText.seconds(rfc3339: "2026-01-05T08:30:03Z"))
        let interaction = try connection.execute("SELECT response_time_ms, tokens_in, tokens_out, success FROM ai_interactions ORDER BY created_at")
        #expect(interaction.count == 2)
        #expect(try interaction[0].value("success", as: Bool.self) == nil)  // not reported: NULL, not false
        #expect(try interaction[1].value("success", as: Bool.self) == true)
        #expect(try interaction[1].value("response_time_ms", as: Double.self) == 210.5)
        #expect(try interaction[1].value("tokens_out", as: Int.self) == nil)

        // The same file again: nothing new, the same rejects, no second copy of them.
        let second = try ingester(connection, chunk: 7).ingest(path: file.path)
        #expect(second == IngestSummary(received: 18, inserted: 0, duplicates: 11, rejected: 7))
        let rejectCount = try connection.execute("SELECT count(*)::bigint AS n FROM ingest_rejects")
        #expect(try rejectCount[0].value("n", as: Int.self) == 7)
        #expect(try IngestTests.storedEvents(connection) == 10)
    }

    /// Events stored, counted from the tables (session rows count their start and their end).
    static func storedEvents(_ connection: Connection) throws -> Int {
        let result = try connection.execute("""
            SELECT ((SELECT count(*) FROM ai_sessions WHERE event_id IS NOT NULL)
                  + (SELECT count(*) FROM ai_sessions WHERE end_event_id IS NOT NULL)
                  + (SELECT count(*) FROM ai_interactions) + (SELECT count(*) FROM tool_usage_analytics)
                  + (SELECT count(*) FROM code_generation_events) + (SELECT count(*) FROM context_awareness_events)
                  + (SELECT count(*) FROM learning_events)
                  + (SELECT count(*) FROM user_feedback f WHERE NOT EXISTS (SELECT 1 FROM ai_sessions s WHERE s.end_event_id = f.event_id)))::bigint AS n
            """)
        return try result[0].value("n", as: Int.self) ?? -1
    }

    /// `./x`, `dir/sub/../x` and a relative path are one file for `ingest_rejects`; a BOM is skipped.
    @Test func rejectsAreKeyedByTheStandardisedPathAndABOMIsSkipped() throws {
        let db = try TestDatabase.create()
        let connection = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.ndjson")
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(contentsOf: Array("""
            {"type":"session_start","event_id":"\(Self.id(1))","session_id":"s","started_at":"2026-01-05T09:00:00Z"}
            {"type":"feedback","event_id":"\(Self.id(2))","session_id":"s","occurred_at":"2026-01-05T09:01:00Z","rating":0}

            """.utf8))
        try data.write(to: file)
        let absolute = file.standardizedFileURL.path
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + absolute.dropFirst()
        var runs: [IngestSummary] = []
        for path in [absolute, folder.path + "/./x.ndjson", folder.path + "/sub/../x.ndjson", relative] {
            runs.append(try ingester(connection, chunk: 10).ingest(path: path))
        }
        #expect(runs[0] == IngestSummary(received: 2, inserted: 1, duplicates: 0, rejected: 1))
        #expect(runs[3] == IngestSummary(received: 2, inserted: 0, duplicates: 1, rejected: 1))
        let rejects = try connection.execute("SELECT file, line_number FROM ingest_rejects")
        #expect(rejects.count == 1)
        #expect(try rejects[0].value("file", as: String.self) == absolute)
        #expect(try rejects[0].value("line_number", as: Int.self) == 2)
        #expect(BatchIngester.recordedName("-") == "-")
    }

    @Test func migration017IsRerunnable() throws {
        let db = try TestDatabase.create()
        let connection = try db.connect()
        let sql = try String(contentsOf: PackagePaths.migrations.appendingPathComponent("017_tracking_ingest.sql"), encoding: .utf8)
        try connection.executeScript(sql)  // already applied once by TestDatabase: a second run changes nothing
        try connection.executeScript(sql)
        let columns = try connection.execute("SELECT count(*)::bigint FROM information_schema.columns WHERE table_name = 'ai_sessions' AND column_name = 'end_event_id'")
        #expect(try columns[0].value(0, as: Int.self) == 1)
    }

    @Test func partOfAFileSentAgainIsNotDuplicated() throws {
        let db = try TestDatabase.create()
        let connection = try db.connect()
        var lines: [String] = []
        try WorkloadSimulator(developers: 4, days: 10, seed: 5).run { lines.append($0) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-part-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let half = folder.appendingPathComponent("half.ndjson"), all = folder.appendingPathComponent("all.ndjson")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n").write(to: half, atomically: true, encoding: .utf8)
        try (lines.joined(separator: "\n")).write(to: all, atomically: true, encoding: .utf8)  // no final newline
        let a = try ingester(connection, chunk: 1000).ingest(path: half.path)
        #expect(a == IngestSummary(received: lines.count / 2, inserted: lines.count / 2, duplicates: 0, rejected: 0))
        let b = try ingester(connection, chunk: 333).ingest(path: all.path)
        #expect(b == IngestSummary(received: lines.count, inserted: lines.count - lines.count / 2, duplicates: lines.count / 2, rejected: 0))
        #expect(try IngestTests.storedEvents(connection) == lines.count)
    }

    /// Ingests `lines` (text) from a fresh file at `chunk` lines per transaction.
    func ingest(_ connection: Connection, _ lines: [String], chunk: Int) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-end-\(UUID().uuidString).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try ingester(connection, chunk: chunk).ingest(path: url.path)
    }

    static func start(_ n: Int, _ session: String, _ at: String) -> String {
        #"{"type":"session_start","event_id":"\#(id(n))","session_id":"\#(session)","started_at":"2026-01-05T\#(at):00Z"}"#
    }

    static func end(_ n: Int, _ session: String, _ at: String, rating: Int) -> String {
        #"{"type":"session_end","event_id":"\#(id(n))","session_id":"\#(session)","ended_at":"2026-01-05T\#(at):00Z","rating":\#(rating)}"#
    }

    /// An end before its session's start is refused before the session's end is chosen, so a valid
    /// end later in the same chunk still ends the session; another end after the session ended is
    /// a conflict, and one before the start is refused for that first. The counts are those of
    /// loading one line at a time, whatever the chunk size.
    @Test(arguments: [1, 2, 1000]) func aValidEndAfterAnInvalidOneEndsTheSession(chunk: Int) throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let summary = try ingest(c, [
            Self.start(1, "e2", "09:00"),
            Self.end(2, "e2", "08:00", rating: 3),    // before the start: refused
            Self.end(3, "e2", "10:00", rating: 4),    // ends e2
            Self.start(4, "e3", "09:00"),
            Self.end(5, "e3", "07:00", rating: 1),    // refused
            Self.end(6, "e3", "08:00", rating: 1),    // refused
            Self.end(7, "e3", "11:00", rating: 5),    // ends e3: the first valid end in the file
            Self.end(8, "e3", "10:00", rating: 2),    // e3 has ended: a conflict
            Self.end(9, "e3", "06:00", rating: 2),    // before e3's start: refused for that
        ], chunk: chunk)
        #expect(summary == IngestSummary(received: 9, inserted: 4, duplicates: 0, rejected: 5))
        let sessions = try c.execute("""
            SELECT session_id, ended_at, end_rating::int AS r, end_event_id FROM ai_sessions ORDER BY session_id
            """)
        #expect(sessions.count == 2)
        #expect(try sessions[0].value("ended_at", as: Date.self) == Date(timeIntervalSince1970: TimestampText.seconds(rfc3339: "2026-01-05T10:00:00Z")!))
        #expect(try sessions[0].value("r", as: Int.self) == 4)
        #expect(try sessions[0].value("end_event_id", as: UUID.self) == UUID(uuidString: Self.id(3)))
        #expect(try sessions[1].value("ended_at", as: Date.self) == Date(timeIntervalSince1970: TimestampText.seconds(rfc3339: "2026-01-05T11:00:00Z")!))
        #expect(try sessions[1].value("r", as: Int.self) == 5)
        let feedback = try c.execute("SELECT event_id, rating::int AS r FROM user_feedback ORDER BY event_id")
        #expect(try feedback.map { try $0.value("event_id", as: UUID.self) } == [UUID(uuidString: Self.id(3)), UUID(uuidString: Self.id(7))])
        #expect(try feedback.map { try $0.value("r", as: Int.self) } == [4, 5])
        let rejects = try c.execute("SELECT line_number::int AS n, reason FROM ingest_rejects ORDER BY line_number")
        #expect(try rejects.map { try $0.value("n", as: Int.self) } == [2, 5, 6, 8, 9])
        #expect(try rejects[0].value("reason", as: String.self)
            == "ended_at: out of range (expected at or after the session's started_at 2026-01-05T09:00:00Z, got 2026-01-05T08:00:00Z)")
        #expect(try rejects[3].value("reason", as: String.self)
            == "session_id: conflict (session already ended by event \(Self.id(7)) at 2026-01-05T11:00:00Z)")
        // Again: every event is stored already, and the refused lines are refused again (not stored twice).
        let again = try ingest(c, [Self.start(1, "e2", "09:00"), Self.end(2, "e2", "08:00", rating: 3), Self.end(3, "e2", "10:00", rating: 4)],
                               chunk: chunk)
        #expect(again == IngestSummary(received: 3, inserted: 0, duplicates: 2, rejected: 1))
    }
}
