import Foundation
import Primitives
import Statistics
import Store

/// One finding on a database series: the series it belongs to and the finding on the
/// series' own scale (rates, milliseconds, counts, ratings; the log and square-root scales used
/// for testing are transformed back).
public struct SeriesAnomaly: Sendable {
    public var grain: MetricSeries.Grain
    public var metric: String
    public var subjectKind: String
    public var subject: String
    public var startTime: Int64, peakTime: Int64, endTime: Int64
    public var finding: AnomalyFinding
    public var online: Bool
    /// α of the run: the chance of any false alarm over all `seriesTested` series.
    public var falseAlarmRate: Double
    /// Series tested in the run: severity compares adjustedPValue × seriesTested with α.
    public var seriesTested: Int = 1
}

/// Runs the detectors on every daily and hourly series of the database and records the
/// findings in `ai_anomalies`.
public enum DatabaseAnomalyDetection {
    /// Series with fewer finite buckets than this are not tested.
    public static let minimumPoints = 14

    /// Whether a series has enough finite buckets to be tested.
    public static func testable(_ s: MetricSeries) -> Bool { s.values.lazy.filter(\.isFinite).count >= minimumPoints }

    /// The findings of one series, one of `seriesTested` in the run: the detectors run at
    /// α/seriesTested, so α bounds the chance of any false alarm over every bucket of every
    /// series (Bonferroni over series × buckets), not per series.
    public static func detect(_ s: MetricSeries, online: Bool, falseAlarmRate: Double, seriesTested: Int = 1) -> [SeriesAnomaly] {
        guard testable(s) else { return [] }
        let tested: [Double]
        switch s.scale {
        case .rate, .linear: tested = s.values
        case .log: tested = s.values.map { $0 > 0 ? log($0) : .nan }
        case .count: tested = s.values.map { $0 >= 0 ? 2 * ($0 + 0.375).squareRoot() : .nan }
        }
        let period = SeasonalityChoice.choose(tested, candidates: s.grain.candidatePeriods)
        let options = AnomalyDetectorOptions(falseAlarmRate: falseAlarmRate / Double(max(1, seriesTested)), period: period, window: s.grain.window, online: online)
        let findings = s.scale == .rate
            ? AnomalyDetector.detectRates(successes: s.successes, trials: s.trials, options: options)
            : AnomalyDetector.detect(tested, weights: s.scale == .linear || s.scale == .log ? s.trials : nil, options: options)
        return findings.map { f in
            var f = f
            let back: (Double) -> Double
            switch s.scale {
            case .log: back = { exp($0) }
            case .count: back = { y in max(0, y * y / 4 - 0.375) }
            default: back = { $0 }
            }
            f.observed = back(f.observed); f.expected = back(f.expected)
            f.expectedLow = back(f.expectedLow); f.expectedHigh = back(f.expectedHigh)
            return SeriesAnomaly(grain: s.grain, metric: s.metric, subjectKind: s.subjectKind, subject: s.subject,
                                 startTime: s.times[f.start], peakTime: s.times[f.peak], endTime: s.times[f.end],
                                 finding: f, online: online, falseAlarmRate: falseAlarmRate, seriesTested: max(1, seriesTested))
        }
    }

    /// Builds every series at both grains, detects, and records (when `record`) in one
    /// transaction; returns the findings, most severe and earliest first.
    public static func run(_ connection: Connection, online: Bool, falseAlarmRate: Double, record: Bool = true) throws -> (series: Int, anomalies: [SeriesAnomaly]) {
        var found: [SeriesAnomaly] = [], series: [MetricSeries] = []
        for grain in MetricSeries.Grain.allCases { series += try MetricSeriesQuery.all(connection, grain: grain) }
        let seriesCount = series.count
        let tested = series.filter(testable).count
        for s in series { found += detect(s, online: online, falseAlarmRate: falseAlarmRate, seriesTested: tested) }
        found.sort { ($0.finding.severity, -$0.startTime) > ($1.finding.severity, -$1.startTime) }
        if record { try store(found, connection) }
        return (seriesCount, found)
    }

    /// Inserts the findings (a re-run updates the row of the same series, kind, start and detector).
    public static func store(_ anomalies: [SeriesAnomaly], _ connection: Connection) throws {
        let runID = UUID()
        try connection.transaction {
            for a in anomalies {
                let f = a.finding
                func ts(_ t: Int64) -> SQLValue { .text(TimestampText.format(microseconds: t)) }
                _ = try connection.execute("""
                    INSERT INTO ai_anomalies (run_id, grain, metric, subject_kind, subject, kind, start_time, peak_time, end_time, points,
                                              observed, expected, expected_low, expected_high, z, p_value, adjusted_p_value, tests,
                                              severity, detector, mode, false_alarm_rate, series_tested)
                    VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
                    ON CONFLICT (grain, metric, subject_kind, subject, kind, start_time, detector) DO UPDATE SET
                      run_id = EXCLUDED.run_id, detected_at = now(), peak_time = EXCLUDED.peak_time, end_time = EXCLUDED.end_time,
                      points = EXCLUDED.points, observed = EXCLUDED.observed, expected = EXCLUDED.expected,
                      expected_low = EXCLUDED.expected_low, expected_high = EXCLUDED.expected_high, z = EXCLUDED.z,
                      p_value = EXCLUDED.p_value, adjusted_p_value = EXCLUDED.adjusted_p_value, tests = EXCLUDED.tests,
                      severity = EXCLUDED.severity, mode = EXCLUDED.mode, false_alarm_rate = EXCLUDED.false_alarm_rate,
                      series_tested = EXCLUDED.series_tested
                    """, [.uuid(runID), .text(a.grain.rawValue), .text(a.metric), .text(a.subjectKind), .text(a.subject), .text(f.kind.rawValue),
                          ts(a.startTime), ts(a.peakTime), ts(a.endTime), .int(f.points),
                          .double(f.observed), .double(f.expected), .double(f.expectedLow), .double(f.expectedHigh), .double(f.z),
                          .double(f.pValue), .double(f.adjustedPValue), .int(f.tests), .text(f.severity.rawValue), .text(f.detector),
                          .text(a.online ? "online" : "batch"), .double(a.falseAlarmRate), .int(a.seriesTested)])
            }
        }
    }
}
