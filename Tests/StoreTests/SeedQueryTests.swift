import Foundation
import Store
import TestSupport
import Testing

/// The seed's three example queries, run unchanged on hand-made rows with hand-computed answers,
/// and the four views.
@Suite("Seed queries and views")
struct SeedQueryTests {
    let connection: Connection
    static let day1 = "2026-03-02 10:00:00+00"
    static let day2 = "2026-03-03 23:30:00+00"

    init() throws {
        connection = try TestDatabase.create().connect()
        try connection.execute("INSERT INTO ai_sessions (session_id) VALUES ('s1')")
    }

    func tool(_ name: String, _ success: Bool, _ ms: Double?, at: String = day1) throws {
        try connection.execute("""
            INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms, created_at)
            VALUES ($1, 's1', $2, $3, $4, $5::timestamptz)
            """, [.uuid(UUID()), .text(name), .bool(success), SQLValue(ms), .text(at)])
    }

    @Test func mostEffectiveTools() throws {
        // grep: 12 uses, 9 successes, times 100…1200 ms → mean 650.
        for i in 1...12 { try tool("grep", i <= 9, Double(i * 100)) }
        // bash: 11 uses, all successful, times 10 each plus one unreported → mean of reported = 10.
        for i in 1...11 { try tool("bash", true, i == 11 ? nil : 10) }
        // web_search: only 5 uses → filtered out by usage_count > 10.
        for _ in 1...5 { try tool("web_search", true, 50) }
        let rows = try connection.execute("""
            SELECT tool_name, success_rate, avg_time
            FROM tool_effectiveness_ranking
            WHERE usage_count > 10
            ORDER BY success_rate DESC;
            """)
        #expect(rows.count == 2)
        #expect(try rows[0].value("tool_name", as: String.self) == "bash")
        #expect(try rows[0].value("success_rate", as: Double.self) == 1.0)
        #expect(try rows[0].value("avg_time", as: Double.self) == 10)
        #expect(try rows[1].value("tool_name", as: String.self) == "grep")
        #expect(try rows[1].value("success_rate", as: Double.self) == 0.75)
        #expect(try rows[1].value("avg_time", as: Double.self) == 650)
    }

    @Test func smallSamplesDoNotTopTheRanking() throws {
        for _ in 0..<2 { try tool("lucky", true, 5) }
        for i in 0..<100 { try tool("steady", i < 95, 5) }
        let rows = try connection.execute("SELECT tool_name, success_rate, success_rate_lower_95, effectiveness_rank FROM tool_effectiveness_ranking ORDER BY effectiveness_rank")
        #expect(try rows[0].value("tool_name", as: String.self) == "steady")
        #expect(try rows[1].value("tool_name", as: String.self) == "lucky")
        // Wilson 95% lower bounds by hand: 2/2 → (2 + z²/2 − z·√(z²/4)) / (2 + z²) = 2 / (2 + z²) = 0.3423802275;
        // 95/100 → 0.8882495308 (z = 1.959963984540054).
        #expect(abs(try #require(try rows[1].value("success_rate_lower_95", as: Double.self)) - 0.3423802275066531) < 1e-9)
        #expect(abs(try #require(try rows[0].value("success_rate_lower_95", as: Double.self)) - 0.8882495307680808) < 1e-9)
    }

    @Test func satisfactionByContextTags() throws {
        let ratings: [([String], Int)] = [(["db"], 5), (["db"], 4), ([], 2), (["db", "sql"], 3), (["db", "sql"], 3), (["db", "sql"], 4)]
        for (tags, rating) in ratings {
            try connection.execute("INSERT INTO user_feedback (event_id, session_id, rating, context_tags) VALUES ($1, 's1', $2, $3)",
                                   [.uuid(UUID()), .int(rating), .textArray(tags)])
        }
        let rows = try connection.execute("""
            SELECT context_tags, AVG(rating) as avg_rating, COUNT(*) as feedback_count
            FROM user_feedback
            GROUP BY context_tags
            ORDER BY avg_rating DESC;
            """)
        #expect(rows.count == 3)
        #expect(try rows[0].value("context_tags", as: [String].self) == ["db"])
        #expect(try rows[0].value("avg_rating", as: Double.self) == 4.5)
        #expect(try rows[0].value("feedback_count", as: Int.self) == 2)
        #expect(try rows[1].value("context_tags", as: [String].self) == ["db", "sql"])
        #expect(abs(try #require(try rows[1].value("avg_rating", as: Double.self)) - 10.0 / 3.0) < 1e-12)
        #expect(try rows[1].value("feedback_count", as: Int.self) == 3)
        #expect(try rows[2].value("context_tags", as: [String].self) == [])
        #expect(try rows[2].value("avg_rating", as: Double.self) == 2)
    }

