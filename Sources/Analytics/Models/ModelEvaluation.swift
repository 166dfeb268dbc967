import Statistics

/// One bin of the held-out calibration table.
public struct CalibrationRow: Codable, Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let count: Int
    public let meanPredicted: Double?
    public let observedRate: Double?
}

/// How a version did on its held-out (latest) rows, beside a baseline that predicts the training
/// base rate (classifiers) or the training mean (linear models) for every row.
public struct ModelEvaluation: Codable, Sendable, Equatable {
    public let rows: Int
    // classifiers
    public let auc: Double?
    public let logLoss: Double?
    public let brier: Double?
    /// Expected calibration error: Σ (bin rows / rows) · |mean predicted − observed rate| over 10 equal bins.
    public let ece: Double?
    public let calibration: [CalibrationRow]?
    public let baselineRate: Double?
    public let baselineLogLoss: Double?
    public let baselineBrier: Double?
    // linear models
    public let rSquared: Double?
    public let rmse: Double?
    public let mae: Double?
    public let baselineMean: Double?
    public let baselineRSquared: Double?
    public let baselineRMSE: Double?
    public let baselineMAE: Double?

    /// Classifier figures for probabilities `p` of labels `y`, the baseline predicting `rate`.
    public static func classifier(p: [Double], y: [Double], rate: Double) throws -> ModelEvaluation {
        let base = [Double](repeating: rate, count: y.count)
        let bins = try ClassificationMetrics.calibrationTable(probabilities: p, labels: y, bins: 10)
        let ece = bins.reduce(0.0) { $0 + ($1.count == 0 ? 0 : Double($1.count) / Double(y.count) * abs($1.meanPredicted - $1.observedRate)) }
        let both = y.contains(0) && y.contains(1)
        return ModelEvaluation(
            rows: y.count, auc: both ? try ClassificationMetrics.rocAUC(scores: p, labels: y) : nil,
            logLoss: try ClassificationMetrics.logLoss(probabilities: p, labels: y),
            brier: try ClassificationMetrics.brierScore(probabilities: p, labels: y), ece: ece,
            calibration: bins.map { CalibrationRow(lower: $0.lower, upper: $0.upper, count: $0.count,
                                                   meanPredicted: $0.count == 0 ? nil : $0.meanPredicted,
                                                   observedRate: $0.count == 0 ? nil : $0.observedRate) },
            baselineRate: rate, baselineLogLoss: try ClassificationMetrics.logLoss(probabilities: base, labels: y),
            baselineBrier: try ClassificationMetrics.brierScore(probabilities: base, labels: y),
            rSquared: nil, rmse: nil, mae: nil, baselineMean: nil, baselineRSquared: nil, baselineRMSE: nil, baselineMAE: nil)
    }

    /// Linear-model figures for predictions `f` of `y`, the baseline predicting `mean`.
    public static func linear(f: [Double], y: [Double], mean: Double) throws -> ModelEvaluation {
        let base = [Double](repeating: mean, count: y.count)
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        return ModelEvaluation(
            rows: y.count, auc: nil, logLoss: nil, brier: nil, ece: nil, calibration: nil, baselineRate: nil,
            baselineLogLoss: nil, baselineBrier: nil,
            rSquared: finite(try RegressionMetrics.rSquared(observed: y, predicted: f)),
            rmse: try RegressionMetrics.rmse(observed: y, predicted: f), mae: try RegressionMetrics.mae(observed: y, predicted: f),
            baselineMean: mean, baselineRSquared: finite(try RegressionMetrics.rSquared(observed: y, predicted: base)),
            baselineRMSE: try RegressionMetrics.rmse(observed: y, predicted: base),
            baselineMAE: try RegressionMetrics.mae(observed: y, predicted: base))
    }

    /// `(metric_name, value, baseline value)` rows for `model_performance_metrics` and reports.
    public var figures: [(name: String, value: Double, baseline: Double?)] {
        var out: [(String, Double, Double?)] = []
        if let v = auc { out.append(("auc", v, 0.5)) }
        if let v = logLoss { out.append(("log_loss", v, baselineLogLoss)) }
        if let v = brier { out.append(("brier", v, baselineBrier)) }
        if let v = ece { out.append(("ece", v, nil)) }
        if let v = rSquared { out.append(("r_squared", v, baselineRSquared)) }
        if let v = rmse { out.append(("rmse", v, baselineRMSE)) }
        if let v = mae { out.append(("mae", v, baselineMAE)) }
        return out
    }
}
