import Foundation
import Reporting
import Statistics
import Store
import Testing
import TestSupport

/// The dashboard's figures on a simulated workload, each checked against a hand-written SQL
/// count over the same window, and deltas from two hand-made periods.
@Suite struct DashboardDatabaseTests {
    @Test func kpisEqualHandWrittenCountsOverTheSameWindows() throws {
        let c = try SimulatedWorkload.connect()
        let d = try Dashboard.read(c, days: 7, asOf: SimulatedWorkload.lastDay)
        #expect(d.window.startText == "2026-02-07" && d.window.lastText == "2026-02-13")
        #expect(d.window.previous.startText == "2026-01-31" && d.window.previous.lastText == "2026-02-06")
        for (window, snapshot) in [("'2026-02-07' AND created_at < '2026-02-14'", d.current), ("'2026-01-31' AND created_at < '2026-02-07'", d.previous)] {
            let w = "created_at >= " + window
            let success = try c.double("SELECT sum(CASE WHEN success THEN 1 ELSE 0 END)::float8 / count(success) FROM ai_interactions WHERE \(w)")
            let failures = try c.double("SELECT sum(CASE WHEN success THEN 0 ELSE 1 END)::float8 / count(*) FROM tool_usage_analytics WHERE \(w)")
            let acceptance = try c.double("SELECT sum(CASE WHEN accepted THEN 1 ELSE 0 END)::float8 / count(accepted) FROM code_generation_events WHERE \(w)")
            let stars = try c.double("SELECT sum(rating)::float8 / count(*) FROM user_feedback WHERE \(w)")
            let sessions = try c.int("SELECT count(*) FROM ai_sessions WHERE started_at >= " + window.replacingOccurrences(of: "created_at", with: "started_at"))
            let interactions = try c.int("SELECT count(*) FROM ai_interactions WHERE \(w)")
            #expect(interactions > 100, "the window should hold data")
            #expect(snapshot.sessions == sessions)
            #expect(snapshot.interactions == interactions)
            #expect(abs(try #require(snapshot.successRate) - success) < 1e-12)
            #expect(abs(try #require(snapshot.toolFailureRate) - failures) < 1e-12)
            #expect(abs(try #require(snapshot.acceptanceRate) - acceptance) < 1e-12)
            #expect(abs(try #require(snapshot.satisfaction) - stars) < 1e-12)
        }
        // The change is current minus previous, for every KPI.
        let success = try #require(d.kpis.first { $0.key == "success_rate" })
        #expect(success.change == (d.current.successRate ?? .nan) - (d.previous.successRate ?? .nan))
        // p95 latency: the 95th percentile by linear interpolation, computed here from the sorted values.
        let times = try c.execute("SELECT response_time_ms FROM ai_interactions WHERE created_at >= '2026-02-07' AND created_at < '2026-02-14' AND response_time_ms IS NOT NULL ORDER BY 1")
            .map { try $0.value(0, as: Double.self) ?? .nan }
        let h = 0.95 * Double(times.count - 1), lo = Int(h.rounded(.down))
        let p95 = times[lo] + (h - Double(lo)) * (times[min(lo + 1, times.count - 1)] - times[lo])
        #expect(abs(try #require(d.current.p95LatencyMs) - p95) < 1e-9 * p95)
    }

    @Test func toolRankingUsesWilsonLowerBoundsThatMatchTheView() throws {
        let c = try SimulatedWorkload.connect()
        // Over all data (a window covering everything), the ranking equals the all-time view's.
        let d = try Dashboard.read(c, days: 60, asOf: SimulatedWorkload.lastDay)
        let view = try c.execute("SELECT tool_name, usage_count, success_count, success_rate_lower_95 FROM tool_effectiveness_ranking ORDER BY success_rate_lower_95 DESC")
        #expect(d.tools.count == view.count && view.count >= 5)
        for (tool, row) in zip(d.tools, view) {
            #expect(tool.toolName == row.text(0))
            #expect(tool.calls == (try row.value(1, as: Int.self)))
            #expect(tool.successes == (try row.value(2, as: Int.self)))
            #expect(abs(tool.interval.lower - (try row.value(3, as: Double.self) ?? .nan)) < 1e-9)
            #expect(tool.interval.lower <= tool.successRate && tool.successRate <= tool.interval.upper)
        }
        #expect(d.tools.map(\.rank) == Array(1...d.tools.count))
        // Code generation groups add up to the window's generations.
        #expect(d.codeGeneration.reduce(0) { $0 + $1.generations } == (try c.int("SELECT count(*) FROM code_generation_events WHERE created_at >= '2025-12-16' AND created_at < '2026-02-14'")))
    }

