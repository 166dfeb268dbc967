import Foundation
import Primitives
import Statistics

/// A satisfaction forecast with the evidence to judge it: the ETS model chosen by AICc, the
/// forecast with 80% and 95% intervals, a rolling-origin backtest beside the seasonal-naive
/// method, and the series' linear trend.
public struct SatisfactionForecast: Sendable {
    public let series: SatisfactionSeries
    public let fit: ETSFit
    public let modelsCompared: Int
    public let forecast: ETSForecast
    /// Days of the forecast steps.
    public let forecastDays: [String]
    /// The chosen model refitted at each origin (every 7 days, up to 8 origins) and scored
    /// `horizon` days ahead; nil (with `backtestSkipped`) when the series is too short.
    public let backtest: BacktestReport?
    public let backtestSkipped: String?
    /// Least-squares slope of the daily means, per 30 days (a plain description of the history,
    /// not the forecast).
    public let trendPer30Days: Double

    /// Weekly season: satisfaction follows the working week.
    public static let period = 7

    /// Fits and forecasts `horizon` days.
    /// - Throws: ``NumericsError`` when the series is shorter than two weeks.
    public static func make(_ series: SatisfactionSeries, horizon: Int, levels: [Double] = [0.8, 0.95]) throws -> SatisfactionForecast {
        let y = series.values, n = y.count
        guard n >= 2 * period else {
            throw NumericsError(.invalidData, "a satisfaction forecast needs at least \(2 * period) days with ratings\(series.segment.map { " (segment \($0))" } ?? ""); there are \(n)")
        }
        let fits = try ETS.select(y, period: period)
        let fit = fits[0]
        let forecast = try fit.forecast(horizon: horizon, levels: levels)
        let step = 7, initial = max(4 * period, n - horizon - 7 * step)
        var backtest: BacktestReport?, skipped: String?
        if initial + horizon <= n {
            backtest = try? Backtest.rollingOrigin(y, period: period, horizon: horizon, initialTrain: initial, step: step, levels: levels) {
                try ETS.fit($0, spec: fit.spec, period: period)
            }
            if backtest == nil { skipped = "the backtest could not refit \(fit.spec) at every origin" }
        } else {
            skipped = "a backtest needs \(4 * period + horizon) days (4 weeks of training and the horizon); there are \(n)"
        }
        let xs = (0..<n).map(Double.init), xbar = xs.reduce(0, +) / Double(n), ybar = y.reduce(0, +) / Double(n)
        let slope = zip(xs, y).reduce(0) { $0 + ($1.0 - xbar) * ($1.1 - ybar) } / xs.reduce(0) { $0 + ($1 - xbar) * ($1 - xbar) }
        let last = series.days.last.flatMap { SatisfactionForecast.dayNumber($0) } ?? 0
        return SatisfactionForecast(series: series, fit: fit, modelsCompared: fits.count, forecast: forecast,
                                    forecastDays: (1...horizon).map { SatisfactionForecast.dayText(last + Int64($0)) },
                                    backtest: backtest, backtestSkipped: skipped, trendPer30Days: slope * 30)
    }

    static func dayNumber(_ text: String) -> Int64? {
        let parts = text.split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 3 else { return nil }
        return CivilDate.days(year: parts[0], month: parts[1], day: parts[2])
    }

    static func dayText(_ days: Int64) -> String {
        let d = CivilDate.date(days: days)
        return String(format: "%04d-%02d-%02d", Int(d.year), Int(d.month), Int(d.day))
    }
}
