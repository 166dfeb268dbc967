import Foundation
import Statistics
import Store

/// Evaluates an ``AlertConfig`` on the database. Each threshold looks at its own window ending at
/// the newest event in the database (so a replayed or simulated workload is judged on its last
/// days), or from `since` when given. A rate or mean alerts only when its whole 95% interval is
/// on the wrong side of the threshold — Wilson for rates, mean ± 1.96·s/√n for the mean rating,
/// the distribution-free order-statistic interval for the p95 — so a handful of calls never
/// raises an alert by chance.
public struct AlertEvaluator {
    public let connection: Connection
    public init(connection: Connection) { self.connection = connection }

    /// The window a threshold of `days` covers: text timestamps PostgreSQL produced itself.
    public struct Window: Sendable, Equatable { public var start: String; public var end: String }

    /// The newest created_at across the event tables (now() on an empty database).
    func anchor() throws -> String {
        try connection.execute("""
            SELECT coalesce(greatest((SELECT max(created_at) FROM tool_usage_analytics), (SELECT max(created_at) FROM user_feedback),
                                     (SELECT max(created_at) FROM learning_events), (SELECT max(created_at) FROM ai_interactions)), now())::text
            """).first?.text(0) ?? ""
    }

    func window(days: Int, since: String?, anchor: String) throws -> Window {
        let start = try connection.execute("SELECT coalesce($1::date::timestamptz, $2::timestamptz - make_interval(days => $3))::text",
                                           [since.map { .text($0) } ?? .null, .text(anchor), .int(days)]).first?.text(0) ?? anchor
        return Window(start: start, end: anchor)
    }

    /// All active alerts, most severe first. `since` is a `YYYY-MM-DD` date that replaces every window's start.
    public func evaluate(_ config: AlertConfig, since: String? = nil) throws -> [Alert] {
        let end = try anchor()
        var alerts: [Alert] = []
        if let c = config.toolSuccessRate { alerts += try toolSuccess(c, try window(days: c.windowDays, since: since, anchor: end)) }
        if let c = config.p95Latency { alerts += try latency(c, try window(days: c.windowDays, since: since, anchor: end)) }
        if let c = config.satisfaction { alerts += try satisfaction(c, try window(days: c.windowDays, since: since, anchor: end)) }
        if let c = config.learningApplicationRate { alerts += try learning(c, try window(days: c.windowDays, since: since, anchor: end)) }
        if let c = config.anomalies { alerts += try anomalies(c, try window(days: c.windowDays, since: since, anchor: end)) }
        return alerts.sorted { ($0.severity, $1.kind, $1.subject) > ($1.severity, $0.kind, $0.subject) }
    }

    static func base(_ w: Window, days: Int?) -> [String: EvidenceValue] {
        var e: [String: EvidenceValue] = ["window_start": .text(w.start), "window_end": .text(w.end), "confidence_level": .number(0.95)]
        if let days { e["window_days"] = .number(Double(days)) }
        return e
    }

    static func rateAlert(kind: String, subject: String, successes: Int, trials: Int, minimum: Double, severity: AlertSeverity,
                          window w: Window, days: Int, what: String) throws -> Alert? {
        guard trials > 0 else { return nil }
        let (low, high) = try ProportionIntervals.wilson(successes: successes, trials: trials)
        guard high < minimum else { return nil }
        let rate = Double(successes) / Double(trials)
        var e = base(w, days: days)
        e["successes"] = .number(Double(successes)); e["trials"] = .number(Double(trials))
        e["conf_low"] = .number(low); e["conf_high"] = .number(high); e["interval"] = .text("wilson")
        let message = String(format: "%@ %.1f%% (%d of %d) is below the minimum %.1f%%: its whole 95%% Wilson interval (%.1f%%, %.1f%%) is below it",
                             what, rate * 100, successes, trials, minimum * 100, low * 100, high * 100)
        return Alert(kind: kind, subject: subject, severity: severity, observed: rate, threshold: minimum, message: message, evidence: e)
    }