    @Test func trendsAddUpToTheWindowAndDayOverDayIsTheDifference() throws {
        let c = try SimulatedWorkload.connect()
        let t = try Trends.read(c, days: 14, asOf: SimulatedWorkload.lastDay)
        #expect(t.daily.count == 14)
        #expect(t.daily.first?.dayText == "2026-01-31" && t.daily.last?.dayText == "2026-02-13")
        let sessions = try c.int("SELECT count(*) FROM ai_sessions WHERE started_at >= '2026-01-31' AND started_at < '2026-02-14'")
        #expect(t.daily.reduce(0) { $0 + $1.sessions } == sessions)
        #expect(t.periods.first { $0.key == "sessions" }?.current == Double(sessions))
        let day = try c.double("SELECT avg((NOT success)::int)::float8 FROM tool_usage_analytics WHERE created_at >= '2026-02-10' AND created_at < '2026-02-11'")
        let before = try c.double("SELECT avg((NOT success)::int)::float8 FROM tool_usage_analytics WHERE created_at >= '2026-02-09' AND created_at < '2026-02-10'")
        let i = try #require(t.daily.firstIndex { $0.dayText == "2026-02-10" })
        #expect(abs(try #require(t.dayOverDay("tool_failure_rate", at: i)) - (day - before)) < 1e-12)
        #expect(t.dayOverDay("tool_failure_rate", at: 0) == nil)
        let json = t.jsonObject()
        #expect((json["daily"] as? [[String: Any]])?.count == 14)
    }

    @Test func deltasBetweenTwoHandMadePeriods() throws {
        let c = try SimulatedWorkload.empty()
        try c.executeScript("""
            INSERT INTO ai_sessions (session_id, started_at) VALUES ('a', '2026-03-01 10:00Z'), ('b', '2026-03-02 10:00Z'), ('c', '2026-03-02 11:00Z');
            INSERT INTO ai_interactions (event_id, session_id, interaction_type, success, response_time_ms, created_at) VALUES
              (gen_random_uuid(), 'a', 'tool_call', true, 100, '2026-03-01 10:01Z'),
              (gen_random_uuid(), 'a', 'tool_call', false, 200, '2026-03-01 10:02Z'),
              (gen_random_uuid(), 'b', 'tool_call', true, 300, '2026-03-02 10:01Z'),
              (gen_random_uuid(), 'b', 'tool_call', true, 400, '2026-03-02 10:02Z'),
              (gen_random_uuid(), 'c', 'tool_call', false, 500, '2026-03-02 11:01Z'),
              (gen_random_uuid(), 'c', 'tool_call', NULL, NULL, '2026-03-02 23:59:59.999Z');
            INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, created_at) VALUES
              (gen_random_uuid(), 'a', 'grep', false, '2026-03-01 10:01Z'),
              (gen_random_uuid(), 'b', 'grep', true, '2026-03-02 10:01Z'),
              (gen_random_uuid(), 'b', 'grep', true, '2026-03-02 10:02Z'),
              (gen_random_uuid(), 'c', 'bash', false, '2026-03-02 11:01Z');
            INSERT INTO user_feedback (event_id, session_id, rating, created_at) VALUES
              (gen_random_uuid(), 'a', 2, '2026-03-01 12:00Z'), (gen_random_uuid(), 'b', 5, '2026-03-02 12:00Z'), (gen_random_uuid(), 'c', 4, '2026-03-02 13:00Z');
            INSERT INTO code_generation_events (event_id, session_id, generation_type, accepted, created_at) VALUES
              (gen_random_uuid(), 'a', 'test', true, '2026-03-01 12:00Z'), (gen_random_uuid(), 'b', 'test', NULL, '2026-03-02 12:00Z'),
              (gen_random_uuid(), 'c', 'function', false, '2026-03-02 13:00Z'), (gen_random_uuid(), 'c', 'function', true, '2026-03-03 00:00Z');
            """)
        // Day 2026-03-02 against 2026-03-01 (the 03-03 generation is outside both windows).
        let d = try Dashboard.read(c, days: 1, asOf: DayWindow.day("2026-03-02"))
        func kpi(_ key: String) throws -> KPIChange { try #require(d.kpis.first { $0.key == key }) }
        #expect(try kpi("sessions").current == 2 && kpi("sessions").previous == 1)
        #expect(try kpi("interactions").current == 4 && kpi("interactions").previous == 2)
        #expect(try kpi("success_rate").current == 2.0 / 3 && kpi("success_rate").previous == 0.5)
        #expect(abs(try kpi("success_rate").change! - (2.0 / 3 - 0.5)) < 1e-15)
        #expect(try kpi("tool_failure_rate").current == 1.0 / 3 && kpi("tool_failure_rate").previous == 1)
        #expect(try kpi("code_acceptance_rate").current == 0 && kpi("code_acceptance_rate").previous == 1)
        #expect(try kpi("satisfaction").current == 4.5 && kpi("satisfaction").previous == 2)
        #expect(try kpi("satisfaction").relativeChange == 1.25)
        // percentile_cont(0.95) of 300, 400, 500: 400 + 0.9 × 100.
        #expect(abs(try kpi("p95_latency_ms").current! - 490) < 1e-9)
        #expect(try kpi("p95_latency_ms").previous == 195)
        #expect(ValueFormat.verdict(try kpi("tool_failure_rate")) == "better")
        #expect(ValueFormat.change(try kpi("success_rate")) == "+16.7 pp")
        // A window with no data: counts are 0, rates are missing, not 0.
        let empty = try Dashboard.read(c, days: 1, asOf: DayWindow.day("2026-04-01"))
        #expect(empty.current.interactions == 0 && empty.current.successRate == nil && empty.current.satisfaction == nil)
        // The default as-of is the latest event's day (the 03-03 generation).
        #expect(try DayWindow.latestDataDay(c) == DayWindow.day("2026-03-03"))
        // An empty database is refused with what to do.
        let none = try SimulatedWorkload.empty()
        #expect(throws: ReportingError.self) { try Dashboard.read(none, days: 7, asOf: nil) }
    }
}
