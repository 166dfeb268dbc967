import Foundation
import Store

/// `ail trends`: daily series over a window, each day with its change from the day before, and
/// each series' window value against the previous window of equal length (the dashboard's KPIs).
public struct Trends: Sendable {
    public var window: DayWindow
    public var daily: [DailyPoint]
    /// Window totals and rates against the previous window (same definitions as the dashboard).
    public var periods: [KPIChange]

    public static func read(_ connection: Connection, days: Int, asOf: Int64?) throws -> Trends {
        let window = try DayWindow.resolve(connection, days: days, asOf: asOf)
        let current = try KPISnapshot.read(connection, window: window)
        let previous = try KPISnapshot.read(connection, window: window.previous)
        return Trends(window: window, daily: try DailySeries.read(connection, window: window),
                      periods: KPIChange.list(current: current, previous: previous))
    }

    /// Day-over-day change of series `key` on day index `i`: nil on the first day or when either day has no value.
    public func dayOverDay(_ key: String, at i: Int) -> Double? {
        guard i > 0, let today = daily[i].value(key), let yesterday = daily[i - 1].value(key) else { return nil }
        return today - yesterday
    }

    /// The JSON document of `--format json`.
    public func jsonObject() -> [String: Any] {
        let days: [[String: Any]] = daily.indices.map { i in
            var entry: [String: Any] = ["day": daily[i].dayText]
            for key in DailyPoint.keys {
                entry[key] = ValueFormat.json(daily[i].value(key))
                entry[key + "_dod"] = ValueFormat.json(dayOverDay(key, at: i))
            }
            entry["ratings"] = daily[i].ratings
            return entry
        }
        return ["window": window.jsonObject(), "previous_window": window.previous.jsonObject(),
                "daily": days, "period": periods.map { $0.jsonObject() }]
    }

    /// The text table: one row per day, the day-over-day change beside each rate, then the
    /// window against the previous window.
    public func text() -> String {
        var out = ["Daily trends \(window.startText) to \(window.lastText) (\(window.days) days, UTC); Δ = change from the day before"]
        out.append(pad("day", 11) + pad("sessions", 9, right: true) + pad("interact.", 10, right: true)
                   + pad("success", 9, right: true) + pad("Δ pp", 7, right: true)
                   + pad("tool fail", 10, right: true) + pad("Δ pp", 7, right: true)
                   + pad("accept", 8, right: true) + pad("Δ pp", 7, right: true)
                   + pad("stars", 7, right: true) + pad("Δ", 7, right: true) + pad("p95 ms", 9, right: true))
        func rate(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func pp(_ v: Double?) -> String { v.map { String(format: "%+.1f", $0 * 100) } ?? "" }
        for (i, p) in daily.enumerated() {
            out.append(pad(p.dayText, 11) + pad(ValueFormat.count(p.sessions), 9, right: true) + pad(ValueFormat.count(p.interactions), 10, right: true)
                       + pad(rate(p.successRate), 9, right: true) + pad(pp(dayOverDay("success_rate", at: i)), 7, right: true)
                       + pad(rate(p.toolFailureRate), 10, right: true) + pad(pp(dayOverDay("tool_failure_rate", at: i)), 7, right: true)
                       + pad(rate(p.acceptanceRate), 8, right: true) + pad(pp(dayOverDay("code_acceptance_rate", at: i)), 7, right: true)
                       + pad(p.satisfaction.map { String(format: "%.2f", $0) } ?? "—", 7, right: true)
                       + pad(dayOverDay("satisfaction", at: i).map { String(format: "%+.2f", $0) } ?? "", 7, right: true)
                       + pad(p.p95LatencyMs.map { String(format: "%.0f", $0) } ?? "—", 9, right: true))
        }
        let previous = window.previous
        out.append("")
        out.append("Window vs previous window (\(previous.startText) to \(previous.lastText))")
        for kpi in periods {
            out.append(pad(kpi.label, 22) + pad(ValueFormat.value(kpi.current, unit: kpi.unit), 14, right: true)
                       + pad(ValueFormat.value(kpi.previous, unit: kpi.unit), 14, right: true)
                       + pad(ValueFormat.change(kpi), 12, right: true) + "  " + ValueFormat.verdict(kpi)
                       + "  " + Sparkline.text(daily.map { $0.value(kpi.key) }))
        }
        return out.joined(separator: "\n")
    }
}

extension DayWindow {
    func jsonObject() -> [String: Any] { ["first_day": startText, "last_day": lastText, "days": days] }
}

extension KPIChange {
    func jsonObject() -> [String: Any] {
        ["key": key, "label": label, "unit": unit, "higher_is_better": higherIsBetter,
         "current": ValueFormat.json(current), "previous": ValueFormat.json(previous),
         "change": ValueFormat.json(change), "relative_change": ValueFormat.json(relativeChange)]
    }
}
