import Foundation
import Primitives
import Statistics
import Analytics

/// One anomaly as printed and stored: the finding with its times, metric and subject.
struct AnomalyRow: Encodable {
    var time: String
    var peakTime: String
    var endTime: String
    var metric: String
    var subject: String?
    var kind: String
    var observed: Double
    var expected: Double
    var expectedLow: Double
    var expectedHigh: Double
    var z: Double
    var pValue: Double
    var adjustedPValue: Double
    var tests: Int
    var points: Int
    var severity: String
    var detector: String

    enum CodingKeys: String, CodingKey {
        case time, metric, subject, kind, observed, expected, z, tests, points, severity, detector
        case peakTime = "peak_time", endTime = "end_time", expectedLow = "expected_low", expectedHigh = "expected_high"
        case pValue = "p_value", adjustedPValue = "adjusted_p_value"
    }

    init(_ f: AnomalyFinding, times: [Int64], metric: String, subject: String?) {
        func text(_ i: Int) -> String { TimestampText.format(microseconds: times[i]) }
        time = text(f.start); peakTime = text(f.peak); endTime = text(f.end)
        self.metric = metric; self.subject = subject
        kind = f.kind.rawValue
        observed = f.observed; expected = f.expected; expectedLow = f.expectedLow; expectedHigh = f.expectedHigh
        z = f.z; pValue = f.pValue; adjustedPValue = f.adjustedPValue; tests = f.tests; points = f.points
        severity = f.severity.rawValue; detector = f.detector
    }

    /// One line of text output.
    var line: String {
        let who = metric + (subject.map { " " + $0 } ?? "")
        let stats = String(format: "z %.2f  p %.3g (adjusted %.3g)", z, pValue, adjustedPValue)
        return "\(time)  \(severity.padding(toLength: 6, withPad: " ", startingAt: 0)) \(kind.padding(toLength: 11, withPad: " ", startingAt: 0)) \(who)  observed \(AnomalyRow.number(observed))  expected \(AnomalyRow.number(expected)) [\(AnomalyRow.number(expectedLow)), \(AnomalyRow.number(expectedHigh))]  \(stats)  \(detector)"
    }

    static func number(_ x: Double) -> String { String(format: "%.4g", x) }
}

/// `ail detect anomalies --data`: the series, the settings and the findings.
struct AnomalyFileReport: Encodable {
    var rows: Int
    var missing: Int
    var repeatedTimes: Int
    var period: Int
    var window: Int
    var mode: String
    var looksAhead: Bool
    var falseAlarmRate: Double
    var anomalies: [AnomalyRow]

    enum CodingKeys: String, CodingKey {
        case rows, missing, period, window, mode, anomalies
        case looksAhead = "looks_ahead", falseAlarmRate = "false_alarm_rate", repeatedTimes = "repeated_times"
    }

    init(series: TimeSeries, options: AnomalyDetectorOptions, metric: String, findings: [AnomalyFinding]) {
        rows = series.values.count
        missing = series.missing
        repeatedTimes = series.repeatedTimes
        period = options.period
        window = options.period >= 2 ? options.period : options.window
        mode = options.online ? "online" : "batch"
        looksAhead = !options.online
        falseAlarmRate = options.falseAlarmRate
        anomalies = findings.map { AnomalyRow($0, times: series.times, metric: metric, subject: nil) }
    }

    var text: String {
        var lines = ["\(rows) rows (\(missing) missing, \(repeatedTimes) with a repeated time), period \(period == 1 ? "none" : String(period)), window \(window), \(mode) mode (\(looksAhead ? "looks ahead" : "causal")), false-alarm rate \(falseAlarmRate)"]
        lines.append(anomalies.isEmpty ? "no anomalies" : "\(anomalies.count) anomal\(anomalies.count == 1 ? "y" : "ies"):")
        lines += anomalies.map { "  " + $0.line }
        return lines.joined(separator: "\n")
    }
}

extension AnomalyRow {
    init(_ a: SeriesAnomaly) {
        var f = a.finding
        f.start = 0; f.peak = 1; f.end = 2
        self.init(f, times: [a.startTime, a.peakTime, a.endTime], metric: a.metric, subject: "\(a.subjectKind)=\(a.subject)")
    }
}

/// `ail detect anomalies` on the database: how many series were tested and what was found.
struct DatabaseAnomalyReport: Encodable {
    var series: Int
    var mode: String
    var looksAhead: Bool
    var falseAlarmRate: Double
    var recorded: Bool
    var anomalies: [DatabaseAnomalyRow]

    struct DatabaseAnomalyRow: Encodable {
        var grain: String
        var anomaly: AnomalyRow
        func encode(to encoder: Encoder) throws {
            try anomaly.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(grain, forKey: .grain)
        }
        enum Key: String, CodingKey { case grain }
    }

    enum CodingKeys: String, CodingKey {
        case series, mode, recorded, anomalies
        case looksAhead = "looks_ahead", falseAlarmRate = "false_alarm_rate"
    }

    var text: String {
        var lines = ["\(series) series (daily and hourly), \(mode) mode (\(looksAhead ? "looks ahead" : "causal")), false-alarm rate \(falseAlarmRate) over all series\(recorded ? ", recorded in ai_anomalies" : "")"]
        lines.append(anomalies.isEmpty ? "no anomalies" : "\(anomalies.count) anomal\(anomalies.count == 1 ? "y" : "ies") (most severe first):")
        lines += anomalies.prefix(40).map { "  \($0.grain.padding(toLength: 4, withPad: " ", startingAt: 0)) " + $0.anomaly.line }
        if anomalies.count > 40 { lines.append("  … \(anomalies.count - 40) more (--format json lists all)") }
        return lines.joined(separator: "\n")
    }
}

/// Runs the database mode of `ail detect anomalies`.
enum DatabaseAnomalies {
    static func run(database: DatabaseOptions, online: Bool, falseAlarmRate: Double) throws -> DatabaseAnomalyReport {
        let connection = try database.connect()
        let (series, found) = try DatabaseAnomalyDetection.run(connection, online: online, falseAlarmRate: falseAlarmRate)
        return DatabaseAnomalyReport(series: series, mode: online ? "online" : "batch", looksAhead: !online, falseAlarmRate: falseAlarmRate,
                                     recorded: true, anomalies: found.map { .init(grain: $0.grain.rawValue, anomaly: AnomalyRow($0)) })
    }
}