    @Test func learningImprovementOverTime() throws {
        let events: [(String, Double, Bool, Bool?)] = [
            (Self.day1, 0.8, true, true), (Self.day1, 0.6, true, true), (Self.day1, 0.99, true, false),
            (Self.day2, 0.9, true, true), (Self.day2, 0.1, false, nil),
        ]
        for (at, confidence, applied, outcome) in events {
            try connection.execute("""
                INSERT INTO learning_events (event_id, session_id, learning_type, confidence_score, applied, applied_successfully, created_at)
                VALUES ($1, 's1', 'pattern', $2, $3, $4, $5::timestamptz)
                """, [.uuid(UUID()), .double(confidence), .bool(applied), SQLValue(outcome), .text(at)])
        }
        let rows = try connection.execute("""
            SELECT DATE(created_at), AVG(confidence_score), COUNT(*)
            FROM learning_events
            WHERE applied_successfully = true
            GROUP BY DATE(created_at)
            ORDER BY DATE(created_at);
            """)
        #expect(rows.count == 2)
        #expect(try rows[0].value(0, as: String.self) == "2026-03-02")
        #expect(abs(try #require(try rows[0].value(1, as: Double.self)) - 0.7) < 1e-12)
        #expect(try rows[0].value(2, as: Int.self) == 2)
        #expect(try rows[1].value(0, as: String.self) == "2026-03-03")
        #expect(try rows[1].value(1, as: Double.self) == 0.9)
        #expect(try rows[1].value(2, as: Int.self) == 1)

        let summary = try #require(try connection.execute("SELECT * FROM learning_insights_summary WHERE learning_type = 'pattern'").first)
        #expect(try summary.value("event_count", as: Int.self) == 5)
        #expect(abs(try #require(try summary.value("mean_confidence", as: Double.self)) - 3.39 / 5) < 1e-12)
        #expect(try summary.value("applied_count", as: Int.self) == 4)
        #expect(try summary.value("applied_success_count", as: Int.self) == 3)
        #expect(try summary.value("application_success_rate", as: Double.self) == 0.75)
    }

    @Test func performanceSummaryPerDayAndType() throws {
        // Five timed queries on day 1: 100, 200, 300, 400, 1000 ms; one untimed failure.
        for (ms, ok) in [(100.0, true), (200, true), (300, false), (400, true), (1000, true)] {
            try connection.execute("""
                INSERT INTO ai_interactions (event_id, session_id, interaction_type, success, response_time_ms, created_at)
                VALUES ($1, 's1', 'user_query', $2, $3, $4::timestamptz)
                """, [.uuid(UUID()), .bool(ok), .double(ms), .text(Self.day1)])
        }
        try connection.execute("""
            INSERT INTO ai_interactions (event_id, session_id, interaction_type, created_at) VALUES ($1, 's1', 'user_query', $2::timestamptz)
            """, [.uuid(UUID()), .text(Self.day1)])
        let row = try #require(try connection.execute("SELECT * FROM ai_performance_summary WHERE interaction_type = 'user_query'").first)
        #expect(try row.value("day", as: String.self) == "2026-03-02")
        #expect(try row.value("interaction_count", as: Int.self) == 6)
        #expect(try row.value("reported_success_count", as: Int.self) == 5)
        #expect(try row.value("success_rate", as: Double.self) == 0.8)
        #expect(try row.value("avg_response_time_ms", as: Double.self) == 400)
        // percentile_cont(0.95) over 100,200,300,400,1000: position 0.95·4 = 3.8 → 400 + 0.8·600 = 880.
        #expect(abs(try #require(try row.value("p95_response_time_ms", as: Double.self)) - 880) < 1e-9)
    }

    @Test func codeGenerationQuality() throws {
        // migration/sql: 4 generated, 3 decided (2 accepted with 2 and 4 lines modified), decision times 1000, 3000, 2000.
        let rows: [(Bool?, Int?, Double?)] = [(true, 2, 1000), (true, 4, 3000), (false, nil, 2000), (nil, nil, nil)]
        for (accepted, modified, decision) in rows {
            try connection.execute("""
                INSERT INTO code_generation_events (event_id, session_id, generation_type, language, lines_generated, accepted, lines_modified, time_to_decision_ms)
                VALUES ($1, 's1', 'migration', 'sql', 40, $2, $3, $4)
                """, [.uuid(UUID()), SQLValue(accepted), SQLValue(modified), SQLValue(decision)])
        }
        let row = try #require(try connection.execute("SELECT * FROM code_generation_quality WHERE generation_type = 'migration'").first)
        #expect(try row.value("language", as: String.self) == "sql")
        #expect(try row.value("generation_count", as: Int.self) == 4)
        #expect(try row.value("decided_count", as: Int.self) == 3)
        #expect(try row.value("accepted_count", as: Int.self) == 2)
        #expect(abs(try #require(try row.value("acceptance_rate", as: Double.self)) - 2.0 / 3.0) < 1e-12)
        #expect(try row.value("mean_lines_modified", as: Double.self) == 3)
        #expect(try row.value("median_time_to_decision_ms", as: Double.self) == 2000)
    }
}
