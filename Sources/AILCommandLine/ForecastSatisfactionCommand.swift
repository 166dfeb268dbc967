import Analytics
import ArgumentParser
import Foundation
import Primitives
import Statistics

/// `ail forecast satisfaction`: daily developer satisfaction forecast from the database.
struct ForecastSatisfaction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "satisfaction",
        abstract: "Forecast daily developer satisfaction (mean rating) with intervals and a backtest.",
        discussion: """
        First refreshes satisfaction_metrics from user_feedback (idempotent: a day's row changes \
        only when its values do; --refresh-only stops there, for a scheduled job). Then fits every \
        ETS model the series allows with a weekly season (period 7), keeps the lowest AICc, and \
        forecasts --days ahead with 80% and 95% prediction intervals. Days without ratings inside \
        the range are interpolated (counted in the output). The backtest refits the chosen model \
        every 7 days over the last weeks and scores the next --days: MAE, MASE and the empirical \
        coverage of the 80% and 95% intervals, beside the seasonal-naive method. --segment \
        forecasts each of the 6 largest segments: task_type, tool (a rating counts for every tool \
        its session used) or a session tag/context key such as team or cohort.

        Examples:
          ail forecast satisfaction --days 14
          ail forecast satisfaction --days 14 --segment task_type --format json
          ail jobs add satisfaction-refresh --schedule "30 2 * * *" -- forecast satisfaction --refresh-only
        """
    )

    @Option(help: "Days to forecast.") var days: Int = 14
    @Option(help: "Forecast per segment: task_type, tool, or a session tag or context key (team, cohort, …).") var segment: String?
    @Option(help: ArgumentHelp("Use ratings from this UTC day on.", valueName: "YYYY-MM-DD")) var since: String?
    @Flag(help: "Only refresh satisfaction_metrics from user_feedback, then stop.") var refreshOnly = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard days >= 1, days <= 366 else { throw ValidationError("--days must be between 1 and 366; got \(days)") }
        if let since, since.count != 10 || TimestampText.seconds(rfc3339: since + "T00:00:00Z") == nil {
            throw ValidationError("--since must be a date YYYY-MM-DD; got '\(since)'")
        }
    }

    func run() throws {
        let report = try makeReport()
        if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
    }

    func makeReport() throws -> SatisfactionForecastReport {
        let connection = try database.connect()
        let refresh = try SatisfactionMetrics.refresh(connection)
        guard !refreshOnly else { return SatisfactionForecastReport(refresh: refresh, forecasts: []) }
        do {
            let series = try segment.map { try SatisfactionSeries.segments(connection, by: $0, since: since) }
                ?? [try SatisfactionSeries.overall(connection, since: since)]
            guard !series.isEmpty else { throw InputError("no ratings in user_feedback\(since.map { " since \($0)" } ?? ""): nothing to forecast") }
            let forecasts = series.map { s in Result { try SatisfactionForecast.make(s, horizon: days) } }
            if segment == nil, case .failure(let error) = forecasts[0] { throw error }
            return SatisfactionForecastReport(refresh: refresh, forecasts: zip(series, forecasts).map { ($0, $1) })
        } catch let error as FairnessReportError {
            throw InputError(error.description)
        }
    }
}
