import Analytics
import Foundation
import Testing
import TestSupport
import Tracking

/// Dedupe by fingerprint and expiry across runs, on a real database.
@Suite struct InsightStoreTests {
    @Test func recurringInsightsUpdateAndMissingOnesExpire() throws {
        let h = try InsightHarness(scenario: .default, developers: 15, days: 30, seed: 21)
        let (result, context) = try h.run()
        #expect(result.insights.count >= 3)
        let store = InsightStore(connection: h.connection)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try store.write(result, context: context, fdr: 0.1, now: t0)
        #expect(first.inserted == result.insights.count && first.updated == 0 && first.expired == 0)
        // the same findings a day later: updated in place, not written again
        let second = try store.write(result, context: context, fdr: 0.1, now: t0 + 86_400)
        #expect(second.inserted == 0 && second.updated == result.insights.count)
        let rows = try h.connection.execute("""
            SELECT count(*), min(runs_seen), max(runs_seen), min(first_seen) = $1::timestamptz, min(last_seen) = $2::timestamptz
              FROM ai_performance_insights
            """, [.timestamp(t0), .timestamp(t0 + 86_400)])
        #expect(try rows[0].value(0, as: Int.self) == result.insights.count)
        #expect(try rows[0].value(1, as: Int.self) == 2 && rows[0].value(2, as: Int.self) == 2)
        #expect(try rows[0].value(3, as: Bool.self) == true && rows[0].value(4, as: Bool.self) == true)
        // ranks are 1…n by impact × confidence
        let ranks = try h.connection.execute("SELECT rank FROM ai_performance_insights ORDER BY impact_score * confidence_score DESC, confidence_score DESC, id")
            .map { try $0.value(0, as: Int.self) ?? 0 }
        #expect(ranks == Array(1...result.insights.count))

        // runs that find nothing: expired after the third (default policy), not before
        var empty = result
        empty.insights = []
        for k in 1...3 {
            let s = try store.write(empty, context: context, fdr: 0.1, now: t0 + Double(1 + k) * 3600 + 86_400)
            #expect(s.expired == (k == 3 ? result.insights.count : 0), "run \(k): \(s)")
        }
        #expect(try store.current().isEmpty)
        // found again: reopened, first_seen kept
        let again = try store.write(result, context: context, fdr: 0.1, now: t0 + 5 * 86_400)
        #expect(again.updated == result.insights.count && again.inserted == 0 && again.open == result.insights.count)
        #expect(try store.current(limit: 1).first?.firstSeen == "2027-01-15T08:00:00Z")

        // age: not found for more than 14 days expires even after one missed run
        let late = try store.write(empty, context: context, fdr: 0.1, now: t0 + 20 * 86_400,
                                   policy: ExpiryPolicy(missedRuns: 3, maxAge: 14 * 86_400))
        #expect(late.expired == result.insights.count)
        // a configurable policy: one missed run is enough
        _ = try store.write(result, context: context, fdr: 0.1, now: t0 + 21 * 86_400)
        let strict = try store.write(empty, context: context, fdr: 0.1, now: t0 + 21 * 86_400 + 60, policy: ExpiryPolicy(missedRuns: 1))
        #expect(strict.expired == result.insights.count)
        let runs = try h.connection.execute("SELECT count(*), count(finished_at) FROM ai_insight_runs")
        #expect(try runs[0].value(0, as: Int.self) == 9 && runs[0].value(1, as: Int.self) == 9)
    }

    @Test func readingFiltersAndOrders() throws {
        let h = try InsightHarness(scenario: .default, developers: 15, days: 30, seed: 22)
        let (result, context) = try h.run()
        let store = InsightStore(connection: h.connection)
        _ = try store.write(result, context: context, fdr: 0.1, now: Date())
        let all = try store.current()
        #expect(all.count == result.insights.count)
        #expect(all.map { $0.rank ?? 0 } == Array(1...all.count))
        let scores = all.map { ($0.impact ?? 0) * $0.confidence }
        #expect(scores == scores.sorted(by: >))
        let performance = try store.current(category: .performance, minConfidence: 0.9, limit: 3)
        #expect(performance.count <= 3)
        #expect(performance.allSatisfy { $0.category == "performance" && $0.confidence >= 0.9 })
        #expect(performance.map(\.fingerprint) == all.filter { $0.category == "performance" && $0.confidence >= 0.9 }.prefix(3).map(\.fingerprint))
    }
}
