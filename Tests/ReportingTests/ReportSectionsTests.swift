import Foundation
import Reporting
import Store
import Testing
import TestSupport

/// The satisfaction forecast and fairness sections on the simulated workload (40 days of ratings,
/// two cohorts): figures checked against SQL on the same tables, and both charts in the DOM that
/// headless Chromium renders.
@Suite struct ReportSectionsTests {
    @Test func forecastAndFairnessSectionsHoldTheirChartsAndFigures() throws {
        let c = try SimulatedWorkload.connect()
        let report = try ReportBuilder.build(c, days: 14, asOf: SimulatedWorkload.lastDay)
        let forecast = try #require(report.sections.first { $0.id == "satisfaction-forecast" })
        let chart = try #require(forecast.charts.first)
        #expect(chart.id == "chart-satisfaction-forecast")
        // the 95% and 80% bands, the history and the forecast line, the alert minimum
        #expect(chart.svg.components(separatedBy: "<polygon ").count == 3)
        #expect(chart.svg.contains("<title>95% prediction interval</title>") && chart.svg.contains("<title>80% prediction interval</title>"))
        #expect(chart.svg.contains("alert minimum 3.50"))
        let steps = try #require(forecast.tables.last)
        #expect(steps.rows.count == 14 && steps.rows.first?[0] == "2026-02-14" && steps.rows.last?[0] == "2026-02-27")
        // each 95% interval contains its 80% interval
        for row in steps.rows {
            let b80 = row[2].components(separatedBy: " – ").compactMap(Double.init), b95 = row[3].components(separatedBy: " – ").compactMap(Double.init)
            #expect(b80.count == 2 && b95.count == 2 && b95[0] <= b80[0] && b80[1] <= b95[1], "\(row)")
        }
        let figures = try #require(forecast.tables.first).rows
        #expect(figures.contains { $0[0].hasPrefix("model (lowest AICc of ") })
        #expect(figures.contains { $0[0] == "history" && $0[1] == "2026-01-05 to 2026-02-13" })
        // 40 days are too few for a 14-day backtest after 4 weeks of training: the row says so
        #expect(figures.contains { $0 == ["backtest", "not run", "a backtest needs 42 days (4 weeks of training and the horizon); there are 40"] }, "\(figures)")

        let fairness = try #require(report.sections.first { $0.id == "fairness" })
        #expect(fairness.intro?.hasPrefix("Groups by cohort (tag).") == true)
        let acceptance = try #require(fairness.charts.first { $0.id == "chart-fairness-acceptance" })
        // per-cohort acceptance rates as SQL computes them, in the bars' tooltips
        let rates = try c.execute("""
            SELECT substr(t, 8), avg(g.accepted::int)::float8 FROM code_generation_events g JOIN ai_sessions s USING (session_id), unnest(s.tags) t
             WHERE t LIKE 'cohort:%' AND g.accepted IS NOT NULL GROUP BY 1 ORDER BY 1
            """).map { ($0.text(0) ?? "", try $0.value(1, as: Double.self) ?? .nan) }
        #expect(rates.map(\.0) == ["platform", "product"])
        for (cohort, rate) in rates {
            #expect(acceptance.svg.contains("<title>\(cohort): \(String(format: "%.1f%%", rate * 100)) ["), "\(cohort) \(rate)")
        }
        #expect(fairness.charts.contains { $0.id == "chart-fairness-satisfaction" })
        let contrasts = try #require(fairness.tables.first)
        #expect(contrasts.rows.contains { $0[1] == "acceptance" && ($0[2] == "product vs platform" || $0[2] == "platform vs product") })

        guard let chromium = HeadlessChromium.find() else {
            Issue.record("chromium is not installed (apt-get install chromium; make test installs it): the new sections were NOT rendered in a browser")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-sections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.html")
        try Data(report.render().utf8).write(to: file)
        let dom = try chromium.dumpDOM(file, profile: folder.appendingPathComponent("profile"))
        for id in [chart.id, acceptance.id, "chart-fairness-satisfaction"] {
            #expect(dom.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\""), "chart \(id) missing from the rendered DOM")
        }
        #expect(dom.contains("<polygon points="))
    }
}
