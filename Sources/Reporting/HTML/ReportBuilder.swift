import Foundation
import Store

/// Builds the standard report from the database: KPIs, daily trends with anomalies marked,
/// tool ranking and code acceptance with intervals, model calibration, insights and alerts (a
/// section appears only when it has rows), then the satisfaction forecast and fairness sections
/// (always present: without data they say why).
public enum ReportBuilder {
    public static func build(_ connection: Connection, days: Int, asOf: Int64?) throws -> HTMLReport {
        let dashboard = try Dashboard.read(connection, days: days, asOf: asOf, insightLimit: 25, alertLimit: 25)
        let anomalies = try AnomalyMark.read(connection, window: dashboard.window)
        let curves = try CalibrationCurve.read(connection)
        var report = build(dashboard: dashboard, anomalies: anomalies, calibration: curves)
        report.add(try SatisfactionSection.read(connection))
        report.add(try FairnessSection.read(connection))
        return report
    }

    /// The report from figures already read (the tests build it from hand-made values too).
    public static func build(dashboard d: Dashboard, anomalies: [AnomalyMark], calibration: [CalibrationCurve]) -> HTMLReport {
        let w = d.window
        var report = HTMLReport(title: "AI performance report",
                                subtitle: "\(w.startText) to \(w.lastText) (\(w.days) days, UTC), compared with \(w.previous.startText) to \(w.previous.lastText)")
        report.add(ReportSection(id: "kpis", title: "Key figures", tables: [HTMLTable(
            columns: ["KPI", "current", "previous", "change", ""],
            rows: d.kpis.map { [$0.label, ValueFormat.value($0.current, unit: $0.unit), ValueFormat.value($0.previous, unit: $0.unit),
                                ValueFormat.change($0), ValueFormat.verdict($0)] },
            numeric: [1, 2, 3])]))
        report.add(trends(d, anomalies: anomalies))
        report.add(ReportSection(
            id: "tools", title: "Tool effectiveness",
            intro: "Success rate per tool with its Wilson 95% interval, ranked by the interval's lower bound (a tool used a few times cannot top the ranking).",
            charts: [IntervalBarChart(id: "tool-ranking", title: "Tool success rate (95% Wilson interval)",
                                      bars: d.tools.map { .init(label: $0.toolName, value: $0.successRate, lower: $0.interval.lower,
                                                                upper: $0.interval.upper, note: "n=\(ValueFormat.count($0.calls))") },
                                      unit: "rate").render()]))
        // Ranked like the tools: by the lower bound of the interval, so a pair decided twice cannot top it.
        let decided = d.codeGeneration.filter { $0.decided > 0 }.sorted { a, b in
            a.interval.lower != b.interval.lower ? a.interval.lower > b.interval.lower : a.decided > b.decided
        }
        report.add(ReportSection(
            id: "code-generation", title: "Code generation quality",
            intro: "Acceptance rate among decided generations, per generation type and language, with Wilson 95% intervals, ranked by the lower bound.",
            charts: [IntervalBarChart(id: "code-acceptance", title: "Acceptance rate by generation type and language",
                                      bars: decided.map { .init(label: "\($0.generationType) · \($0.language)", value: $0.interval.rate,
                                                                lower: $0.interval.lower, upper: $0.interval.upper, note: "n=\($0.decided)") },
                                      unit: "rate").render()]))
        if !calibration.isEmpty {
            report.add(ReportSection(
                id: "calibration", title: "Model calibration",
                intro: "Reliability of each model's latest version: observed frequency against mean predicted probability per bin; the dashed diagonal is perfect calibration.",
                charts: calibration.map { curve in
                    CalibrationChart(id: "calibration-\(curve.modelName)-\(curve.modelVersion)", title: "\(curve.modelName) \(curve.modelVersion)",
                                     points: curve.bins.map { ($0.predicted, $0.observed, $0.count) }).render()
                },
                tables: [HTMLTable(columns: ["model", "version", "metric", "value"],
                                   rows: calibration.flatMap { c in c.metrics.keys.sorted().map { [c.modelName, c.modelVersion, $0, String(format: "%.4g", c.metrics[$0] ?? .nan)] } },
                                   numeric: [3])]))
        }
        if !d.insights.isEmpty {
            report.add(ReportSection(id: "insights", title: "Insights", intro: "Open insights from ai_performance_insights, best first.", tables: [HTMLTable(
                columns: ["rank", "category", "insight", "confidence", "impact", "recommended action", "subject"],
                rows: d.insights.map { [$0.rank.map(String.init) ?? "–", $0.category, $0.title, String(format: "%.2f", $0.confidence),
                                        $0.impact.map { String(format: "%.3g", $0) } ?? "—", $0.recommendedAction ?? "", $0.subject] },
                numeric: [0, 3, 4])]))
        }
        if !d.alerts.isEmpty {
            report.add(ReportSection(id: "alerts", title: "Active alerts", tables: [HTMLTable(
                columns: ["severity", "alert", "subject", "since (UTC)"],
                rows: d.alerts.map { [$0.severity ?? "", $0.title, $0.subject ?? "", $0.raisedAt ?? ""] })]))
        }
        return report
    }

