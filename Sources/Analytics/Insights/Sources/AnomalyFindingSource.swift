import Foundation
import Store

/// Findings from `ai_anomalies` (`ail detect anomalies`): point anomalies and level shifts whose
/// onset lies in the run's window, from the latest detection run. Nothing is re-detected; an empty
/// table yields nothing (a note on stderr says so).
///
/// p-value: the stored tail probability is that of the series' most extreme bucket, picked out of
/// `tests` buckets, so it is not uniform under "no anomaly". The source uses the Šidák correction
/// within the series, 1 − (1 − p)^tests, which is (for independent buckets) a valid p-value for
/// "this series has no anomaly"; across series the engine's one Benjamini–Hochberg family applies.
/// Only flagged rows are stored, so the family holds no p-values of series without a finding.
///
/// One finding per series, kind and direction (the smallest p-value over grains and episodes),
/// so the fingerprint (kind, subject, metric, direction) is unique in a run and stable across runs.
public struct AnomalyFindingSource: FindingSource {
    public let name = "anomalies"

    public init() {}

    public func findings(in context: FindingContext) throws -> [Finding] {
        let c = context.connection
        var parameters: [SQLValue] = [.timestamp(context.until)]
        var sinceClause = ""
        if let since = context.since { parameters.append(.timestamp(since)); sinceClause = "AND start_time >= $2" }
        let rows = try c.execute("""
            SELECT grain, metric, subject_kind, subject, kind, points, observed, expected, expected_low, expected_high,
                   z, p_value, tests, detector, extract(epoch FROM start_time)
              FROM ai_anomalies
             WHERE run_id = (SELECT run_id FROM ai_anomalies ORDER BY detected_at DESC LIMIT 1)
               AND start_time < $1 \(sinceClause)
             ORDER BY id
            """, parameters)
        var best: [String: Finding] = [:]
        for row in rows {
            guard let grain = row.text(0), let metric = row.text(1), let subjectKind = row.text(2), let subjectName = row.text(3),
                  let kind = row.text(4), let points = try row.value(5, as: Int.self),
                  let observed = try row.value(6, as: Double.self), let expected = try row.value(7, as: Double.self),
                  let low = try row.value(8, as: Double.self), let high = try row.value(9, as: Double.self),
                  let p = try row.value(11, as: Double.self), let tests = try row.value(12, as: Int.self) else { continue }
            let seriesP = min(1, max(0, -expm1(Double(tests) * log1p(-min(p, 1 - 1e-16)))))
            let subject: [String: String]
            switch subjectKind {
            case "tool": subject = ["tool_name": subjectName]
            case "model": subject = ["model": subjectName]
            case "task_type": subject = ["task_type": subjectName]
            default: subject = ["scope": "all"]
            }
            let (scale, unitsPerOutcome) = Self.scale(metric)
            let diff = observed - expected
            let relative = expected != 0 ? abs(diff / expected) : abs(diff)
            let words = subject.values.first ?? subjectName
            let what = kind == "level_shift" ? "level shift" : "anomaly"
            let finding = Finding(
                source: name, kind: kind == "level_shift" ? "metric_level_shift" : "metric_anomaly",
                category: metric == "satisfaction" ? .userExperience : .performance, subject: subject, metric: metric,
                effect: EffectEstimate(estimate: diff, confLow: observed - high, confHigh: observed - low, scale: scale),
                pValue: seriesP, rawEffect: nil, rawPValue: nil, volume: points,
                // buckets affected × the change in outcomes (rates, ratings) or × the relative change (latency, volume)
                impact: Double(points) * (unitsPerOutcome.map { abs(diff) / $0 } ?? relative),
                subjectText: "\(metric.replacingOccurrences(of: "_", with: " ")) of \(words) (\(grain)ly, \(what))",
                comparisonText: "its expected value \(String(format: "%.4g", expected)) (95% \(String(format: "%.4g", low))–\(String(format: "%.4g", high)))",
                actionIfHigher: Self.action(metric, higher: true, words),
                actionIfLower: Self.action(metric, higher: false, words),
                method: "\(row.text(13) ?? "") on the \(grain)ly series; Šidák over \(tests) buckets of the stored tail probability",
                adjustedFor: ["season of the series"],
                numbers: ["observed": observed, "expected": expected, "z": (try row.value(10, as: Double.self)) ?? .nan,
                          "tail_probability": p, "tests": Double(tests), "points": Double(points),
                          "start_epoch": (try row.value(14, as: Double.self)) ?? .nan])
            let key = "\(finding.kind)|\(subjectKind)|\(subjectName)|\(metric)|\(diff >= 0)"
            if let current = best[key], current.pValue <= seriesP { continue }
            best[key] = finding
        }
        if best.isEmpty {
            FileHandle.standardError.write(Data("note: anomalies: no stored anomaly in the window (run `ail detect anomalies` first)\n".utf8))
        }
        return best.keys.sorted().map { best[$0]! }
    }

    /// The effect's scale, and how many of its units make one outcome (nil: use the relative change).
    static func scale(_ metric: String) -> (String, Double?) {
        switch metric {
        case "success_rate", "acceptance_rate": return ("probability", 1)
        case "satisfaction": return ("rating points", 4)
        case "p95_latency_ms": return ("ms", nil)
        default: return ("interactions", nil)
        }
    }

    static func action(_ metric: String, higher: Bool, _ subject: String) -> String {
        switch (metric, higher) {
        case ("p95_latency_ms", true): return "\(subject) became slower; look for the change at the onset (a deploy, a dependency) and roll it back or fix it."
        case ("p95_latency_ms", false): return "\(subject) became faster; keep whatever changed at the onset."
        case ("success_rate", false), ("acceptance_rate", false), ("satisfaction", false):
            return "\(metric.replacingOccurrences(of: "_", with: " ")) of \(subject) dropped; check what changed at the onset."
        case ("volume", _): return "Usage of \(subject) changed; check whether it was expected."
        default: return "\(metric.replacingOccurrences(of: "_", with: " ")) of \(subject) improved; find out what changed at the onset and keep it."
        }
    }
}
