import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

/// The default scenario's planted effects, recovered with plain SQL after ingest.
@Suite struct SimulatorDatabaseTests {
    @Test func plantedEffectsVisibleInRawSQL() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-simdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(developers: 40, days: 90, seed: 7).write(to: file)
        let s = truth.scenario
        let summary = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8))))
            .ingest(path: file.path)
        let total = truth.eventCounts.values.reduce(0, +)
        #expect(summary == IngestSummary(received: total, inserted: total, duplicates: 0, rejected: 0))

        func double(_ sql: String) throws -> Double { try c.execute(sql).first?.value(0, as: Double.self) ?? .nan }

        // 1. Baseline failure rate of grep (no context effect): 3 %, binomial SE ≈ 0.2 %.
        let grep = try double("SELECT avg((NOT success)::int)::float8 FROM tool_usage_analytics WHERE tool_name = 'grep'")
        #expect(abs(grep - truth.toolFailureRates["grep"]!) < 0.01, "grep failure rate \(grep)")

        // 2. run_tests fails at 45 % in sessions with diagnostics context, 20 % otherwise.
        let withDiagnostics = try double("""
            SELECT avg((NOT t.success)::int)::float8 FROM tool_usage_analytics t
             WHERE t.tool_name = 'run_tests'
               AND EXISTS (SELECT 1 FROM context_awareness_events e WHERE e.session_id = t.session_id AND e.context_type = 'diagnostics')
            """)
        let withoutDiagnostics = try double("""
            SELECT avg((NOT t.success)::int)::float8 FROM tool_usage_analytics t
             WHERE t.tool_name = 'run_tests'
               AND NOT EXISTS (SELECT 1 FROM context_awareness_events e WHERE e.session_id = t.session_id AND e.context_type = 'diagnostics')
            """)
        #expect(abs(withDiagnostics - 0.45) < 0.04, "with diagnostics \(withDiagnostics)")
        #expect(abs(withoutDiagnostics - 0.20) < 0.03, "without diagnostics \(withoutDiagnostics)")

        // 3. web_search latency doubles from day 60: ratio of medians ≈ 2.
        let regression = try #require(s.latencyRegression)
        let cut = "timestamptz '\(s.startDate)' + interval '\(regression.fromDay) days'"
        let before = try double("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms) FROM tool_usage_analytics WHERE tool_name = 'web_search' AND created_at < \(cut)")
        let after = try double("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms) FROM tool_usage_analytics WHERE tool_name = 'web_search' AND created_at >= \(cut)")
        #expect(abs(after / before - regression.factor) < 0.25, "latency ratio \(after / before)")
        #expect(abs(before - 1500) < 150, "median before \(before)")

        // 4. Acceptance: tests vs migrations, planted odds ratio 2.0 / 0.4 = 5 (sizes and languages differ only by chance).
        func odds(_ type: String) throws -> Double {
            let p = try double("SELECT avg(accepted::int)::float8 FROM code_generation_events WHERE generation_type = '\(type)' AND accepted IS NOT NULL")
            return p / (1 - p)
        }
        let ratio = try odds("test") / odds("migration")
        #expect(ratio > 3.5 && ratio < 7.5, "odds ratio test/migration \(ratio)")
        // Undecided generations are NULL, not false: about 5 %.
        let undecided = try double("SELECT avg((accepted IS NULL)::int)::float8 FROM code_generation_events")
        #expect(abs(undecided - s.acceptance.undecidedRate) < 0.015)

        // 5. Cohorts: the product cohort rates sessions ~0.3 lower than platform.
        let platform = try double("SELECT avg(end_rating)::float8 FROM ai_sessions WHERE 'cohort:platform' = ANY (tags)")
        let product = try double("SELECT avg(end_rating)::float8 FROM ai_sessions WHERE 'cohort:product' = ANY (tags)")
        #expect(platform - product > 0.15 && platform - product < 0.45, "cohort gap \(platform - product)")

        // 6. Satisfaction falls with failed tool calls (planted −0.3 per failure).
        let slope = try double("""
            SELECT regr_slope(s.end_rating, f.failures)::float8 FROM ai_sessions s
              JOIN (SELECT session_id, count(*) FILTER (WHERE NOT success) AS failures FROM tool_usage_analytics GROUP BY session_id) f
                USING (session_id)
            """)
        #expect(slope < -0.15 && slope > -0.4, "rating slope per failure \(slope)")

        // 7. Weekday seasonality: weekend days have ~0.2× the sessions of weekdays.
        let weekendShare = try double("""
            SELECT (count(*) FILTER (WHERE extract(isodow FROM started_at) >= 6) / 2.0)
                 / (count(*) FILTER (WHERE extract(isodow FROM started_at) < 6) / 5.0) FROM ai_sessions
            """)
        #expect(abs(weekendShare - s.weekendFactor) < 0.05, "weekend/weekday ratio \(weekendShare)")

        // 8. Secrets planted in error messages never reach the table.
        #expect(try double("SELECT count(*)::float8 FROM tool_usage_analytics WHERE error_message LIKE '%hunter2%'") == 0)
        #expect(try double("SELECT count(*)::float8 FROM tool_usage_analytics WHERE error_message LIKE '%[REDACTED:url_password]%'") > 0)
    }
}
