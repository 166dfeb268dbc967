import Foundation

/// A fitted ETS model: its parameters, initial and final states, fit statistics and forecasts.
public struct ETSFit: Sendable {
    public let spec: ETSSpec
    public let period: Int
    public let parameters: ETSParameters
    public let initialState: ETSState
    public let filter: ETSFilter
    /// How many parameters and initial states were estimated (fixed ones are not counted).
    public let estimatedCount: Int

    public var nobs: Int { filter.fitted.count }
    public var sse: Double { filter.sse }
    /// σ² = Σε²/(n − k) with k the estimated count (as R's `ets`); Σε²/n when n ≤ k.
    public var sigma2: Double {
        let n = nobs, k = estimatedCount
        return filter.innovationSumOfSquares / Double(n > k ? n - k : n)
    }
    public var logLikelihood: Double { filter.logLikelihood }
    /// AIC with k + 1 parameters (σ counted).
    public var aic: Double { -2 * logLikelihood + 2 * Double(estimatedCount + 1) }
    /// AIC corrected for small samples; infinite when n ≤ k + 2.
    public var aicc: Double {
        let k = Double(estimatedCount + 1), n = Double(nobs)
        return n - k - 1 > 0 ? aic + 2 * k * (k + 1) / (n - k - 1) : .infinity
    }
    public var bic: Double { -2 * logLikelihood + Foundation.log(Double(nobs)) * Double(estimatedCount + 1) }

    /// Forecasts `horizon` steps ahead with intervals at each of `levels` (e.g. `[0.8, 0.95]`):
    /// analytic for the linear additive-error models, from `paths` seeded sample paths otherwise.
    public func forecast(horizon: Int, levels: [Double] = [0.8, 0.95], paths: Int = 5000, seed: UInt64 = 1) throws -> ETSForecast {
        guard horizon >= 1 else { throw NumericsError(.badArgument, "horizon must be at least 1; got \(horizon)") }
        guard levels.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw NumericsError(.badArgument, "interval levels must lie strictly between 0 and 100%; got \(levels.map { $0 * 100 })")
        }
        let means = ETSForecast.points(spec, parameters, state: filter.finalState, horizon: horizon)
        if spec.isLinear {
            let variances = ETSForecast.linearVariances(spec, parameters, sigma2: sigma2, period: period, horizon: horizon)
            let steps = (0..<horizon).map { h in
                ETSForecast.Step(horizon: h + 1, mean: means[h], intervals: levels.map { level in
                    let half = Normal.standardQuantile(0.5 + level / 2) * variances[h].squareRoot()
                    return .init(level: level, lower: means[h] - half, upper: means[h] + half)
                })
            }
            return ETSForecast(steps: steps, intervalMethod: "analytic")
        }
        let probabilities = levels.flatMap { [(1 - $0) / 2, (1 + $0) / 2] }
        let quantiles = ETSForecast.simulatedQuantiles(spec, parameters, state: filter.finalState, sigma2: sigma2,
                                                       horizon: horizon, probabilities: probabilities, paths: paths, seed: seed)
        let steps = (0..<horizon).map { h in
            ETSForecast.Step(horizon: h + 1, mean: means[h], intervals: levels.indices.map {
                .init(level: levels[$0], lower: quantiles[h][2 * $0], upper: quantiles[h][2 * $0 + 1])
            })
        }
        return ETSForecast(steps: steps, intervalMethod: "simulated (\(paths) paths)")
    }
}
