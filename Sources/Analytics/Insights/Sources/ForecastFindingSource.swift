import Foundation
import Statistics
import Store

/// A finding from the satisfaction forecast (``SatisfactionForecast``, ETS chosen by AICc) against
/// the alert minimum for satisfaction (`satisfaction.minimum` of the alert config; 3.5 by default,
/// as in examples/alerts.yaml).
///
/// The hypothesis: "daily mean satisfaction stays at or above the minimum over the horizon". The
/// p-value is the forecast distribution's probability of lying above the minimum at the crossing
/// day — the first day whose 80% interval lies wholly below it — or, when no day crosses, at the
/// day where that probability is smallest (then it is at least 0.1, so the run's single
/// Benjamini–Hochberg family counts the test without flagging it). The distribution is taken as
/// normal with the 80% interval's centre and width (exact for the additive models, whose intervals
/// are analytic and symmetric). Effect: forecast mean minus the minimum at that day, with the 95%
/// interval's bounds minus the minimum; subject `{"forecast": "satisfaction"}`.
///
/// The source refreshes `satisfaction_metrics` from `user_feedback` (idempotent) and forecasts from
/// all ratings; a series shorter than two weeks yields no finding (a note says so).
public struct ForecastFindingSource: FindingSource {
    public let name = "forecast"
    public var minimum: Double
    public var horizon: Int

    public init(minimum: Double = AlertConfig.defaults.satisfaction?.minimum ?? 3.5, horizon: Int = 14) {
        self.minimum = minimum
        self.horizon = horizon
    }

    public func findings(in context: FindingContext) throws -> [Finding] {
        let c = context.connection
        _ = try SatisfactionMetrics.refresh(c)
        let series = try SatisfactionSeries.overall(c, since: nil)
        let forecast: SatisfactionForecast
        do {
            forecast = try SatisfactionForecast.make(series, horizon: horizon)
        } catch let error as NumericsError {
            PatternFindingSource.note("forecast: \(error.message); no forecast finding")
            return []
        }
        guard let day = Self.testedStep(forecast.forecast, minimum: minimum) else { return [] }
        let step = forecast.forecast.steps[day.index]
        let wide = step.intervals.first { abs($0.level - 0.95) < 1e-9 }
        let ratingsPerDay = Double(series.ratings) / Double(max(series.values.count, 1))
        let volume = Int((ratingsPerDay * Double(horizon)).rounded())
        let effect = step.mean - minimum
        return [Finding(
            source: name, kind: "forecast_below_threshold", category: .predictive, subject: ["forecast": "satisfaction"],
            metric: "satisfaction",
            effect: EffectEstimate(estimate: effect, confLow: (wide?.lower ?? step.mean) - minimum, confHigh: (wide?.upper ?? step.mean) - minimum,
                                   scale: "rating points"),
            pValue: day.pAbove, rawEffect: nil, rawPValue: nil, volume: volume,
            impact: Double(volume) * abs(effect) / 4,
            subjectText: "the forecast daily mean satisfaction on \(forecast.forecastDays[day.index]) (\(day.index + 1) days ahead)",
            comparisonText: String(format: "the alert minimum %.2f", minimum),
            actionIfHigher: "Satisfaction is forecast to stay above the alert minimum; no action needed.",
            actionIfLower: String(format: "Satisfaction is forecast to fall below the alert minimum %.2f within %d days; look at what changed in recent sessions before the alert fires.", minimum, day.index + 1),
            method: "\(forecast.fit.spec) chosen by AICc over \(forecast.modelsCompared) models, weekly season; "
                + "p = P(forecast > minimum) at the first day whose 80% interval lies below it (\(forecast.forecast.intervalMethod) intervals, normal approximation)",
            adjustedFor: [],
            numbers: ["forecast_mean": step.mean, "minimum": minimum, "days_ahead": Double(day.index + 1),
                      "history_days": Double(series.values.count), "ratings": Double(series.ratings)]
                .merging(forecast.backtest.map { ["backtest_mase": $0.model.mase, "backtest_coverage_80": $0.model.coverage[0.8] ?? .nan] } ?? [:]) { a, _ in a }
                .filter { $0.value.isFinite })]
    }

    /// The step tested and its P(above the minimum): the first step whose 80% interval lies wholly
    /// below the minimum, else the step where P(above) is smallest. Nil without 80% intervals.
    static func testedStep(_ f: ETSForecast, minimum: Double) -> (index: Int, pAbove: Double)? {
        let z80 = Normal().quantile(0.9)
        let probabilities = f.steps.map { step -> (Double, Bool)? in
            guard let i = step.intervals.first(where: { abs($0.level - 0.8) < 1e-9 }), i.upper.isFinite, i.lower.isFinite else { return nil }
            let centre = (i.upper + i.lower) / 2, sd = (i.upper - i.lower) / (2 * z80)
            let p = sd > 0 ? Normal(mean: centre, standardDeviation: sd).sf(minimum) : (centre > minimum ? 1 : 0)
            return (p, i.upper < minimum)
        }
        guard !probabilities.isEmpty, probabilities.allSatisfy({ $0 != nil }) else { return nil }
        let values = probabilities.map { $0! }
        if let crossing = values.firstIndex(where: { $0.1 }) { return (crossing, values[crossing].0) }
        let smallest = values.indices.min { values[$0].0 < values[$1].0 }!
        return (smallest, values[smallest].0)
    }
}
