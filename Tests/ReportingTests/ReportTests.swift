import Foundation
import Reporting
import Store
import Testing
import TestSupport

/// The HTML report: structure, escaping of hostile stored text, optional sections from tables
/// other parts of the engine create, and rendering in headless Chromium.
@Suite struct ReportTests {
    static let hostile = "</script><svg onload=alert(1)>&\"'"

    /// A small database whose stored strings try to break out of the HTML, plus insights, an
    /// alerts table, an anomalies table and calibration bins.
    static func hostileDatabase() throws -> Connection {
        let c = try SimulatedWorkload.empty()
        var sql = "INSERT INTO ai_sessions (session_id, started_at) VALUES ('s', '2026-03-01 08:00Z');\n"
        for day in 1...10 {
            for k in 0..<10 {
                let tool = k % 2 == 0 ? "grep" : hostile.replacingOccurrences(of: "'", with: "''")
                let ok = (k + day) % 3 != 0
                sql += "INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms, created_at) VALUES (gen_random_uuid(), 's', '\(tool)', \(ok), \(100 * k), '2026-03-\(String(format: "%02d", day)) 09:\(String(format: "%02d", k))Z');\n"
                sql += "INSERT INTO ai_interactions (event_id, session_id, interaction_type, success, response_time_ms, created_at) VALUES (gen_random_uuid(), 's', 'tool_call', \(ok), \(50 * k + day), '2026-03-\(String(format: "%02d", day)) 09:\(String(format: "%02d", k))Z');\n"
            }
            sql += "INSERT INTO user_feedback (event_id, session_id, rating, created_at) VALUES (gen_random_uuid(), 's', \(1 + day % 5), '2026-03-\(String(format: "%02d", day)) 12:00Z');\n"
            sql += "INSERT INTO code_generation_events (event_id, session_id, generation_type, language, accepted, created_at) VALUES (gen_random_uuid(), 's', 'test', 'swift', \(day % 2 == 0), '2026-03-\(String(format: "%02d", day)) 12:00Z');\n"
        }
        let h = hostile.replacingOccurrences(of: "'", with: "''")
        sql += """
            INSERT INTO ai_performance_insights (category, insight_type, title, description, subject, confidence_score, impact_score, rank, recommended_action, fingerprint)
            VALUES ('performance', 'tool_failure_rate', 'Tool \(h) fails often', 'd', '{"tool_name": "\(h.replacingOccurrences(of: "\"", with: "\\\""))"}', 0.93, 12.5, 1, 'Fix <b>it</b>', 'f1'),
                   ('user_experience', 'satisfaction_drop', 'Satisfaction fell', 'd', '{}', 0.71, 3, 2, NULL, 'f2'),
                   ('learning', 'stale', 'Expired one', 'd', '{}', 0.99, 100, 3, NULL, 'f3');
            UPDATE ai_performance_insights SET status = 'expired' WHERE fingerprint = 'f3';
            INSERT INTO ai_alerts (alert_kind, subject, severity, observed, threshold, message, raised_at) VALUES
              ('tool_success_rate', '\(h)', 'high', 0.6, 0.7, 'Failure rate of \(h) above 30%', '2026-03-09 10:00Z');
            INSERT INTO ai_anomalies (run_id, detected_at, grain, metric, subject_kind, subject, kind, start_time, peak_time, end_time,
                                      points, observed, expected, expected_low, expected_high, z, p_value, adjusted_p_value, tests,
                                      severity, detector, mode, false_alarm_rate) VALUES
              (gen_random_uuid(), '2026-03-10 23:00Z', 'day', 'success_rate', 'all', 'all', 'point', '2026-03-06 00:00Z', '2026-03-06 00:00Z',
               '2026-03-06 00:00Z', 1, 0.4, 0.7, 0.6, 0.8, -5, 1e-7, 1e-5, 60, 'high', 'robust_z', 'batch', 0.01),
              (gen_random_uuid(), '2026-03-10 23:00Z', 'day', 'volume', 'tool', '\(h)', 'point', '2026-03-07 00:00Z', '2026-03-07 00:00Z',
               '2026-03-07 00:00Z', 1, 9, 2, 1, 3, 6, 1e-9, 1e-7, 60, 'high', 'robust_z', 'batch', 0.01);
            INSERT INTO model_performance_metrics (model_name, model_version, metric_name, metric_value) VALUES
              ('code_acceptance', 'v1', 'auc_holdout', 0.74), ('code_acceptance', 'v1', 'calibration_bin_1_predicted', 0.1),
              ('code_acceptance', 'v1', 'calibration_bin_1_observed', 0.12), ('code_acceptance', 'v1', 'calibration_bin_1_count', 40),
              ('code_acceptance', 'v1', 'calibration_bin_2_predicted', 0.5), ('code_acceptance', 'v1', 'calibration_bin_2_observed', 0.45),
              ('code_acceptance', 'v1', 'calibration_bin_3_predicted', 0.9), ('code_acceptance', 'v1', 'calibration_bin_3_observed', 0.86);
            """
        try c.executeScript(sql)
        return c
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let c = try Self.hostileDatabase()
        let html = try ReportBuilder.build(c, days: 10, asOf: DayWindow.day("2026-03-10")).render()
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("</script>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>it</b>"))
        #expect(html.contains("&lt;/script&gt;&lt;svg onload=alert(1)&gt;&amp;&quot;&#39;"))
        #expect(html.contains("Fix &lt;b&gt;it&lt;/b&gt;"))
        // Nothing is fetched from anywhere: no external URL but the SVG namespace.
        let urls = html.components(separatedBy: "://").dropFirst().map { $0.prefix(22) }
        #expect(!urls.isEmpty && urls.allSatisfy { $0 == "www.w3.org/2000/svg\" i" }, "\(urls)")
        // The dashboard text keeps the name on one line.
        let text = try Dashboard.read(c, days: 10, asOf: DayWindow.day("2026-03-10")).text()
        #expect(text.contains("Failure rate of </script>"))
    }

    @Test func optionalSectionsAppearFromTheirTables() throws {
        let c = try Self.hostileDatabase()
        let d = try Dashboard.read(c, days: 10, asOf: DayWindow.day("2026-03-10"))
        #expect(d.insights.map(\.title) == ["Tool \(Self.hostile) fails often", "Satisfaction fell"], "expired insight left out")
        #expect(d.alerts.count == 1 && d.alerts.first?.severity == "high" && d.alerts.first?.raisedAt == "2026-03-09 10:00")
        let report = try ReportBuilder.build(c, days: 10, asOf: DayWindow.day("2026-03-10"))
        #expect(report.sections.map(\.id) == ["kpis", "trends", "tools", "code-generation", "calibration", "insights", "alerts",
                                              "satisfaction-forecast", "fairness"])
        // Ten days of ratings and no groups: both sections say why, without charts.
        let forecast = try #require(report.sections.first { $0.id == "satisfaction-forecast" })
        #expect(forecast.charts.isEmpty && forecast.intro == "No forecast: a satisfaction forecast needs at least 14 days with ratings; there are 10.")
        let fairness = try #require(report.sections.first { $0.id == "fairness" })
        #expect(fairness.charts.isEmpty && fairness.intro?.hasPrefix("No outcome could be compared across groups by task_type (task_type): ") == true)
        #expect(fairness.intro?.contains("comparing groups needs at least two; the data have 0") == true, "\(fairness.intro ?? "")")
        #expect(report.chartIDs.contains("chart-calibration-code-acceptance-v1"))
        let html = report.render()
        // The anomaly on success_rate is ringed on that chart on the day it happened (its start,
        // not when it was detected), at the day's own value; one without a chart is listed.
        let chart = try #require(report.sections.first { $0.id == "trends" }?.charts.first { $0.id == "chart-trend-success-rate" })
        #expect(chart.svg.components(separatedBy: "class=\"anomaly\"").count == 2)
        #expect(chart.svg.contains("anomaly success_rate (all) on 2026-03-06: observed 0.4, expected 0.7"))
        #expect(html.contains("volume"))
        // The bars follow the ranking (by the lower Wilson bound), labels escaped.
        let tools = try #require(report.sections.first { $0.id == "tools" }?.charts.first?.svg)
        let positions = try d.tools.map { try #require(tools.range(of: ">\(Markup.escape($0.toolName))<")).lowerBound }
        #expect(positions.count == 2 && positions == positions.sorted())
        #expect(d.tools.map(\.interval.lower) == d.tools.map(\.interval.lower).sorted(by: >))
        // Without those tables and rows the sections are simply absent.
        let plain = try SimulatedWorkload.empty()
        try plain.executeScript("INSERT INTO ai_sessions (session_id, started_at) VALUES ('s', '2026-03-01 08:00Z')")
        let bare = try ReportBuilder.build(plain, days: 3, asOf: nil)
        #expect(bare.sections.map(\.id) == ["kpis", "trends", "tools", "code-generation", "satisfaction-forecast", "fairness"])
        #expect(bare.sections.first { $0.id == "satisfaction-forecast" }?.intro == "No forecast: no ratings in user_feedback: there is no satisfaction history to forecast.")
        #expect(bare.render().contains("no data in this window"))
    }

    @Test func everyChartIsInTheRenderedDOMAndTheScreenshotIsNotBlank() throws {
        let c = try Self.hostileDatabase()
        let report = try ReportBuilder.build(c, days: 10, asOf: DayWindow.day("2026-03-10"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.html")
        let html = report.render()
        try Data(html.utf8).write(to: file)
        // Structural checks run everywhere: each chart id once, as an <svg> element.
        #expect(report.chartIDs.count == 9)
        for id in report.chartIDs { #expect(html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\"").count == 2, "\(id)") }
        guard let chromium = HeadlessChromium.find() else {
            Issue.record("chromium is not installed (apt-get install chromium; make test installs it): the report was NOT rendered in a browser, only its HTML structure was checked")
            return
        }
        let dom = try chromium.dumpDOM(file, profile: folder.appendingPathComponent("profile"))
        for id in report.chartIDs {
            #expect(dom.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\""), "chart \(id) missing from the rendered DOM")
        }
        // No element got an event-handler attribute from a stored string (the text is there, escaped).
        #expect(dom.range(of: #"<[^<>]*\son[a-z]+="#, options: .regularExpression) == nil, "a stored string became an attribute")
        #expect(dom.contains("&lt;/script&gt;&lt;svg onload=alert(1)&gt;"))
        #expect(dom.contains("<title>Tool success rate (95% Wilson interval)</title>"))
        // Not blank: the report's screenshot carries far more image data than a blank page's of
        // the same size (a white 1200×1600 PNG deflates to a few kB).
        let blankFile = folder.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blankFile)
        let shot = try PNGSummary(chromium.screenshot(file, to: folder.appendingPathComponent("shot.png"), profile: folder.appendingPathComponent("profile")))
        let blank = try PNGSummary(chromium.screenshot(blankFile, to: folder.appendingPathComponent("blank.png"), profile: folder.appendingPathComponent("profile")))
        #expect(shot.width == 1200 && shot.height == 1600)
        #expect(blank.width == 1200 && blank.height == 1600)
        #expect(shot.imageDataBytes > 8 * blank.imageDataBytes, "screenshot \(shot.imageDataBytes) bytes of image data, blank page \(blank.imageDataBytes)")
        #expect(shot.distinctIDATBytes > 200)
    }
}