    func toolSuccess(_ c: AlertConfig.ToolSuccess, _ w: Window) throws -> [Alert] {
        try connection.execute("""
            SELECT tool_name, count(*)::int8, sum(success::int)::int8 FROM tool_usage_analytics
             WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz GROUP BY 1 ORDER BY 1
            """, [.text(w.start), .text(w.end)]).compactMap { row in
            let tool = row.text(0) ?? ""
            return try Self.rateAlert(kind: "tool_success_rate", subject: tool, successes: row.value(2, as: Int.self) ?? 0,
                                      trials: row.value(1, as: Int.self) ?? 0, minimum: c.minimum(for: tool), severity: c.severity,
                                      window: w, days: c.windowDays, what: "\(tool) success rate")
        }
    }

    func learning(_ c: MinimumThreshold, _ w: Window) throws -> [Alert] {
        guard let row = try connection.execute("""
            SELECT count(*)::int8, coalesce(sum(applied::int), 0)::int8 FROM learning_events
             WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz
            """, [.text(w.start), .text(w.end)]).first else { return [] }
        return try [Self.rateAlert(kind: "learning_application_rate", subject: "all", successes: row.value(1, as: Int.self) ?? 0,
                                   trials: row.value(0, as: Int.self) ?? 0, minimum: c.minimum, severity: c.severity,
                                   window: w, days: c.windowDays, what: "learning application rate")].compactMap { $0 }
    }

    func satisfaction(_ c: MinimumThreshold, _ w: Window) throws -> [Alert] {
        guard let row = try connection.execute("""
            SELECT count(*)::int8, avg(rating)::float8, coalesce(stddev_samp(rating), 0)::float8 FROM user_feedback
             WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz
            """, [.text(w.start), .text(w.end)]).first,
              let n = try row.value(0, as: Int.self), n >= 2, let mean = try row.value(1, as: Double.self),
              let sd = try row.value(2, as: Double.self) else { return [] }
        let z = Normal().quantile(0.975)
        let half = z * sd / Double(n).squareRoot()
        guard mean + half < c.minimum else { return [] }
        var e = Self.base(w, days: c.windowDays)
        e["ratings"] = .number(Double(n)); e["mean"] = .number(mean); e["sd"] = .number(sd)
        e["conf_low"] = .number(mean - half); e["conf_high"] = .number(mean + half); e["interval"] = .text("normal mean")
        let message = String(format: "mean rating %.2f over %d ratings is below the minimum %.2f: its whole 95%% interval (%.2f, %.2f) is below it",
                             mean, n, c.minimum, mean - half, mean + half)
        return [Alert(kind: "satisfaction", subject: "all", severity: c.severity, observed: mean, threshold: c.minimum, message: message, evidence: e)]
    }

    /// Ranks of the distribution-free 95% interval for the q-quantile of n values (normal
    /// approximation to the binomial count below the quantile): l = ⌊nq − z√(nq(1−q))⌋,
    /// u = ⌈nq + z√(nq(1−q))⌉ + 1, clamped to 1…n.
    static func quantileRanks(n: Int, q: Double) -> (low: Int, high: Int) {
        let z = Normal().quantile(0.975), nq = Double(n) * q, s = (nq * (1 - q)).squareRoot()
        return (max(1, min(n, Int((nq - z * s).rounded(.down)))), max(1, min(n, Int((nq + z * s).rounded(.up)) + 1)))
    }

