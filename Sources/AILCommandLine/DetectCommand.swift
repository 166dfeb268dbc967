import ArgumentParser
import Foundation
import Primitives
import Statistics

/// `ail detect …`: anomaly and change-point detection.
public struct Detect: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find anomalies and level shifts in time series (a CSV file or the database).",
        subcommands: [DetectAnomalies.self]
    )
    public init() {}
}

/// `ail detect anomalies`: robust seasonal z-scores and binary segmentation on one series from
/// a CSV file, or on the stored events' daily and hourly series (without `--data`).
struct DetectAnomalies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: "Point anomalies and level shifts, each with expected and observed values, an interval, a p-value and a severity.",
        discussion: """
        Baseline: a robust trend (running median over one period, or over one day of rows when \
        there is no season) plus a robust seasonal profile (median of each phase); noise \
        σ = 1.4826·MAD of the remainder. A point is flagged when its two-sided tail p (Student's t \
        with the MAD's 0.3675·(k − 1) degrees of freedom, σ being estimated from k residuals) \
        satisfies p·m ≤ α (Bonferroni over the m points tested, α = --false-alarm-rate, default \
        0.01: the chance of any false alarm in a series without anomalies; on the database, in \
        the whole run: each of the S series tested is judged at α/S). Severity from the \
        adjusted p = min(1, p·m): high ≤ α/100, medium ≤ α/10, low ≤ α. Flags less than one \
        window apart are one finding (onset, peak, end). Level shifts: binary segmentation of \
        the deseasonalised series with the BIC penalty 2·ln(n), σ the long-run standard \
        deviation of the remainder, each shift kept when its Bonferroni-adjusted two-sample p \
        (Student's t) ≤ α. On the database, daily mean ratings and p95 latencies are weighted by \
        the number of values behind them.

        Looking ahead: the default batch mode LOOKS AHEAD (the centred running median uses half \
        a window of later rows, the seasonal profile and σ use the whole series, and a level \
        shift is judged on both sides). --online is causal: the expectation of each row uses \
        only earlier rows (the same phase in the last four cycles, the median level of the last \
        window, σ from the last eight windows of errors); level shifts then show as the onset of \
        a run of point anomalies.

        --time takes RFC 3339 (2026-03-01T14:00:00Z) or local timestamps read as UTC \
        (2013-12-02 21:15:00); rows are sorted by time and treated as consecutive observations. \
        An empty --value cell is missing (skipped). --period auto (default) tries one day and \
        one week of rows at the median spacing and keeps the stronger season when its strength \
        is at least 0.3; --period 1 turns the season off.

        Examples:
          ail detect anomalies --data nyc_taxi.csv --time timestamp --value value
          ail detect anomalies --data latency.csv --time hour --value p95_ms --period 24 --online --format json
        """
    )

    @Option(help: "CSV file with a header row (omit to run on the database's series).") var data: String?
    @Option(help: "Column of times: RFC 3339 or 2013-12-02 21:15:00 (UTC).") var time: String = "timestamp"
    @Option(help: "Column of values.") var value: String = "value"
    @Option(help: ArgumentHelp("Seasonal period in rows, or auto.", valueName: "P|auto")) var period: String = "auto"
    @Option(help: ArgumentHelp("Running-median window in rows when there is no season (default: one day of rows).", valueName: "W"))
    var window: Int?
    @Option(help: ArgumentHelp("α: chance of any false alarm in a series (on the database: in the whole run) without anomalies.", valueName: "A"))
    var falseAlarmRate: Double = 0.01
    @Flag(help: "Causal mode: each row is judged on earlier rows only (no look-ahead).") var online = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard period == "auto" || (Int(period).map { $0 >= 1 } ?? false) else {
            throw ValidationError("--period must be a whole number of rows (1 for no season) or auto; got '\(period)'")
        }
        if let window, window < 3 || window > 1_000_000 { throw ValidationError("--window must be between 3 and 1000000; got \(window)") }
        guard falseAlarmRate > 0, falseAlarmRate < 1 else {
            throw ValidationError("--false-alarm-rate must be strictly between 0 and 1; got \(falseAlarmRate)")
        }
    }

    func run() throws {
        if let data {
            let report = try fileReport(path: data)
            if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
        } else {
            let report = try DatabaseAnomalies.run(database: database, online: online, falseAlarmRate: falseAlarmRate)
            if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
        }
    }

    func fileReport(path: String) throws -> AnomalyFileReport {
        let series = try TimeSeriesCSV.read(path: path, time: time, value: value)
        let p: Int
        if let fixed = Int(period) {
            guard fixed <= max(1, series.values.count / 2) else {
                throw InputError("--period \(fixed) needs at least two cycles; \(path) has \(series.values.count) rows")
            }
            p = fixed
        } else {
            p = SeasonalityChoice.choose(series.values, candidates: series.calendarPeriods)
        }
        let options = AnomalyDetectorOptions(falseAlarmRate: falseAlarmRate, period: p, window: window ?? series.defaultWindow, online: online)
        let findings = AnomalyDetector.detect(series.values, options: options)
        return AnomalyFileReport(series: series, options: options, metric: value, findings: findings)
    }
}
