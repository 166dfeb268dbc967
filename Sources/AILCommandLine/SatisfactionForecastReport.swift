import Analytics
import Foundation
import Statistics

/// What `ail forecast satisfaction` prints.
struct SatisfactionForecastReport: Encodable {
    struct Refresh: Encodable {
        var days: Int, changed: Int, removed: Int
    }
    struct Accuracy: Encodable {
        var mae: Double? = nil
        var mase: Double? = nil
        var coverage80: Double? = nil
        var coverage95: Double? = nil
        enum CodingKeys: String, CodingKey { case mae, mase, coverage80 = "coverage_80", coverage95 = "coverage_95" }
        init(_ a: ForecastAccuracy) {
            mae = finite(a.mae); mase = finite(a.mase)
            coverage80 = a.coverage[0.8].flatMap(finite); coverage95 = a.coverage[0.95].flatMap(finite)
        }
    }
    struct Backtest: Encodable {
        var origins: Int, forecasts: Int, horizon: Int
        var model: Accuracy, seasonalNaive: Accuracy
        enum CodingKeys: String, CodingKey { case origins, forecasts, horizon, model, seasonalNaive = "seasonal_naive" }
    }
    struct Row: Encodable {
        var day: String, mean: Double
        var lo80: Double, hi80: Double, lo95: Double, hi95: Double
        enum CodingKeys: String, CodingKey { case day, mean, lo80 = "lo_80", hi80 = "hi_80", lo95 = "lo_95", hi95 = "hi_95" }
    }
    struct Forecast: Encodable {
        var segment: String?
        var firstDay: String? = nil
        var lastDay: String? = nil
        var days: Int
        var ratings: Int
        var imputedDays: Int
        var trendPer30Days: Double?
        var model: String? = nil
        var parameters: [String: Double]? = nil
        var aicc: Double? = nil
        var modelsCompared: Int? = nil
        var intervalMethod: String? = nil
        var forecast: [Row]?
        var backtest: Backtest?
        var backtestSkipped: String?
        var skipped: String?
        enum CodingKeys: String, CodingKey {
            case segment, days, ratings, model, parameters, aicc, forecast, backtest, skipped
            case firstDay = "first_day", lastDay = "last_day", imputedDays = "imputed_days", trendPer30Days = "trend_per_30_days"
            case modelsCompared = "models_compared", intervalMethod = "interval_method", backtestSkipped = "backtest_skipped"
        }
    }

    var refresh: Refresh
    var forecasts: [Forecast]

    init(refresh r: SatisfactionMetrics.RefreshSummary, forecasts items: [(SatisfactionSeries, Result<SatisfactionForecast, Error>)]) {
        refresh = Refresh(days: r.days, changed: r.changed, removed: r.removed)
        forecasts = items.map { series, result in
            var out = Forecast(segment: series.segment, firstDay: series.days.first, lastDay: series.days.last, days: series.days.count,
                               ratings: series.ratings, imputedDays: series.imputedDays)
            switch result {
            case .failure(let error):
                out.skipped = "\(error)"
            case .success(let f):
                let spec = f.fit.spec, p = f.fit.parameters
                var parameters = ["alpha": p.alpha]
                if spec.trend != .none { parameters["beta"] = p.beta }
                if spec.season != .none { parameters["gamma"] = p.gamma }
                if spec.trend == .damped { parameters["phi"] = p.phi }
                out.trendPer30Days = finite(f.trendPer30Days)
                out.model = spec.description
                out.parameters = parameters
                out.aicc = finite(f.fit.aicc)
                out.modelsCompared = f.modelsCompared
                out.intervalMethod = f.forecast.intervalMethod
                out.forecast = zip(f.forecastDays, f.forecast.steps).map { day, step in
                    let i80 = step.intervals.first { $0.level == 0.8 }, i95 = step.intervals.first { $0.level == 0.95 }
                    return Row(day: day, mean: step.mean, lo80: i80?.lower ?? .nan, hi80: i80?.upper ?? .nan,
                               lo95: i95?.lower ?? .nan, hi95: i95?.upper ?? .nan)
                }
                out.backtest = f.backtest.map {
                    Backtest(origins: $0.origins, forecasts: $0.forecasts, horizon: f.forecast.steps.count,
                             model: Accuracy($0.model), seasonalNaive: Accuracy($0.seasonalNaive))
                }
                out.backtestSkipped = f.backtestSkipped
            }
            return out
        }
    }

    var text: String {
        var lines = ["satisfaction_metrics refreshed: \(refresh.days) days, \(refresh.changed) rows written, \(refresh.removed) removed"]
        for f in forecasts {
            lines.append("")
            let title = f.segment.map { "segment \($0)" } ?? "all developers"
            lines.append("\(title): \(f.days) days \(f.firstDay ?? "") to \(f.lastDay ?? ""), \(f.ratings) ratings, \(f.imputedDays) days interpolated")
            guard let model = f.model, let rows = f.forecast else { lines.append("  skipped: \(f.skipped ?? "")"); continue }
            let params = (f.parameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: "  ")
            lines.append("  \(model) (lowest AICc of \(f.modelsCompared ?? 0)): \(params); history trend \(short(f.trendPer30Days)) per 30 days")
            if let b = f.backtest {
                lines.append("  backtest (\(b.origins) origins x \(b.horizon) days): MAE \(short(b.model.mae)) vs seasonal naive \(short(b.seasonalNaive.mae)); "
                             + "MASE \(short(b.model.mase)) vs \(short(b.seasonalNaive.mase)); coverage 80% \(short(b.model.coverage80)) vs \(short(b.seasonalNaive.coverage80)), "
                             + "95% \(short(b.model.coverage95)) vs \(short(b.seasonalNaive.coverage95))")
            } else {
                lines.append("  backtest skipped: \(f.backtestSkipped ?? "")")
            }
            lines.append("  " + ["day".padded(11), "mean".rightAligned(7), "lo 80".rightAligned(7), "hi 80".rightAligned(7), "lo 95".rightAligned(7), "hi 95".rightAligned(7)].joined(separator: " "))
            for r in rows {
                lines.append("  " + [r.day.padded(11)] .joined() + " " + [r.mean, r.lo80, r.hi80, r.lo95, r.hi95].map { String(format: "%.3f", $0).rightAligned(7) }.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
