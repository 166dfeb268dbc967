import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

/// Records that pass validation must never abort a run: `inserted + duplicates + rejected == received`.
@Suite struct IngestInvariantTests {
    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    func write(_ lines: [String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-inv-\(UUID().uuidString).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func ingest(_ connection: Connection, _ url: URL, chunk: Int = 1000) throws -> IngestSummary {
        try BatchIngester(loader: EventLoader(connection: connection, pseudonymizer: Pseudonymizer(key: Data("k".utf8))),
                          chunkSize: chunk).ingest(path: url.path)
    }

    func scalar(_ c: Connection, _ sql: String) throws -> String? {
        try c.execute(sql).first?.value(0, as: String.self)
    }

    /// Same event id within one chunk (every table), an event id already used by another session's
    /// start or end, and numbers PostgreSQL's numeric (or interval arithmetic) cannot hold.
    @Test func duplicateEventIDsAndHugeNumbersNeverAbortTheRun() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let t = #""occurred_at":"2026-01-05T09:30:00Z""#
        var first = [
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s_a","started_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s_b","started_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(3))","session_id":"s_a",\#(t),"tool_name":"grep","success":true}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(3))","session_id":"s_a",\#(t),"tool_name":"bash","success":false}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(2))","session_id":"s_a","ended_at":"2026-01-05T10:00:00Z","rating":4}"#,
            #"{"type":"session_start","event_id":"\#(Self.id(4))","session_id":"s_b","started_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(2))","session_id":"s_b","ended_at":"2026-01-05T10:00:00Z","rating":2}"#,
            #"{"type":"context","event_id":"\#(Self.id(5))","session_id":"s_a",\#(t),"context_type":"other","data":{"x":1e999999}}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(6))","session_id":"s_a",\#(t),"tool_name":"grep","success":true,"execution_time_ms":1e999999}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(7))","session_id":"s_a",\#(t),"tool_name":"grep","success":true,"parameters":{"y":[0.5e-16383]}}"#,
            #"{"type":"code_generation","event_id":"\#(Self.id(8))","session_id":"s_a",\#(t),"generation_type":"test","accepted":true,"time_to_decision_ms":1e16}"#,
        ]
        let twice = [
            #"{"type":"interaction","event_id":"\#(Self.id(20))","session_id":"s_a",\#(t),"interaction_type":"user_query","success":true}"#,
            #"{"type":"code_generation","event_id":"\#(Self.id(21))","session_id":"s_a",\#(t),"generation_type":"test"}"#,
            #"{"type":"feedback","event_id":"\#(Self.id(22))","session_id":"s_a",\#(t),"rating":3}"#,
            #"{"type":"context","event_id":"\#(Self.id(23))","session_id":"s_a",\#(t),"context_type":"other","data":{}}"#,
            #"{"type":"learning","event_id":"\#(Self.id(24))","session_id":"s_a",\#(t),"learning_type":"p","confidence_score":0.5}"#,
        ]
        first += twice + twice
        let a = try write(first)
        defer { try? FileManager.default.removeItem(at: a) }
        let one = try ingest(c, a)
        // The repeated ids with other content (lines 2, 4 and 7) are conflicts.
        #expect(one == IngestSummary(received: 21, inserted: 9, duplicates: 5, rejected: 7))
        #expect(one.inserted + one.duplicates + one.rejected == one.received)
        #expect(try scalar(c, "SELECT string_agg(session_id || '=' || event_id::text, ',' ORDER BY session_id) FROM ai_sessions")
                == "s_a=\(Self.id(1)),s_b=\(Self.id(4))")
        #expect(try scalar(c, "SELECT tool_name FROM tool_usage_analytics WHERE event_id = '\(Self.id(3))'") == "grep")  // first wins
        #expect(try scalar(c, "SELECT string_agg(session_id, ',') FROM ai_sessions WHERE end_event_id IS NOT NULL") == "s_a")
        let reasons = try c.execute("SELECT line_number, reason FROM ingest_rejects ORDER BY line_number")
            .map { "\(try $0.value("line_number", as: Int.self) ?? 0) \(try $0.value("reason", as: String.self) ?? "")" }
        #expect(reasons == [
            "2 event_id: conflict (already recorded with different session_id)",
            "4 event_id: conflict (already recorded with different tool_name, success)",
            "7 event_id: conflict (already recorded with different session_id, rating)",
            "8 data: out of range (number too large)",
            "9 execution_time_ms: out of range (number too large)",
            "10 parameters: out of range (number with more than 16383 digits after the decimal point)",
            "11 time_to_decision_ms: out of range (expected 0...1000000000000, got 1e16)",
        ])

        // Event ids already in the database for another session's start or end are conflicts.
        let b = try write([
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s_c","started_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(2))","session_id":"s_b","ended_at":"2026-01-05T10:00:00Z"}"#,
            #"{"type":"session_start","event_id":"\#(Self.id(9))","session_id":"s_c","started_at":"2026-01-05T09:00:00Z"}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(2))","session_id":"s_c","ended_at":"2026-01-05T10:00:00Z"}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(10))","session_id":"s_c","ended_at":"2026-01-05T11:00:00Z"}"#,
        ])
        defer { try? FileManager.default.removeItem(at: b) }
        let two = try ingest(c, b)
        #expect(two == IngestSummary(received: 5, inserted: 2, duplicates: 0, rejected: 3))
        #expect(try scalar(c, "SELECT event_id::text || ' ' || end_event_id::text FROM ai_sessions WHERE session_id = 's_c'")
                == "\(Self.id(9)) \(Self.id(10))")
        #expect(try scalar(c, "SELECT coalesce(end_event_id::text, 'open') FROM ai_sessions WHERE session_id = 's_b'") == "open")

        // Both files again, in small chunks: everything valid is a duplicate, rejects are not written twice.
        let again = try ingest(c, a, chunk: 3)
        #expect(again == IngestSummary(received: 21, inserted: 0, duplicates: 14, rejected: 7))
        #expect(try ingest(c, b, chunk: 2) == IngestSummary(received: 5, inserted: 0, duplicates: 2, rejected: 3))
        #expect(try IngestTests.storedEvents(c) == 11)
        #expect(try scalar(c, "SELECT count(*)::text FROM ingest_rejects") == "10")
    }

    @Test func monitorRefusesHugeNumbersWithTheField() throws {
        let db = try TestDatabase.create()
        let monitor = SessionMonitor(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Data("k".utf8)))
        try monitor.startSession(id: "s")
        do {
            try monitor.logContext(type: .other, data: JSONText(#"{"x":1e999999}"#), session: "s")
            Issue.record("1e999999 accepted")
        } catch MonitorError.invalid(let r) {
            #expect(r.description == "data: out of range (number too large)")
        }
    }
}
