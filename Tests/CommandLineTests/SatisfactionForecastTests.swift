import Foundation
import Store
import Testing
import TestSupport
@testable import AILCommandLine
@testable import Analytics
@testable import Statistics
@testable import Tracking

/// `ail forecast satisfaction` on the default scenario, whose satisfaction trends down by 0.2
/// stars per 30 days.
@Suite struct SatisfactionForecastTests {
    @Test func plantedDownwardTrendIsForecastWithABacktest() throws {
        let (db, c, truth) = try FairnessReportTests.load(nil, developers: 16, days: 70, seed: 7)
        #expect(truth.scenario.satisfaction.trendPer30Days == -0.2)
        let command = try #require(try AIL.parseAsRoot(["forecast", "satisfaction", "--dsn", db.dsn, "--days", "14", "--format", "json"]) as? ForecastSatisfaction)
        let report = try command.makeReport()
        let f = try #require(report.forecasts.first)
        let rows = try #require(f.forecast, "\(f.skipped ?? "no forecast")")
        #expect(rows.count == 14 && f.days == 70 && f.imputedDays == 0)
        // The history's own slope is the planted trend (about −0.2 per 30 days; ratings are
        // rounded to whole stars and clamped, which flattens it a little).
        let trend = try #require(f.trendPer30Days)
        #expect(trend < -0.1 && trend > -0.3, "history trend \(trend)")
        // The forecast slopes down: the second forecast week is below the first, and both below
        // the first four weeks of history.
        let means: [Double] = rows.map { $0.mean }
        let week1 = means[0..<7].reduce(0, +) / 7, week2 = means[7..<14].reduce(0, +) / 7
        #expect(week2 < week1, "\(f.model ?? ""): week 1 \(week1), week 2 \(week2)")
        let start = try c.execute("SELECT avg(avg_rating) FROM (SELECT avg_rating FROM satisfaction_metrics ORDER BY day LIMIT 28) x").first?.value(0, as: Double.self) ?? .nan
        #expect(week1 < start)
        for r in rows {
            #expect(r.lo95 < r.lo80 && r.lo80 < r.mean)
            #expect(r.mean < r.hi80 && r.hi80 < r.hi95)
        }
        // The backtest: coverage within [0, 1], MASE finite, beside seasonal naive.
        let b = try #require(f.backtest, "\(f.backtestSkipped ?? "")")
        #expect(b.origins >= 5 && b.forecasts == b.origins * 14)
        let coverage80: Double = try #require(b.model.coverage80), coverage95: Double = try #require(b.model.coverage95)
        #expect(coverage95 >= coverage80)
        let mase: Double = try #require(b.model.mase), naiveMase: Double = try #require(b.seasonalNaive.mase)
        #expect(mase.isFinite && naiveMase.isFinite)
        // The first refresh wrote every day; a second one finds nothing to change.
        #expect(report.refresh.days == 70 && report.refresh.changed == 70)
        let again = try SatisfactionMetrics.refresh(c)
        #expect(again == SatisfactionMetrics.RefreshSummary(days: 70, changed: 0, removed: 0))
        // One new rating changes exactly its day, to the mean computed here by hand.
        let day = try #require(try c.execute("SELECT day::text, avg_rating, ratings_count FROM satisfaction_metrics ORDER BY day LIMIT 1").first)
        let (mean, count) = (try #require(try day.value(1, as: Double.self)), try #require(try day.value(2, as: Int.self)))
        let session = try #require(try c.execute("SELECT session_id FROM ai_sessions WHERE (started_at AT TIME ZONE 'UTC')::date = $1::date LIMIT 1", [.text(day.text(0) ?? "")]).first?.text(0))
        _ = try c.execute("INSERT INTO user_feedback (event_id, session_id, rating, created_at) VALUES (gen_random_uuid(), $1, 1, $2::date + interval '12 hours')",
                          [.text(session), .text(day.text(0) ?? "")])
        #expect(try SatisfactionMetrics.refresh(c).changed == 1)
        let updated = try #require(try c.execute("SELECT avg_rating FROM satisfaction_metrics ORDER BY day LIMIT 1").first?.value(0, as: Double.self))
        #expect(abs(updated - (mean * Double(count) + 1) / Double(count + 1)) < 1e-12)
    }

    @Test func segmentsAndRefreshOnly() throws {
        let (db, _, _) = try FairnessReportTests.load(nil, developers: 8, days: 45, seed: 3)
        let refresh = try #require(try AIL.parseAsRoot(["forecast", "satisfaction", "--dsn", db.dsn, "--refresh-only"]) as? ForecastSatisfaction)
        let only = try refresh.makeReport()
        #expect(only.forecasts.isEmpty && only.refresh.days == 45)
        let bySegment = try #require(try AIL.parseAsRoot(["forecast", "satisfaction", "--dsn", db.dsn, "--days", "7", "--segment", "cohort"]) as? ForecastSatisfaction)
        let report = try bySegment.makeReport()
        #expect(Set(report.forecasts.compactMap(\.segment)) == ["platform", "product"])
        #expect(report.forecasts.allSatisfy { $0.forecast?.count == 7 || $0.skipped != nil })
        #expect(report.text.contains("segment product"))
        #expect(throws: (any Error).self) { try AIL.parseAsRoot(["forecast", "satisfaction", "--days", "0"]) }
    }
}
