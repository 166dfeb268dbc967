import Foundation
import Statistics
import Store

/// A daily or hourly series of one metric for one subject, read from the seed tables.
public struct MetricSeries: Sendable {
    public enum Grain: String, Sendable, CaseIterable { case day, hour
        var microseconds: Int64 { self == .day ? 86_400_000_000 : 3_600_000_000 }
        /// Seasonal periods worth trying: a week of days; a day and a week of hours.
        var candidatePeriods: [Int] { self == .day ? [7] : [24, 168] }
        /// Running-median window without a season.
        var window: Int { self == .day ? 7 : 24 }
    }

    /// How the values are analysed.
    public enum Scale: Sendable {
        /// Successes out of trials (exact binomial tails).
        case rate
        /// Natural log (latencies: log-normal-like, the log makes the noise symmetric).
        case log
        /// Anscombe's 2√(x + 3/8) (counts: variance ≈ 1 under a Poisson model).
        case count
        /// As observed (mean ratings).
        case linear
    }

    public var grain: Grain
    public var metric: String
    public var subjectKind: String
    public var subject: String
    public var scale: Scale
    /// Bucket starts (µs since 1970, UTC), consecutive.
    public var times: [Int64]
    /// Value per bucket (a rate for `.rate`); NaN when the bucket has too little data.
    public var values: [Double]
    /// Successes and trials per bucket for `.rate`; for `.linear` (mean ratings) and `.log` (p95
    /// latency) `trials` holds the number of values behind each bucket's statistic, whose
    /// sampling variance is ∝ 1/n (s²/n for a mean; p(1−p)/(n·f(q)²) for a quantile).
    public var successes: [Double]
    public var trials: [Double]
}

/// The series `ail detect anomalies` builds from the database, one query per metric and
/// subject kind, each grouped by UTC bucket and subject. Buckets with no rows are missing (0 for
/// volume); p95 latency and mean satisfaction need at least `minimumCount` values in a day
/// (`minimumHourlyCount` in an hour). Hourly series are built for success rates, p95 latency and
/// volume only: an hour holds too few ratings and decided generations for their means.
public enum MetricSeriesQuery {
    public static let minimumCount = 5
    public static let minimumHourlyCount = 20

    struct Spec {
        var metric: String, subjectKind: String, scale: MetricSeries.Scale
        var subject: String, from: String, filter: String
        /// value, n
        var value: String, count: String
    }

    static let specs: [Spec] = {
        var s: [Spec] = []
        let tools = "tool_usage_analytics t"
        s.append(Spec(metric: "success_rate", subjectKind: "tool", scale: .rate, subject: "t.tool_name", from: tools, filter: "true",
                      value: "sum(t.success::int)::float8", count: "count(*)::float8"))
        s.append(Spec(metric: "p95_latency_ms", subjectKind: "tool", scale: .log, subject: "t.tool_name", from: tools, filter: "t.execution_time_ms IS NOT NULL",
                      value: "percentile_cont(0.95) WITHIN GROUP (ORDER BY t.execution_time_ms)", count: "count(*)::float8"))
        let interactions = "ai_interactions t"
        s.append(Spec(metric: "success_rate", subjectKind: "model", scale: .rate, subject: "t.model_name", from: interactions,
                      filter: "t.success IS NOT NULL AND t.model_name IS NOT NULL", value: "sum(t.success::int)::float8", count: "count(*)::float8"))
        for (kind, subject, filter) in [("all", "'all'", "true"), ("model", "t.model_name", "t.model_name IS NOT NULL")] {
            s.append(Spec(metric: "volume", subjectKind: kind, scale: .count, subject: subject, from: interactions, filter: filter,
                          value: "count(*)::float8", count: "count(*)::float8"))
        }
        let generations = "code_generation_events t JOIN ai_sessions s ON s.session_id = t.session_id"
        let feedback = "user_feedback t JOIN ai_sessions s ON s.session_id = t.session_id"
        for (kind, subject, extra) in [("all", "'all'", "true"), ("task_type", "s.task_type", "s.task_type IS NOT NULL")] {
            s.append(Spec(metric: "acceptance_rate", subjectKind: kind, scale: .rate, subject: subject, from: generations,
                          filter: "t.accepted IS NOT NULL AND \(extra)", value: "sum(t.accepted::int)::float8", count: "count(*)::float8"))
            s.append(Spec(metric: "satisfaction", subjectKind: kind, scale: .linear, subject: subject, from: feedback, filter: extra,
                          value: "avg(t.rating)::float8", count: "count(*)::float8"))
        }
        return s
    }()

    /// Every series at `grain`, over the span of all stored interactions and tool calls.
    public static func all(_ connection: Connection, grain: MetricSeries.Grain) throws -> [MetricSeries] {
        let span = try connection.execute("""
            SELECT (extract(epoch FROM date_trunc($1, min(m)))*1000000)::int8, (extract(epoch FROM date_trunc($1, max(x)))*1000000)::int8
              FROM (SELECT min(created_at) AS m, max(created_at) AS x FROM ai_interactions
                    UNION ALL SELECT min(created_at), max(created_at) FROM tool_usage_analytics) q
            """, [.text(grain.rawValue)])
        guard let row = span.first, let first = try row.value(0, as: Int.self), let last = try row.value(1, as: Int.self) else { return [] }
        let step = grain.microseconds
        let count = Int((Int64(last) - Int64(first)) / step) + 1
        guard count >= 1, count <= 1_000_000 else { return [] }
        let times = (0..<count).map { Int64(first) + Int64($0) * step }
        var out: [MetricSeries] = []
        let hourly: Set<String> = ["success_rate", "p95_latency_ms", "volume"]
        let least = Double(grain == .day ? minimumCount : minimumHourlyCount)
        for spec in specs where grain == .day || hourly.contains(spec.metric) {
            let result = try connection.execute("""
                SELECT (extract(epoch FROM date_trunc($1, t.created_at))*1000000)::int8 AS b, \(spec.subject) AS s,
                       \(spec.value) AS v, \(spec.count) AS n
                  FROM \(spec.from) WHERE \(spec.filter) GROUP BY 1, 2 ORDER BY 2, 1
                """, [.text(grain.rawValue)])
            var bySubject: [String: [(Int, Double, Double)]] = [:]
            for r in result {
                guard let b = try r.value(0, as: Int.self), let s = try r.value(1, as: String.self),
                      let v = try r.value(2, as: Double.self), let n = try r.value(3, as: Double.self) else { continue }
                let i = Int((Int64(b) - Int64(first)) / step)
                guard i >= 0, i < count else { continue }
                bySubject[s, default: []].append((i, v, n))
            }
            for (subject, cells) in bySubject.sorted(by: { $0.key < $1.key }) {
                var values = [Double](repeating: spec.scale == .count ? 0 : .nan, count: count)
                var successes = [Double](repeating: 0, count: spec.scale == .rate ? count : 0)
                var trials = [Double](repeating: 0, count: spec.scale == .rate ? count : spec.scale == .count ? 0 : count)
                for (i, v, n) in cells {
                    switch spec.scale {
                    case .rate: successes[i] = v; trials[i] = n; values[i] = n > 0 ? v / n : .nan
                    case .count: values[i] = v
                    case .log: values[i] = n >= least ? v : .nan; trials[i] = n
                    case .linear: values[i] = n >= least ? v : .nan; trials[i] = n
                    }
                }
                out.append(MetricSeries(grain: grain, metric: spec.metric, subjectKind: spec.subjectKind, subject: subject,
                                        scale: spec.scale, times: times, values: values, successes: successes, trials: trials))
            }
        }
        return out
    }
}
