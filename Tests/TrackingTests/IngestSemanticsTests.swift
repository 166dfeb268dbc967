import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

/// The ingest rules of `LoadPlan`: the same rows and counts at every chunk size (one line per
/// transaction, a prime-sized chunk, the default), and a rerun repeats the first run's outcome.
@Suite struct IngestSemanticsTests {
    static let chunkSizes = [1, 37, 20_000]
    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }
    static func at(_ hhmm: String) -> String { "2026-01-05T\(hhmm):00Z" }

    static func start(_ n: Int, _ s: String, _ t: String) -> String {
        #"{"type":"session_start","event_id":"\#(id(n))","session_id":"\#(s)","started_at":"\#(at(t))"}"#
    }
    static func end(_ n: Int, _ s: String, _ t: String, rating: Int = 4) -> String {
        #"{"type":"session_end","event_id":"\#(id(n))","session_id":"\#(s)","ended_at":"\#(at(t))","rating":\#(rating)}"#
    }
    static func query(_ n: Int, _ s: String, _ t: String, model: String = "m") -> String {
        #"{"type":"interaction","event_id":"\#(id(n))","session_id":"\#(s)","occurred_at":"\#(at(t))","interaction_type":"user_query","model":"\#(model)"}"#
    }

    func ingest(_ c: Connection, _ lines: [String], chunk: Int, name: String = UUID().uuidString) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-sem-\(name).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8))),
                                 chunkSize: chunk).ingest(path: url.path)
    }

    /// Sessions as `id start end end_event` and refused lines as `line reason`.
    func state(_ c: Connection) throws -> [String] {
        let sessions = try c.execute("""
            SELECT session_id || ' ' || to_char(started_at AT TIME ZONE 'UTC', 'HH24:MI') || ' '
                   || coalesce(to_char(ended_at AT TIME ZONE 'UTC', 'HH24:MI'), 'open') || ' ' || coalesce(right(end_event_id::text, 2), '-')
              FROM ai_sessions ORDER BY session_id
            """).map { try $0.value(0, as: String.self) ?? "" }
        let rejects = try c.execute("SELECT line_number || ' ' || reason FROM ingest_rejects ORDER BY line_number")
            .map { try $0.value(0, as: String.self) ?? "" }
        return sessions + rejects
    }

    /// Items 8 and 15: an end before its session's start, and an event before an end, in line order.
    @Test(arguments: chunkSizes) func outcomeDoesNotDependOnTheChunkSize(chunk: Int) throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let lines = [
            Self.end(1, "a", "09:00"),          // a: placeholder started and ended at 09:00
            Self.start(2, "a", "10:00"),        // refused: a already has an event before 10:00
            Self.query(3, "b", "10:00"),        // b: placeholder from 10:00
            Self.end(4, "b", "09:00"),          // b's placeholder start moves back to 09:00; b ends
            Self.start(5, "c", "09:00"),
            Self.query(6, "c", "08:59"),        // refused: before c's explicit start
            Self.query(7, "c", "09:30"),
            Self.query(8, "d", "12:00"),
            Self.start(9, "d", "11:00"),        // fills d's placeholder: 11:00 is before d's first event
            Self.query(10, "d", "10:00"),       // refused: before d's explicit start
        ]
        let summary = try ingest(c, lines, chunk: chunk)
        #expect(summary == IngestSummary(received: 10, inserted: 7, duplicates: 0, rejected: 3))
        #expect(try state(c) == [
            "a 09:00 09:00 01", "b 09:00 09:00 04", "c 09:00 open -", "d 11:00 open -",
            "2 started_at: out of range (the session already has an event or a start before it, got 2026-01-05T10:00:00Z)",
            "6 occurred_at: out of range (expected at or after the session's started_at 2026-01-05T09:00:00Z, got 2026-01-05T08:59:00Z)",
            "10 occurred_at: out of range (expected at or after the session's started_at 2026-01-05T11:00:00Z, got 2026-01-05T10:00:00Z)",
        ])
        // Item 16: the same file again stores nothing new and refuses the same lines again.
        let again = try ingest(c, lines, chunk: chunk == 1 ? 37 : 1)
        #expect(again == IngestSummary(received: 10, inserted: 0, duplicates: 7, rejected: 3))
    }

    /// Item 14: an end refused at the load step does not hide a valid end with the same event id.
    @Test(arguments: chunkSizes) func aRefusedEndDoesNotHideAValidOneWithTheSameID(chunk: Int) throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let summary = try ingest(c, [Self.start(1, "s", "09:00"), Self.end(2, "s", "08:00"), Self.end(2, "s", "10:00")], chunk: chunk)
        #expect(summary == IngestSummary(received: 3, inserted: 2, duplicates: 0, rejected: 1))
        #expect(try state(c).first == "s 09:00 10:00 02")
    }

    /// Item 9: the same event id with other content is refused as a conflict naming the fields,
    /// in the same chunk and against the database alike; an identical copy is a duplicate.
    @Test(arguments: chunkSizes) func conflictingEventIDsAreRefusedNamingTheFields(chunk: Int) throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let lines = [
            Self.start(1, "s", "09:00"),
            Self.query(2, "s", "09:10"),
            Self.query(2, "s", "09:10"),                       // identical: duplicate
            Self.query(2, "s", "09:11", model: "other"),       // conflict
            #"{"type":"interaction","event_id":"\#(Self.id(2))","session_id":"s","occurred_at":"2026-01-05T10:10:00+01:00","interaction_type":"user_query","model":"m"}"#,  // same instant: duplicate
            Self.end(3, "s", "10:00", rating: 5),
            Self.end(3, "s", "10:00", rating: 1),              // conflict on the end
            Self.end(4, "s", "11:00"),                         // another end for an ended session
            Self.start(5, "s", "09:00"),                       // another start for a started session
        ]
        let summary = try ingest(c, lines, chunk: chunk, name: "conflict")
        #expect(summary == IngestSummary(received: 9, inserted: 3, duplicates: 2, rejected: 4))
        let rejects = try c.execute("SELECT line_number || ' ' || reason_code || ' ' || reason FROM ingest_rejects ORDER BY line_number")
            .map { try $0.value(0, as: String.self) ?? "" }
        #expect(rejects == [
            "4 conflict event_id: conflict (already recorded with different occurred_at, model)",
            "7 conflict event_id: conflict (already recorded with different rating)",
            "8 conflict session_id: conflict (session already ended by event \(Self.id(3)) at 2026-01-05T10:00:00Z)",
            "9 conflict session_id: conflict (session already started by event \(Self.id(1)))",
        ])
        // Against the database: the same lines again give the same reasons (and no second reject row).
        let again = try ingest(c, lines, chunk: chunk, name: "conflict")
        #expect(again == IngestSummary(received: 9, inserted: 0, duplicates: 5, rejected: 4))
        #expect(try c.execute("SELECT count(*)::bigint FROM ingest_rejects")[0].value(0, as: Int.self) == 4)
        let conflict = try ingest(c, [Self.query(2, "s", "09:10", model: "third")], chunk: chunk)
        #expect(conflict.rejected == 1)
        #expect(try c.execute("SELECT reason FROM ingest_rejects WHERE line_number = 1")[0].value(0, as: String.self)
                == "event_id: conflict (already recorded with different model)")
    }

    /// Items 10 and 17: offsets PostgreSQL refuses are refused by validation; -0 is stored as 0;
    /// a CRLF line of exactly the byte limit is not too long.
    @Test func offsetsNegativeZeroAndCRLFAtTheLimit() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let ok = #"{"type":"tool_usage","event_id":"\#(Self.id(1))","session_id":"s","occurred_at":"2026-01-05T09:00:00+15:59","tool_name":"grep","success":true,"execution_time_ms":-0}"#
        let far = #"{"type":"tool_usage","event_id":"\#(Self.id(2))","session_id":"s","occurred_at":"2026-01-05T09:00:00-16:00","tool_name":"grep","success":true}"#
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-crlf-\(UUID().uuidString).ndjson")
        try Data((ok + "\r\n" + far + "\r\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let ingester = BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8))),
                                     decoder: EventDecoder(maximumLineLength: ok.utf8.count), chunkSize: 10)
        #expect(try ingester.ingest(path: url.path) == IngestSummary(received: 2, inserted: 1, duplicates: 0, rejected: 1))
        #expect(try c.execute("SELECT execution_time_ms::text FROM tool_usage_analytics")[0].value(0, as: String.self) == "0")
        #expect(try c.execute("SELECT reason FROM ingest_rejects")[0].value(0, as: String.self)
                == #"occurred_at: timestamp unparseable (expected RFC 3339, got "2026-01-05T09:00:00-16:00")"#)
    }

    /// Item 11: every indexed name is bounded; a longer one is refused naming the field and the limit.
    @Test func longNamesAreRefusedNamingTheLimit() {
        let long = String(repeating: "x", count: 201)
        for field in ["language", "generation_id"] {
            let line = #"{"type":"code_generation","event_id":"\#(Self.id(1))","session_id":"s","occurred_at":"\#(Self.at("09:00"))","generation_type":"test","\#(field)":"\#(long)"}"#
            guard case .failure(let why) = EventDecoder().decode(line: line) else { Issue.record("\(field) accepted"); continue }
            #expect(why.description == "\(field): out of range (expected at most 200 characters, got 201)")
        }
    }

    /// Item 17: unknown keys are reported once each, in order (the check is linear in their number).
    @Test func manyUnknownKeysAreRefused() {
        var line = #"{"type":"feedback","event_id":"\#(Self.id(1))","session_id":"s","occurred_at":"\#(Self.at("09:00"))","rating":3"#
        for k in 0..<100_000 { line += #","k\#(k)":1"# }
        line += "}"
        guard case .failure(let why) = EventDecoder(maximumLineLength: 1 << 22).decode(line: line) else { Issue.record("accepted"); return }
        #expect(why.errors.count == 100_000)
        #expect(why.errors.first == FieldError(field: "k0", kind: .unknownField))
        #expect(why.errors.last == FieldError(field: "k99999", kind: .unknownField))
    }
}
