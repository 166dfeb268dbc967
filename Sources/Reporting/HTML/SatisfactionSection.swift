import Analytics
import Foundation
import Statistics
import Store

/// The report's satisfaction forecast section: the daily mean rating with the ETS forecast and
/// its 80% and 95% bands (``ForecastChart``), the model chosen by AICc, the backtest (MASE and
/// interval coverage beside seasonal naive) and the alert threshold. Without enough ratings the
/// section says why instead of failing the report.
public enum SatisfactionSection {
    public static let id = "satisfaction-forecast"
    /// Days of history drawn before the forecast.
    static let historyDays = 56

    /// Refreshes `satisfaction_metrics` from `user_feedback` (idempotent; the engine maintains it)
    /// and forecasts `horizon` days from all ratings.
    public static func read(_ connection: Connection, horizon: Int = 14, threshold: Double? = AlertConfig.defaults.satisfaction?.minimum) throws -> ReportSection {
        _ = try SatisfactionMetrics.refresh(connection)
        let series = try SatisfactionSeries.overall(connection, since: nil)
        guard !series.values.isEmpty else {
            return make(.failure(ReportingError("no ratings in user_feedback: there is no satisfaction history to forecast")), threshold: threshold)
        }
        return make(Result { try SatisfactionForecast.make(series, horizon: horizon) }, threshold: threshold)
    }

    /// The section from a forecast, or from the reason there is none.
    public static func make(_ result: Result<SatisfactionForecast, Error>, threshold: Double?) -> ReportSection {
        let title = "Satisfaction forecast"
        let f: SatisfactionForecast
        switch result {
        case .success(let value): f = value
        case .failure(let error):
            return ReportSection(id: id, title: title, intro: "No forecast: \(Self.reason(error)).")
        }
        let history = Array(f.series.values.suffix(historyDays)), days = Array(f.series.days.suffix(historyDays))
        func band(_ level: Double) -> ForecastChart.Band? {
            let intervals = f.forecast.steps.map { $0.intervals.first { abs($0.level - level) < 1e-9 } }
            guard intervals.allSatisfy({ $0 != nil }) else { return nil }
            return .init(level: level, lower: intervals.map { $0!.lower }, upper: intervals.map { $0!.upper })
        }
        let bands = [band(0.95), band(0.8)].compactMap { $0 }
        let chart = ForecastChart(id: "satisfaction-forecast", title: "Mean satisfaction per day and \(f.forecast.steps.count)-day forecast (80% and 95% intervals)",
                                  historyDays: days, history: history, forecastDays: f.forecastDays, forecast: f.forecast.steps.map(\.mean),
                                  bands: bands, threshold: threshold.map { (value: $0, label: String(format: "alert minimum %.2f", $0)) }, unit: "stars").render()
        var figures: [[String]] = [
            ["model (lowest AICc of \(f.modelsCompared))", "\(f.fit.spec), weekly season", ""],
            ["history", "\(f.series.days.first ?? "") to \(f.series.days.last ?? "")", "\(f.series.values.count) days, \(f.series.ratings) ratings, \(f.series.imputedDays) interpolated"],
            ["trend of the history", String(format: "%+.3f stars per 30 days", f.trendPer30Days), "least-squares slope"],
        ]
        if let b = f.backtest {
            func cov(_ a: ForecastAccuracy, _ l: Double) -> String { a.coverage[l].map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
            figures.append(["backtest MASE", String(format: "%.3f", b.model.mase), String(format: "seasonal naive %.3f; %d origins, %d forecasts", b.seasonalNaive.mase, b.origins, b.forecasts)])
            figures.append(["backtest coverage of the 80% interval", cov(b.model, 0.8), "seasonal naive \(cov(b.seasonalNaive, 0.8))"])
            figures.append(["backtest coverage of the 95% interval", cov(b.model, 0.95), "seasonal naive \(cov(b.seasonalNaive, 0.95))"])
        } else {
            figures.append(["backtest", "not run", f.backtestSkipped ?? ""])
        }
        if let threshold {
            let crossing = f.forecast.steps.firstIndex { step in step.intervals.first { abs($0.level - 0.8) < 1e-9 }.map { $0.upper < threshold } ?? false }
            figures.append(["alert minimum \(String(format: "%.2f", threshold))",
                            crossing.map { "80% interval wholly below it from \(f.forecastDays[$0])" } ?? "80% interval not wholly below it", ""])
        }
        let steps = f.forecast.steps.enumerated().map { k, s -> [String] in
            func bounds(_ l: Double) -> String {
                s.intervals.first { abs($0.level - l) < 1e-9 }.map { String(format: "%.2f – %.2f", $0.lower, $0.upper) } ?? "—"
            }
            return [f.forecastDays[k], String(format: "%.2f", s.mean), bounds(0.8), bounds(0.95)]
        }
        return ReportSection(
            id: id, title: title,
            intro: "Daily mean rating from satisfaction_metrics (maintained from user_feedback); exponential smoothing (ETS) chosen by AICc, "
                + "with prediction intervals (\(f.forecast.intervalMethod)). The backtest refits the model at rolling origins and scores the following days.",
            charts: [chart],
            tables: [HTMLTable(columns: ["figure", "value", "note"], rows: figures),
                     HTMLTable(columns: ["day", "forecast", "80% interval", "95% interval"], rows: steps, numeric: [1, 2, 3])])
    }

    /// The reason in words, from a typed error when there is one.
    static func reason(_ error: Error) -> String {
        if let e = error as? NumericsError { return e.message }
        return String(describing: error)
    }
}
