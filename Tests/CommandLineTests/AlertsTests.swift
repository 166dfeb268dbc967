import Foundation
import Primitives
import Store
import Testing
import TestSupport
@testable import AILCommandLine
@testable import Analytics

/// `ail alerts`: thresholds on hand-made rows (numbers checked against hand SQL and the Wilson
/// formula), --fail-on exit codes, config errors with their line, a seeded fuzz of the parser.
@Suite(.serialized) struct AlertsTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/alerts.yaml")
    /// 100 web_search calls, 70 successes; 100 read_file calls, 99 successes, all within a day.
    func seed(_ c: Connection) throws {
        _ = try c.execute("INSERT INTO ai_sessions (session_id, developer_id, started_at) VALUES ('s1', 'u1', '2026-03-01T00:00:00Z') ON CONFLICT DO NOTHING")
        _ = try c.execute("""
            INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms, created_at)
            SELECT gen_random_uuid(), 's1', 'web_search', g <= 70, 100, '2026-03-01T12:00:00Z'::timestamptz + g * interval '1 second' FROM generate_series(1, 100) g
            UNION ALL
            SELECT gen_random_uuid(), 's1', 'read_file', g <= 99, 10, '2026-03-01T12:00:00Z'::timestamptz + g * interval '1 second' FROM generate_series(1, 100) g
            """)
    }

    @Test func thresholdFiresWithTheRightNumbersAndReRunUpdates() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try seed(c)
        let config = try AlertConfigParser.parse("tool_success_rate:\n  minimum: 0.9\n  severity: high\n  window_days: 7\n")
        let alerts = try AlertEvaluator(connection: c).evaluate(config)
        #expect(alerts.count == 1)
        let a = try #require(alerts.first)
        #expect(a.kind == "tool_success_rate" && a.subject == "web_search" && a.severity == .high)
        let hand = try #require(try c.execute("SELECT avg(success::int)::float8 FROM tool_usage_analytics WHERE tool_name = 'web_search'").first?.value(0, as: Double.self))
        #expect(abs(a.observed - hand) < 1e-12)
        // Wilson by hand: p = 0.7, n = 100, z = 1.959964
        let z = 1.959963984540054, n = 100.0, p = 0.7
        let high = (p + z * z / (2 * n) + z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / (1 + z * z / n)
        if case .number(let h) = a.evidence["conf_high"] { #expect(abs(h - high) < 1e-9) } else { Issue.record("no conf_high") }
        #expect(high < 0.9)
        // read_file (99%) must not fire; re-running updates the one row
        try AlertStore(connection: c).record(alerts)
        let again = try AlertStore(connection: c).record(try AlertEvaluator(connection: c).evaluate(config))
        #expect(again.inserted == 0 && again.updated == 1)
        #expect(try c.execute("SELECT count(*) FROM ai_alerts").first?.value(0, as: Int.self) == 1)
    }

    @Test func intervalStraddlingTheMinimumDoesNotFire() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try seed(c)
        // 70/100 has Wilson (0.604, 0.781): a minimum of 0.75 lies inside it
        let config = try AlertConfigParser.parse("tool_success_rate:\n  minimum: 0.75\n")
        #expect(try AlertEvaluator(connection: c).evaluate(config).isEmpty)
    }

    @Test func configErrorsNameTheLine() throws {
        func line(_ text: String) -> Int? {
            do { _ = try AlertConfigParser.parse(text); return nil } catch let e as AlertConfigError { return e.line } catch { return -1 }
        }
        #expect(line("satisfaction:\n  minimum: 3\n  colour: red\n") == 3)
        #expect(line("tool_success_rate:\n  minimum: high\n") == 2)
        #expect(line("p95_latency:\n  maximum_ms: 100\n  severity: urgent\n") == 3)
        #expect(line("anomalies:\n  window_days: [1\n") != nil)
        #expect(line("satisfaction:\n  minimum: 3\n  window_days: 2.5\n") == 3)
        #expect(try AlertConfigParser.parse(String(contentsOf: AlertsTests.example, encoding: .utf8)).toolSuccessRate?.minimum(for: "web_search") == 0.85)
    }

    @Test func fuzzedConfigsNeverCrashAndAlwaysSayWhy() throws {
        let base = try String(contentsOf: AlertsTests.example, encoding: .utf8)
        var rng = SeededGenerator(seed: 13)
        let pieces = [":", "-", "[", "{", "\"", "'", "\t", " ", "\n", "&a", "*a", "#", "x", "0", "-1", "1e999", "!!int", "?"]
        var accepted = 0
        for _ in 0..<400 {
            var chars = Array(base)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars.remove(at: i)
                case 1: chars.insert(contentsOf: pieces[Int.random(in: 0..<pieces.count, using: &rng)], at: i)
                default: chars[i] = Character(pieces[Int.random(in: 0..<pieces.count, using: &rng)].prefix(1).description)
                }
            }
            do { _ = try AlertConfigParser.parse(String(chars)); accepted += 1 } catch let e as AlertConfigError {
                #expect(!e.reason.isEmpty)
            } catch { Issue.record("not an AlertConfigError: \(error)") }
        }
        #expect(accepted < 400)
    }

    @Test func failOnExitCodes() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try seed(c)
        let dsn = db.dsn
        let ail = try AILProcess()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.yaml")
        try "tool_success_rate:\n  minimum: 0.9\n  severity: medium\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ail.run(["alerts", "--dsn", dsn, "--config", file.path]).status == 0)
        #expect(try ail.run(["alerts", "--dsn", dsn, "--config", file.path, "--fail-on", "medium"]).status == 3)
        #expect(try ail.run(["alerts", "--dsn", dsn, "--config", file.path, "--fail-on", "high"]).status == 0)
        try "tool_success_rate:\n  minimum: 0.9\n  sevrity: medium\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try ail.run(["alerts", "--dsn", dsn, "--config", file.path])
        #expect(bad.status == 65)
        #expect(bad.output.contains("line 3") && bad.output.contains("sevrity"))
    }

    /// Fire, fix the data, re-run: resolved (with resolved_at); break it again: the same row re-opens.
    /// The CLI's JSON carries the status of active and recently resolved alerts.
    @Test func alertResolvesWhenFixedAndReopensWhenItFiresAgain() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try seed(c)
        let ail = try AILProcess()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.yaml")
        try "tool_success_rate:\n  minimum: 0.9\n  severity: high\n".write(to: file, atomically: true, encoding: .utf8)
        func run() throws -> [String: Any] {
            let r = try ail.run(["alerts", "--dsn", db.dsn, "--config", file.path, "--format", "json"])
            #expect(r.status == 0, "\(r.output)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        }
        func rows() throws -> [(String, String, Bool)] {
            try c.execute("SELECT subject, status, resolved_at IS NOT NULL FROM ai_alerts ORDER BY id").map {
                ($0.text(0) ?? "", $0.text(1) ?? "", try $0.value(2, as: Bool.self) ?? false)
            }
        }
        // 1. web_search at 70/100 fires
        let first = try run()
        let active = try #require(first["alerts"] as? [[String: Any]])
        #expect(active.count == 1 && active.first?["status"] as? String == "active" && active.first?["subject"] as? String == "web_search")
        #expect(try rows().map(\.1) == ["active"])
        // 2. fixed: 100/100 → no alert fires; the recorded one is resolved and listed as such
        _ = try c.execute("UPDATE tool_usage_analytics SET success = true WHERE tool_name = 'web_search'")
        let second = try run()
        #expect((second["alerts"] as? [[String: Any]])?.isEmpty == true)
        #expect(second["resolved"] as? Int == 1)
        let resolved = try #require(second["recently_resolved"] as? [[String: Any]])
        #expect(resolved.count == 1 && resolved.first?["status"] as? String == "resolved" && resolved.first?["subject"] as? String == "web_search")
        #expect((resolved.first?["resolved_at"] as? String)?.isEmpty == false)
        let afterFix = try rows()
        #expect(afterFix.count == 1 && afterFix.first?.1 == "resolved" && afterFix.first?.2 == true)
        // a re-run with nothing firing resolves nothing more
        #expect(try run()["resolved"] as? Int == 0)
        // 3. broken again after the resolution: the same row re-opens (no second row)
        _ = try c.execute("UPDATE tool_usage_analytics SET success = false WHERE tool_name = 'web_search' AND created_at <= '2026-03-01T12:00:40Z'")
        let third = try run()
        #expect((third["alerts"] as? [[String: Any]])?.first?["status"] as? String == "active")
        #expect(third["reopened"] as? Int == 1 && third["inserted"] as? Int == 0)
        let final = try rows()
        #expect(final.count == 1 && final.first?.1 == "active" && final.first?.2 == false)
        // a run that does not evaluate tool success (another config) cannot resolve its alert
        let other = try AlertStore(connection: c).record([], evaluatedKinds: ["satisfaction"])
        #expect(other.resolved.isEmpty && other.inserted == 0)
        #expect(try rows().map(\.1) == ["active"])
    }
}
