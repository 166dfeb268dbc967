import Foundation
import Store

/// Active alerts, read from whichever alerts table the database has (the alerting part of the
/// engine names it; candidates: `ai_alerts`, `alerts`, `alert_events`). Columns are matched by
/// name (`severity`, `title`/`message`, `subject`/`metric`, a time column), so the dashboard
/// needs no change when that table gains columns. Rows whose `status`/`state` says resolved, or
/// whose `resolved_at` is set, are not active.
public struct AlertSummary: Sendable, Equatable {
    public var severity: String?
    public var title: String
    public var subject: String?
    public var raisedAt: String?

    static let tables = ["ai_alerts", "alerts", "alert_events"]

    /// Up to `limit` active alerts, newest first; empty when no alerts table exists.
    public static func active(_ connection: Connection, limit: Int) throws -> [AlertSummary] {
        let probe = SchemaProbe(connection)
        guard let table = try probe.firstTable(tables) else { return [] }
        let columns = try probe.columns(table)
        let q = SchemaProbe.quoted
        guard let title = SchemaProbe.pick(["title", "message", "summary", "description", "alert_type", "kind", "rule", "name"], in: columns)
        else { return [] }
        let severity = SchemaProbe.pick(["severity", "level", "priority"], in: columns)
        let subject = SchemaProbe.pick(["subject", "metric", "metric_name", "tool_name"], in: columns)
        let time = SchemaProbe.pick(["raised_at", "triggered_at", "fired_at", "detected_at", "observed_at", "created_at"], in: columns)
        var conditions: [String] = []
        if let status = SchemaProbe.pick(["status", "state"], in: columns) {
            conditions.append("lower(\(q(status))::text) NOT IN ('resolved', 'closed', 'expired', 'ok', 'inactive', 'acknowledged')")
        }
        if columns.contains("resolved_at") { conditions.append("resolved_at IS NULL") }
        if columns.contains("active") { conditions.append("active IS NOT FALSE") }
        let select = [severity, title, subject].map { $0.map { "\(q($0))::text" } ?? "NULL::text" }
            + [time.map { "to_char(\(q($0)) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')" } ?? "NULL::text"]
        let sql = "SELECT \(select.joined(separator: ", ")) FROM \(q(table))"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + (time.map { " ORDER BY \(q($0)) DESC NULLS LAST" } ?? "") + " LIMIT $1"
        return try connection.execute(sql, [.int(limit)]).map {
            AlertSummary(severity: $0.text(0), title: $0.text(1) ?? "", subject: $0.text(2), raisedAt: $0.text(3))
        }
    }
}

/// Anomalies the detector stored (candidates `ai_anomalies`, `anomalies`, `anomaly_events`,
/// `detected_anomalies`), by day, so the report can mark them on the matching daily series.
public struct AnomalyMark: Sendable, Equatable {
    public var day: Int64
    /// The metric as the detector names it (compared with the series keys of ``DailyPoint``).
    public var metric: String
    public var subject: String?
    public var observed: Double?, expected: Double?

    static let tables = ["ai_anomalies", "anomalies", "anomaly_events", "detected_anomalies"]