    func latency(_ c: AlertConfig.Latency, _ w: Window) throws -> [Alert] {
        let groups = try connection.execute("""
            SELECT tool_name, count(*)::int8, percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms)::float8 FROM tool_usage_analytics
             WHERE created_at > $1::timestamptz AND created_at <= $2::timestamptz AND execution_time_ms IS NOT NULL GROUP BY 1 ORDER BY 1
            """, [.text(w.start), .text(w.end)])
        var out: [Alert] = []
        for row in groups {
            guard let tool = row.text(0), let n = try row.value(1, as: Int.self), let p95 = try row.value(2, as: Double.self) else { continue }
            let maximum = c.maximum(for: tool)
            guard p95 > maximum else { continue }
            let (l, u) = Self.quantileRanks(n: n, q: 0.95)
            let bounds = try connection.execute("""
                SELECT x FROM (SELECT execution_time_ms::float8 AS x, row_number() OVER (ORDER BY execution_time_ms) AS r FROM tool_usage_analytics
                 WHERE tool_name = $3 AND created_at > $1::timestamptz AND created_at <= $2::timestamptz AND execution_time_ms IS NOT NULL) q
                 WHERE r IN ($4, $5) ORDER BY r
                """, [.text(w.start), .text(w.end), .text(tool), .int(l), .int(u)]).compactMap { try $0.value(0, as: Double.self) }
            guard let low = bounds.first, let high = bounds.last, low > maximum else { continue }
            var e = Self.base(w, days: c.windowDays)
            e["calls"] = .number(Double(n)); e["conf_low"] = .number(low); e["conf_high"] = .number(high)
            e["interval"] = .text("order statistics, ranks \(l) and \(u)")
            let message = String(format: "%@ p95 latency %.0f ms over %d calls is above the maximum %.0f ms: its whole 95%% interval (%.0f, %.0f) is above it",
                                 tool, p95, n, maximum, low, high)
            out.append(Alert(kind: "p95_latency", subject: tool, severity: c.severity, observed: p95, threshold: maximum, message: message, evidence: e))
        }
        return out
    }

    func anomalies(_ c: AlertConfig.Anomalies, _ w: Window) throws -> [Alert] {
        let allowed = AlertSeverity.allCases.filter { $0 >= c.minimumSeverity }.map(\.rawValue)
        return try connection.execute("""
            SELECT id, grain, metric, subject_kind, subject, kind, start_time::text, end_time::text, observed, expected, expected_low, expected_high,
                   adjusted_p_value, severity, detector
              FROM ai_anomalies WHERE end_time > $1::timestamptz AND start_time <= $2::timestamptz AND severity = ANY($3::text[])
             ORDER BY id
            """, [.text(w.start), .text(w.end), .textArray(allowed)]).compactMap { row in
            guard let id = try row.value(0, as: Int.self), let severity = AlertSeverity(rawValue: row.text(13) ?? ""),
                  let observed = try row.value(8, as: Double.self), let expected = try row.value(9, as: Double.self) else { return nil }
            let metric = row.text(2) ?? "", subject = "\(metric) \(row.text(3) ?? "")=\(row.text(4) ?? "")"
            var e = Self.base(w, days: c.windowDays)
            e["anomaly_id"] = .number(Double(id)); e["grain"] = .text(row.text(1) ?? ""); e["anomaly_kind"] = .text(row.text(5) ?? "")
            e["start_time"] = .text(row.text(6) ?? ""); e["end_time"] = .text(row.text(7) ?? "")
            e["expected"] = .number(expected)
            e["expected_low"] = .number(try row.value(10, as: Double.self) ?? .nan); e["expected_high"] = .number(try row.value(11, as: Double.self) ?? .nan)
            e["adjusted_p_value"] = .number(try row.value(12, as: Double.self) ?? .nan); e["detector"] = .text(row.text(14) ?? "")
            let message = String(format: "%@ %@ on %@ from %@: observed %.4g against expected %.4g (adjusted p = %.2g)",
                                 row.text(5) ?? "", metric, subject, String((row.text(6) ?? "").prefix(16)), observed, expected,
                                 try row.value(12, as: Double.self) ?? .nan)
            return Alert(kind: "anomaly", subject: subject, severity: severity, observed: observed, threshold: nil, message: message, evidence: e)
        }
    }
}
