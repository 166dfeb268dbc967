import Foundation

/// Accuracy of one forecasting method over a backtest: MAE, MASE and the empirical coverage of
/// its prediction intervals, as R's `accuracy()` names them.
public struct ForecastAccuracy: Sendable {
    public let mae: Double
    /// Mean of |error| / (in-sample mean |y_t − y_{t−m}| of the training data at that origin).
    public let mase: Double
    /// Share of actual values inside the interval, per nominal level.
    public let coverage: [Double: Double]
}

/// A rolling-origin evaluation of a model beside the seasonal-naive baseline.
public struct BacktestReport: Sendable {
    public let origins: Int
    /// Forecast–actual pairs scored (origins × steps).
    public let forecasts: Int
    public let model: ForecastAccuracy
    public let seasonalNaive: ForecastAccuracy
}

/// Rolling-origin backtests (Tashman 2000): refit at each origin, forecast ahead, score on what
/// followed.
public enum Backtest {
    /// Fits `fitModel` to `y[0..<t]` for `t = initialTrain, initialTrain + step, …` while a full
    /// `horizon` lies ahead, and scores its forecasts and intervals at `levels` against the actual
    /// values, beside the seasonal-naive method (`ŷ_{t+h} = y_{t+h−m(k+1)}`, interval sd
    /// `σ̂·√(k+1)` with σ̂ the RMS of the training seasonal differences, k = ⌊(h−1)/m⌋).
    public static func rollingOrigin(_ y: [Double], period: Int, horizon: Int, initialTrain: Int, step: Int = 1,
                                     levels: [Double] = [0.8, 0.95], fitModel: ([Double]) throws -> ETSFit) throws -> BacktestReport {
        let m = max(period, 1)
        guard horizon >= 1, step >= 1 else { throw NumericsError(.badArgument, "backtest horizon and step must be at least 1") }
        guard initialTrain > m, initialTrain + horizon <= y.count else {
            throw NumericsError(.invalidData, "a backtest needs more than one season (\(m)) of training data and a full horizon (\(horizon)) after it; the series has \(y.count) observations for a first training window of \(initialTrain)")
        }
        var model = Tally(levels: levels), naive = Tally(levels: levels)
        var origins = 0
        for t in stride(from: initialTrain, through: y.count - horizon, by: step) {
            let train = Array(y[0..<t])
            let scale = (m..<t).map { abs(train[$0] - train[$0 - m]) }.reduce(0, +) / Double(t - m)
            guard scale > 0 else { throw NumericsError(.invalidData, "the training data up to \(t) do not change season to season: MASE is undefined") }
            let forecast = try fitModel(train).forecast(horizon: horizon, levels: levels)
            let sigma = ((m..<t).map { pow(train[$0] - train[$0 - m], 2) }.reduce(0, +) / Double(t - m)).squareRoot()
            for h in 1...horizon {
                let actual = y[t + h - 1], k = (h - 1) / m
                let stepForecast = forecast.steps[h - 1]
                model.add(actual: actual, mean: stepForecast.mean, scale: scale, intervals: stepForecast.intervals.map { ($0.lower, $0.upper) })
                let point = train[t + h - 1 - m * (k + 1)], sd = sigma * Double(k + 1).squareRoot()
                naive.add(actual: actual, mean: point, scale: scale, intervals: levels.map { level in
                    let half = Normal.standardQuantile(0.5 + level / 2) * sd
                    return (point - half, point + half)
                })
            }
            origins += 1
        }
        return BacktestReport(origins: origins, forecasts: model.count, model: model.accuracy, seasonalNaive: naive.accuracy)
    }

    private struct Tally {
        let levels: [Double]
        var count = 0, absolute = 0.0, scaled = 0.0
        var covered: [Int]
        init(levels: [Double]) {
            self.levels = levels
            covered = levels.map { _ in 0 }
        }
        mutating func add(actual: Double, mean: Double, scale: Double, intervals: [(Double, Double)]) {
            count += 1
            absolute += abs(actual - mean)
            scaled += abs(actual - mean) / scale
            for (i, (lower, upper)) in intervals.enumerated() where actual >= lower && actual <= upper { covered[i] += 1 }
        }
        var accuracy: ForecastAccuracy {
            let n = Double(count)
            return ForecastAccuracy(mae: absolute / n, mase: scaled / n,
                                    coverage: Dictionary(uniqueKeysWithValues: zip(levels, covered.map { Double($0) / n })))
        }
    }
}