    /// Anomalies dated within `window`; empty when no anomalies table exists.
    public static func read(_ connection: Connection, window: DayWindow) throws -> [AnomalyMark] {
        let probe = SchemaProbe(connection)
        guard let table = try probe.firstTable(tables) else { return [] }
        let columns = try probe.columns(table)
        let q = SchemaProbe.quoted
        // when it happened (ai_anomalies: start_time), not when the detector ran (detected_at)
        guard let time = SchemaProbe.pick(["start_time", "bucket_start", "observed_at", "occurred_at", "detected_at", "at", "time", "ts", "day", "created_at"], in: columns),
              let metric = SchemaProbe.pick(["metric", "metric_name", "series", "kind"], in: columns) else { return [] }
        let subject = SchemaProbe.pick(["subject", "tool_name", "series_key"], in: columns)
        let observed = SchemaProbe.pick(["observed", "observed_value", "value", "actual"], in: columns)
        let expected = SchemaProbe.pick(["expected", "expected_value", "baseline"], in: columns)
        func text(_ c: String?) -> String { c.map { "\(q($0))::text" } ?? "NULL::text" }
        func number(_ c: String?) -> String { c.map { "\(q($0))::float8" } ?? "NULL::float8" }
        let sql = """
            SELECT to_char((\(q(time))::timestamptz AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), \(q(metric))::text, \(text(subject)),
                   \(number(observed)), \(number(expected))
              FROM \(q(table)) WHERE \(q(time))::timestamptz >= $1::date AND \(q(time))::timestamptz < $2::date
             ORDER BY 1 LIMIT 500
            """
        return try connection.execute(sql, window.parameters).compactMap { row in
            guard let day = DayWindow.day(row.text(0) ?? "") else { return nil }
            return AnomalyMark(day: day, metric: row.text(1) ?? "", subject: row.text(2),
                               observed: try row.value(3, as: Double.self), expected: try row.value(4, as: Double.self))
        }
    }
}

/// A reliability curve of one model version from `model_performance_metrics`: rows named
/// `calibration_bin_<k>_predicted` (mean predicted probability in bin k) and
/// `calibration_bin_<k>_observed` (observed frequency), optionally `calibration_bin_<k>_count`.
/// Models that record no such rows have no curve.
public struct CalibrationCurve: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
        public var predicted: Double, observed: Double
        public var count: Int?
    }
    public var modelName: String, modelVersion: String
    public var bins: [Bin]
    /// Other figures of the same version (auc, log_loss, brier, ece, …) by name.
    public var metrics: [String: Double]

    /// The latest version of every model that recorded calibration bins.
    public static func read(_ connection: Connection) throws -> [CalibrationCurve] {
        let sql = """
            WITH latest AS (
              SELECT DISTINCT ON (model_name) model_name, model_version FROM model_performance_metrics
               ORDER BY model_name, created_at DESC, id DESC)
            SELECT m.model_name, m.model_version, m.metric_name, m.metric_value
              FROM model_performance_metrics m JOIN latest USING (model_name, model_version)
             ORDER BY m.model_name, m.metric_name, m.created_at
            """
        var byModel: [String: (version: String, values: [String: Double])] = [:]
        var order: [String] = []
        for row in try connection.execute(sql) {
            guard let name = row.text(0), let version = row.text(1), let metric = row.text(2),
                  let value = try row.value(3, as: Double.self) else { continue }
            if byModel[name] == nil { order.append(name); byModel[name] = (version, [:]) }
            byModel[name]?.values[metric] = value
        }
        return order.compactMap { name in
            guard let entry = byModel[name] else { return nil }
            var bins: [Int: (p: Double?, o: Double?, n: Int?)] = [:]
            var others: [String: Double] = [:]
            for (metric, value) in entry.values {
                let parts = metric.split(separator: "_")
                if parts.count == 4, parts[0] == "calibration", parts[1] == "bin", let k = Int(parts[2]) {
                    switch parts[3] {
                    case "predicted": bins[k, default: (nil, nil, nil)].p = value
                    case "observed": bins[k, default: (nil, nil, nil)].o = value
                    case "count": bins[k, default: (nil, nil, nil)].n = Int(value)
                    default: others[metric] = value
                    }
                } else {
                    others[metric] = value
                }
            }
            let curve = bins.keys.sorted().compactMap { k -> Bin? in
                guard let p = bins[k]?.p, let o = bins[k]?.o, p.isFinite, o.isFinite else { return nil }
                return Bin(predicted: p, observed: o, count: bins[k]?.n)
            }
            return curve.isEmpty ? nil : CalibrationCurve(modelName: name, modelVersion: entry.version, bins: curve, metrics: others)
        }
    }
}
