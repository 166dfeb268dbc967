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
    /// The secrets of issue 10 (values under secret-named keys, secrets used as keys, libpq
    /// `password=`, Slack, JWT, Google keys) in every place they reach the database: free text,
    /// tags, JSON values and keys of context, parameters and data (ingest and monitor alike), and
    /// rejected lines (valid JSON and not). Counts under `tokens_in`/`max_tokens` stay.
    @Test func structuredSecretsInEveryPlace() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let slack = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        let google = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
        let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let t = #""occurred_at":"2026-01-05T09:30:00Z""#
        let summary = try ingest(c, [
            #"{"type":"session_start","event_id":"\#(Self.id(1))","session_id":"s","started_at":"2026-01-05T09:00:00Z","context":{"env":{"AWS_SECRET_ACCESS_KEY":"\#(aws)","DB_PASSWORD":"hunter2"},"usage":{"tokens_in":120,"max_tokens":4096},"\#(google)":"k"},"tags":["\#(slack)"]}"#,
            #"{"type":"tool_usage","event_id":"\#(Self.id(2))","session_id":"s",\#(t),"tool_name":"psql","success":false,"error_message":"connect host=db user=app password=s3cr3t-pw failed","parameters":{"dsn":"host=db password='sp ace' dbname=x","api_key":"k-123","apiKey":42,"headers":{"Authorization":"\#(jwt)"}}}"#,
            #"{"type":"context","event_id":"\#(Self.id(3))","session_id":"s",\#(t),"context_type":"other","data":{"secret":["a","b",3],"\#(slack)":true,"token_count":5}}"#,
            #"{"type":"interaction","event_id":"\#(Self.id(4))","session_id":"s",\#(t),"interaction_type":"user_query","success":false,"tokens_in":7,"error_message":"slack said \#(slack)","context_tags":["\#(google)"]}"#,
            // rejected, valid JSON (no interaction_type): keys and values scrubbed
            #"{"type":"interaction","event_id":"\#(Self.id(5))","session_id":"s",\#(t),"password":"hunter2","\#(jwt)":1}"#,
            // rejected, not JSON (cut short): pattern-based
            #"{"type":"interaction","password":"hunter2","token":"\#(jwt)","note":"\#(google) \#(slack)"#,
        ])
        #expect(summary == IngestSummary(received: 6, inserted: 4, duplicates: 0, rejected: 2))
        let monitor = SessionMonitor(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Self.key))
        try monitor.startSession(id: "m", context: JSONText(#"{"client_secret":"hunter2","\#(google)":1}"#))
        try monitor.logToolUsage(tool: "curl", success: false, errorMessage: "PGPASSWORD=hunter2 psql", parameters: JSONText(#"{"token":"\#(slack)"}"#), session: "m")
        try monitor.logContext(type: .other, data: JSONText(#"{"x-api-key":"\#(google)"}"#), session: "m")

        let everything = try c.execute("""
            SELECT concat_ws(' | ', (SELECT string_agg(x::text, ';') FROM ai_sessions x), (SELECT string_agg(x::text, ';') FROM tool_usage_analytics x),
                (SELECT string_agg(x::text, ';') FROM context_awareness_events x), (SELECT string_agg(x::text, ';') FROM ai_interactions x),
                (SELECT string_agg(x::text, ';') FROM ingest_rejects x))
            """)[0].value(0, as: String.self) ?? ""
        for secret in [slack, jwt, google, aws, "hunter2", "s3cr3t-pw", "sp ace", "k-123", "AbCdEfGhIjKlMnOp", "eyJ"] {
            #expect(!everything.contains(secret), "\(secret) stored")
        }
        func same(_ sql: String, _ expected: String) throws -> Bool {
            try c.execute("SELECT (\(sql)) = $1::jsonb", [SQLValue(expected)])[0].value(0, as: Bool.self) == true
        }
        #expect(try same("SELECT context FROM ai_sessions WHERE session_id = 's'",
            #"{"env":{"AWS_SECRET_ACCESS_KEY":"[REDACTED:aws_secret_key]","DB_PASSWORD":"[REDACTED:secret_value]"},"usage":{"tokens_in":120,"max_tokens":4096},"[REDACTED:google_api_key]":"k"}"#))
        #expect(try same("SELECT parameters FROM tool_usage_analytics WHERE session_id = 's'",
            #"{"dsn":"host=db password='[REDACTED:secret_value]' dbname=x","api_key":"[REDACTED:secret_value]","apiKey":42,"headers":{"Authorization":"[REDACTED:secret_value]"}}"#))
        #expect(try same("SELECT context_data FROM context_awareness_events WHERE session_id = 's'",
            #"{"secret":["[REDACTED:secret_value]","[REDACTED:secret_value]",3],"[REDACTED:slack_token]":true,"token_count":5}"#))
        #expect(try same("SELECT context FROM ai_sessions WHERE session_id = 'm'", #"{"client_secret":"[REDACTED:secret_value]","[REDACTED:google_api_key]":1}"#))
        #expect(try same("SELECT parameters FROM tool_usage_analytics WHERE session_id = 'm'", #"{"token":"[REDACTED:secret_value]"}"#))
        #expect(try same("SELECT context_data FROM context_awareness_events WHERE session_id = 'm'", #"{"x-api-key":"[REDACTED:secret_value]"}"#))
        #expect(try c.execute("SELECT error_message FROM tool_usage_analytics WHERE session_id = 's'")[0].value(0, as: String.self)
                == "connect host=db user=app password=[REDACTED:secret_value] failed")
        #expect(try c.execute("SELECT error_message FROM tool_usage_analytics WHERE session_id = 'm'")[0].value(0, as: String.self)
                == "PGPASSWORD=[REDACTED:secret_value] psql")
        #expect(try c.execute("SELECT tags FROM ai_sessions WHERE session_id = 's'")[0].value(0, as: [String].self) == ["[REDACTED:slack_token]"])
        let interaction = try c.execute("SELECT error_message, context_tags, tokens_in FROM ai_interactions WHERE session_id = 's' AND interaction_type = 'user_query'")[0]
        #expect(try interaction.value(0, as: String.self) == "slack said [REDACTED:slack_token]")
        #expect(try interaction.value(1, as: [String].self) == ["[REDACTED:google_api_key]"])
        #expect(try interaction.value(2, as: Int.self) == 7)
        let raws = try c.execute("SELECT raw_line FROM ingest_rejects ORDER BY line_number").map { try $0.value(0, as: String.self) ?? "" }
        #expect(raws == [
            #"{"type":"interaction","event_id":"\#(Self.id(5))","session_id":"s","occurred_at":"2026-01-05T09:30:00Z","password":"[REDACTED:secret_value]","[REDACTED:jwt]":1}"#,
            #"{"type":"interaction","password":"[REDACTED:secret_value]","token":"[REDACTED:jwt]","note":"[REDACTED:google_api_key] [REDACTED:slack_token]"#,
        ])
    }

    /// Issue 10, item 7: a GitHub token that straddles the 64 KiB kept of a rejected line is
    /// redacted whole (redact, then cut), whether the line fits the line limit (the reader passes
    /// it all) or not (the reader keeps only its first 64 KiB: the partial token is dropped).
    @Test func tokenAcrossTheStoredLimitIsRedacted() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let token = "ghp_" + String(repeating: "aB3", count: 12)
        let limit = EventBatch.maximumStoredRawLine
        func line(total: Int) -> String {
            let head = #"{"type":"interaction","note":""#
            let lead = String(repeating: "x", count: limit - 31 - head.utf8.count)  // the token starts 30 bytes before the limit
            let body = head + lead + " " + token + " "
            return body + String(repeating: "y", count: total - body.utf8.count)
        }
        let fits = line(total: limit + 4_000), tooLong = line(total: (1 << 20) + 300_000)
        #expect(fits.utf8.count < 1 << 20 && tooLong.utf8.count > 1 << 20)
        let summary = try ingest(c, [fits, tooLong])
        #expect(summary == IngestSummary(received: 2, inserted: 0, duplicates: 0, rejected: 2))
        let rows = try c.execute("SELECT raw_line, reason_code FROM ingest_rejects ORDER BY line_number")
        #expect(try rows.map { try $0.value(1, as: String.self) } == ["invalid_json", "line_too_long"])
        for row in rows {
            let raw = try row.value(0, as: String.self) ?? ""
            #expect(raw.utf8.count <= limit)
            #expect(!raw.contains("ghp_") && !raw.contains("aB3aB3"), "\(raw.suffix(60))")
        }
        let first = try rows[0].value(0, as: String.self) ?? ""
        let redactedWhole = first.contains("x [REDACTED:github_token] yyy")  // the marker fits before the cut
        #expect(redactedWhole, "\(first.suffix(60))")
    }

    /// Issue 10, item 12: a NUL followed by a combining mark, a variation selector or an emoji
    /// modifier (one grapheme cluster with the NUL) is dropped like any NUL, so the reject is stored.
    @Test func nulBeforeACombiningMarkIsDropped() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let tails = ["\u{301}", "\u{FE0F}", "\u{1F3FB}", "\u{200D}", ""]
        let lines = tails.map { #"{"type":"interaction","note":"a\#u{0}\#($0)b ghp_abcdefghijklmnopqrstuvwxyz0123456789\#u{0}\#($0)"}"# }
        let summary = try ingest(c, lines)
        #expect(summary == IngestSummary(received: tails.count, inserted: 0, duplicates: 0, rejected: tails.count))
        let raws = try c.execute("SELECT raw_line FROM ingest_rejects ORDER BY line_number").map { try $0.value(0, as: String.self) ?? "" }
        #expect(raws == tails.map { #"{"type":"interaction","note":"a\#($0)b [REDACTED:github_token]\#($0)"}"# })
    }

    /// Issue 10, item 13: a 1 MiB line of the shapes that made the regular expressions quadratic
    /// (`@` or `sk-` then a long run) is rejected and stored redacted; the scanner's linear work is
    /// checked in `SecretRedactorTests.linearWork` (no time is asserted here).
    @Test func megabyteAdversarialRejectIsStored() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let run = String(repeating: "a1", count: 170_000)
        let lines = [
            "@" + run + " sk-" + run + " " + String(repeating: "sk-", count: 100_000),
            "x@" + run + " user@example.com",
        ]
        let summary = try ingest(c, lines)
        #expect(summary == IngestSummary(received: 2, inserted: 0, duplicates: 0, rejected: 2))
        let raws = try c.execute("SELECT raw_line FROM ingest_rejects ORDER BY line_number").map { try $0.value(0, as: String.self) ?? "" }
        #expect(raws.count == 2 && raws.allSatisfy { $0.utf8.count <= EventBatch.maximumStoredRawLine })
        #expect(raws[0].hasPrefix("@a1a1"))
        #expect(!raws.joined().contains("example.com"))
    }
}

