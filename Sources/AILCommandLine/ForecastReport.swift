import Foundation
import Statistics

/// What `ail forecast` prints: the model, its parameters and fit, and the forecast table.
struct ForecastReport: Encodable {
    struct Parameters: Encodable {
        var alpha: Double
        var beta: Double?
        var gamma: Double?
        var phi: Double?
    }
    struct State: Encodable {
        var level: Double
        var trend: Double?
        var seasonal: [Double]?
    }
    struct Interval: Encodable {
        var level: Double
        var lower: Double
        var upper: Double
    }
    struct Row: Encodable {
        var time: String
        var horizon: Int
        var mean: Double
        var intervals: [Interval]
    }

    var model: String
    var code: String
    var period: Int
    var parameters: Parameters
    var initialState: State
    var finalState: State
    var nobs: Int
    var estimated: Int
    var sse: Double
    var sigma2: Double
    var logLikelihood: Double
    var aic: Double
    var aicc: Double
    var bic: Double
    var modelsCompared: Int
    var intervalMethod: String
    var forecast: [Row]

    enum CodingKeys: String, CodingKey {
        case model, code, period, parameters, nobs, estimated, sse, sigma2, aic, aicc, bic, forecast
        case initialState = "initial_state", finalState = "final_state", logLikelihood = "log_likelihood"
        case modelsCompared = "models_compared", intervalMethod = "interval_method"
    }

    init(fit: ETSFit, forecast: ETSForecast, series: ForecastSeries, candidates: Int) {
        let spec = fit.spec, p = fit.parameters
        func state(_ s: ETSState) -> State {
            State(level: s.level, trend: spec.trend == .none ? nil : s.trend, seasonal: spec.season == .none ? nil : s.seasonal)
        }
        model = spec.description
        code = spec.code
        period = fit.period
        parameters = Parameters(alpha: p.alpha, beta: spec.trend == .none ? nil : p.beta,
                                gamma: spec.season == .none ? nil : p.gamma, phi: spec.trend == .damped ? p.phi : nil)
        initialState = state(fit.initialState)
        finalState = state(fit.filter.finalState)
        nobs = fit.nobs
        estimated = fit.estimatedCount
        sse = fit.sse
        sigma2 = fit.sigma2
        logLikelihood = fit.logLikelihood
        aic = fit.aic
        aicc = fit.aicc
        bic = fit.bic
        modelsCompared = candidates
        intervalMethod = forecast.intervalMethod
        let times = series.futureTimes(forecast.steps.count)
        self.forecast = forecast.steps.map { step in
            Row(time: times[step.horizon - 1], horizon: step.horizon, mean: step.mean,
                intervals: step.intervals.map { Interval(level: $0.level * 100, lower: $0.lower, upper: $0.upper) })
        }
    }

    /// The report as a human reads it.
    var text: String {
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        var lines = ["\(model)  period \(period), \(nobs) observations" + (modelsCompared > 1 ? ", lowest AICc of \(modelsCompared) models" : "")]
        var params = ["alpha \(g(parameters.alpha))"]
        if let beta = parameters.beta { params.append("beta \(g(beta))") }
        if let gamma = parameters.gamma { params.append("gamma \(g(gamma))") }
        if let phi = parameters.phi { params.append("phi \(g(phi))") }
        lines.append("  " + params.joined(separator: "  ") + "  (\(estimated) parameters and states estimated)")
        lines.append("  AICc \(g(aicc))  AIC \(g(aic))  BIC \(g(bic))  log-likelihood \(g(logLikelihood))  SSE \(g(sse))  sigma^2 \(g(sigma2))")
        lines.append("  intervals: \(intervalMethod)")
        lines.append("")
        let levels = forecast.first?.intervals.map { String(format: "%g", $0.level) } ?? []
        let header = ["time".padding(toLength: 20, withPad: " ", startingAt: 0), "h".leftPad(4), "mean".leftPad(12)]
            + levels.flatMap { ["lo \($0)".leftPad(12), "hi \($0)".leftPad(12)] }
        lines.append(header.joined(separator: " "))
        for row in forecast {
            let cells = [row.time.padding(toLength: 20, withPad: " ", startingAt: 0), String(row.horizon).leftPad(4), g(row.mean).leftPad(12)]
                + row.intervals.flatMap { [g($0.lower).leftPad(12), g($0.upper).leftPad(12)] }
            lines.append(cells.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
