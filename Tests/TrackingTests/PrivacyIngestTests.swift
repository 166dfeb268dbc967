import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

/// What reaches the database: no raw developer names, no secrets, in rejects and in every text field.
@Suite struct PrivacyIngestTests {
    static let key = Data("privacy-key".utf8)
    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    func ingest(_ c: Connection, _ lines: [String]) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-priv-\(UUID().uuidString).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Self.key))).ingest(path: url.path)
    }

    @Test func rejectedLinesKeepNoNamesAndNoEscapedSecrets() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let summary = try ingest(c, [
            // valid JSON, refused (no started_at): re-serialised, pseudonymised, redacted after unescaping
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s","developer":"Dave Private","context":{"k":"AKIA\u0049OSFODNN7EXAMPLE"},"tags":["a\u0040b.com"]}"#,
            // not JSON (cut short): pattern-based
            #"{"type":"session_start","developer":"Dave Private","x":"AKIA\u0049OSFODNN7EXAMPLE mail a\u0040b.com"#,
            #"{"type":"session_start", "developer" : "Dave \"The\" Private"#,
        ])
        #expect(summary == IngestSummary(received: 3, inserted: 0, duplicates: 0, rejected: 3))
        let raws = try c.execute("SELECT raw_line FROM ingest_rejects ORDER BY line_number").map { try $0.value(0, as: String.self) ?? "" }
        let pseudonym = Pseudonymizer(key: Self.key).pseudonym(for: "Dave Private")
        #expect(raws == [
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s","developer":"\#(pseudonym)","context":{"k":"[REDACTED:aws_access_key]"},"tags":["[REDACTED:email]"]}"#,
            #"{"type":"session_start","developer":"[REDACTED:developer]","x":"[REDACTED:aws_access_key] mail [REDACTED:email]"#,
            #"{"type":"session_start", "developer" : "[REDACTED:developer]""#,
        ])
        for raw in raws { #expect(!raw.contains("Dave") && !raw.contains("Private") && !raw.contains("EXAMPLE") && !raw.contains("b.com")) }
    }

    @Test func everyFreeTextFieldAndTagIsRedacted() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let secret = "AKIAIOSFODNN7EXAMPLE", mail = "ada@example.com"
        let t = #""occurred_at":"2026-01-05T09:30:00Z""#
        let summary = try ingest(c, [
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s","started_at":"2026-01-05T09:00:00Z","task_type":"fix \#(secret)","tags":["\#(mail)"]}"#,
            #"{"type":"interaction","event_id":"\#(Self.id(2))","session_id":"s",\#(t),"interaction_type":"user_query","success":false,"model":"m \#(mail)","error_type":"\#(secret)","context_tags":["\#(mail)"]}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(3))","session_id":"s",\#(t),"tool_name":"t \#(secret)","success":false,"error_type":"\#(mail)"}"#,
            #"{"type":"code_generation","event_id":"\#(Self.id(4))","session_id":"s",\#(t),"generation_type":"test","file_path":"/home/\#(mail)/x.py","language":"\#(secret)"}"#,
            #"{"type":"feedback","event_id":"\#(Self.id(5))","session_id":"s",\#(t),"rating":3,"context_tags":["\#(secret)"]}"#,
            #"{"type":"learning","event_id":"\#(Self.id(6))","session_id":"s",\#(t),"learning_type":"\#(mail)","confidence_score":0.5}"#,
            #"{"type":"session_end","event_id":"\#(Self.id(7))","session_id":"s","ended_at":"2026-01-05T10:00:00Z","tags":["\#(secret)"]}"#,
        ])
        #expect(summary == IngestSummary(received: 7, inserted: 7, duplicates: 0, rejected: 0))
        // The monitor writes through the same loader: its task type comes from the context.
        let monitor = SessionMonitor(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Self.key))
        try monitor.startSession(id: "m", context: JSONText(#"{"task":"rotate \#(secret)"}"#), tags: [mail])
        try monitor.logToolUsage(tool: "grep", success: false, errorType: mail, session: "m")

        let dump = try c.execute("""
            SELECT concat_ws(' | ', (SELECT string_agg(concat_ws(',', task_type, tags::text), ';') FROM ai_sessions),
                (SELECT string_agg(concat_ws(',', model_name, error_type, context_tags::text), ';') FROM ai_interactions),
                (SELECT string_agg(concat_ws(',', tool_name, error_type), ';') FROM tool_usage_analytics),
                (SELECT string_agg(concat_ws(',', file_path, language), ';') FROM code_generation_events),
                (SELECT string_agg(context_tags::text, ';') FROM user_feedback),
                (SELECT string_agg(learning_type, ';') FROM learning_events))
            """)[0].value(0, as: String.self) ?? ""
        #expect(!dump.contains(secret) && !dump.contains(mail), "\(dump)")
        #expect(try c.execute("SELECT task_type FROM ai_sessions WHERE session_id = 'm'")[0].value(0, as: String.self)
                == "rotate [REDACTED:aws_access_key]")
        #expect(try c.execute("SELECT file_path FROM code_generation_events")[0].value(0, as: String.self) == "/home/[REDACTED:email]/x.py")
        #expect(try c.execute("SELECT tags FROM ai_sessions WHERE session_id = 's'")[0].value(0, as: [String].self)
                == ["[REDACTED:email]", "[REDACTED:aws_access_key]"])
    }

    /// A `developer` key inside context, parameters or data is pseudonymised like the `developer`
    /// field (at any depth; null kept, a non-string value replaced by a marker), on ingest and
    /// through the monitor, and the other strings are still redacted.
    @Test func developerNamesInsideJSONArePseudonymised() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let t = #""occurred_at":"2026-01-05T09:30:00Z""#
        let summary = try ingest(c, [
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s","started_at":"2026-01-05T09:00:00Z","context":{"developer":"Alice Smithers","team":{"developer":7,"lead":"bob@example.com"},"list":[{"developer":null}]}}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(2))","session_id":"s",\#(t),"tool_name":"grep","success":true,"parameters":{"developer":"Alice Smithers","q":"x"}}"#,
            #"{"type":"context","event_id":"\#(Self.id(3))","session_id":"s",\#(t),"context_type":"other","data":[{"developer":"Alice Smithers"}]}"#,
        ])
        #expect(summary == IngestSummary(received: 3, inserted: 3, duplicates: 0, rejected: 0))
        let monitor = SessionMonitor(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Self.key))
        try monitor.startSession(id: "m", context: JSONText(#"{"task":"review","developer":"Alice Smithers"}"#))

        let alice = Pseudonymizer(key: Self.key).pseudonym(for: "Alice Smithers")
        #expect(alice.hasPrefix("dev_") && alice.count == 36)
        func same(_ sql: String, _ expected: String) throws -> Bool {
            try c.execute("SELECT (\(sql)) = $1::jsonb", [SQLValue(expected)])[0].value(0, as: Bool.self) == true
        }
        #expect(try same("SELECT context FROM ai_sessions WHERE session_id = 's'",
            #"{"developer":"\#(alice)","team":{"developer":"[REDACTED:developer]","lead":"[REDACTED:email]"},"list":[{"developer":null}]}"#))
        #expect(try same("SELECT parameters FROM tool_usage_analytics", #"{"developer":"\#(alice)","q":"x"}"#))
        #expect(try same("SELECT context_data FROM context_awareness_events", #"[{"developer":"\#(alice)"}]"#))
        #expect(try same("SELECT context FROM ai_sessions WHERE session_id = 'm'", #"{"task":"review","developer":"\#(alice)"}"#))
        let raw = try c.execute("""
            SELECT (SELECT count(*) FROM ai_sessions x WHERE x::text LIKE '%Alice%')
                 + (SELECT count(*) FROM tool_usage_analytics x WHERE x::text LIKE '%Alice%')
                 + (SELECT count(*) FROM context_awareness_events x WHERE x::text LIKE '%Alice%')
            """)[0].value(0, as: Int.self)
        #expect(raw == 0)
    }

    /// The simulator's developer names reach the database only as pseudonyms: no column of any
    /// table holds one (session ids carry a developer number instead of the name).
    @Test func simulatedDataStoresNoDeveloperName() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ail-simpriv-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: file) }
        let truth = try WorkloadSimulator(developers: 12, days: 7, seed: 7).write(to: file)
        var names = Set<String>()
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            guard case .object(let members) = try JSONReader.parse(String(line)) else { continue }
            if case .string(let name)? = members.first(where: { $0.key == "developer" })?.value { names.insert(name) }
        }
        #expect(names.count == 12 && names.allSatisfy { $0.hasPrefix("sim-dev-") }, "\(names)")
        let total = truth.eventCounts.values.reduce(0, +)
        let summary = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Self.key))).ingest(path: file.path)
        #expect(summary == IngestSummary(received: total, inserted: total, duplicates: 0, rejected: 0))
        // The names did arrive, as one pseudonym each.
        #expect(try c.execute("SELECT count(DISTINCT developer_id)::bigint FROM ai_sessions")[0].value(0, as: Int.self) == 12)

        let tables = try c.execute("""
            SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1
            """).map { try $0.value(0, as: String.self) ?? "" }
        #expect(tables.contains("ai_sessions") && tables.contains("ingest_rejects") && tables.count >= 12, "\(tables)")
        for table in tables {
            let hits = try c.execute("SELECT count(*)::bigint FROM \(table) x WHERE x::text LIKE '%sim-dev-%'")[0].value(0, as: Int.self)
            #expect(hits == 0, "\(table) holds a raw developer name")
        }
    }
}