    /// The series a stored anomaly's metric name marks (detectors may name them differently).
    static func seriesKey(for metric: String) -> String? {
        let m = metric.lowercased()
        if DailyPoint.keys.contains(m) { return m }
        let aliases = ["failure_rate": "tool_failure_rate", "tool_failures": "tool_failure_rate", "acceptance_rate": "code_acceptance_rate",
                       "rating": "satisfaction", "mean_rating": "satisfaction", "avg_rating": "satisfaction",
                       "latency_p95": "p95_latency_ms", "response_time_ms": "p95_latency_ms", "latency": "p95_latency_ms",
                       "interaction_count": "interactions", "session_count": "sessions"]
        return aliases[m]
    }

    static func trends(_ d: Dashboard, anomalies: [AnomalyMark]) -> ReportSection {
        let labels = d.daily.map(\.dayText)
        let first = d.window.first
        func marks(_ key: String) -> [LineChart.Mark] {
            anomalies.filter { seriesKey(for: $0.metric) == key }.compactMap { a in
                let index = Int(a.day - first)
                guard index >= 0, index < d.daily.count, let value = d.daily[index].value(key) ?? a.observed else { return nil }
                return .init(index: index, value: value,
                             label: "anomaly \(a.metric)\(a.subject.map { " (\($0))" } ?? "") on \(DayWindow.text(a.day))"
                                + (a.observed.map { String(format: ": observed %.4g", $0) } ?? "") + (a.expected.map { String(format: ", expected %.4g", $0) } ?? ""))
            }
        }
        let specs: [(key: String, title: String, unit: String, color: String)] = [
            ("success_rate", "Interaction success rate per day", "rate", "#4e79a7"),
            ("tool_failure_rate", "Tool failure rate per day", "rate", "#e15759"),
            ("code_acceptance_rate", "Code acceptance rate per day", "rate", "#59a14f"),
            ("satisfaction", "Mean satisfaction (stars) per day", "stars", "#f28e2b"),
            ("p95_latency_ms", "p95 interaction latency per day", "ms", "#76b7b2"),
            ("sessions", "Sessions per day", "count", "#9c755f"),
        ]
        let charts = specs.map { s in
            LineChart(id: "trend-\(s.key)", title: s.title, xLabels: labels,
                      series: [.init(name: s.key, values: d.daily.map { $0.value(s.key) }, color: s.color)],
                      marks: marks(s.key), unit: s.unit).render()
        }
        let unmatched = anomalies.filter { seriesKey(for: $0.metric) == nil }
        var tables: [HTMLTable] = []
        if !anomalies.isEmpty {
            tables.append(HTMLTable(columns: ["day", "metric", "subject", "observed", "expected"],
                                    rows: anomalies.map { [DayWindow.text($0.day), $0.metric, $0.subject ?? "",
                                                           $0.observed.map { String(format: "%.4g", $0) } ?? "",
                                                           $0.expected.map { String(format: "%.4g", $0) } ?? ""] }, numeric: [3, 4]))
        }
        let note = anomalies.isEmpty ? "" : " Stored anomalies are ringed in red on their series\(unmatched.isEmpty ? "" : " (\(unmatched.count) on series not charted here are listed below)")."
        return ReportSection(id: "trends", title: "Daily trends", intro: "One point per UTC day; gaps are days without data." + note,
                             charts: charts, tables: tables)
    }
}
