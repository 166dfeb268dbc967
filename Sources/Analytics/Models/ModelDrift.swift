import Foundation
import Primitives
import Store

/// How the champion does on the most recent rows, against its own held-out evaluation.
public struct DriftReport: Codable, Sendable, Equatable {
    public let model: String
    public let version: String
    public let windowStart: String
    public let windowEnd: String
    public let rows: Int
    /// Log-loss (classifiers) or RMSE (linear) now, and at training.
    public let metric: String
    public let recent: Double
    public let atTraining: Double
    /// Expected calibration error now and at training (classifiers).
    public let recentECE: Double?
    public let trainingECE: Double?
    /// Whether quality degraded beyond the margin.
    public let degraded: Bool
    public let margin: String
}

/// Drift of a champion: scores the rows after its evaluation window (or, when there are none,
/// its evaluation window again) and compares log-loss/RMSE and ECE with the training evaluation.
/// Degraded: the metric worse by more than `relativeMargin` (10%), or ECE up by more than
/// `eceMargin` (0.05). Written to `model_performance_metrics` as `drift_<metric>` and `drift_ece`.
public struct ModelDrift: Sendable {
    public var relativeMargin = 0.10
    public var eceMargin = 0.05
    public init() {}

    public func check(_ a: ModelArtifact, connection: Connection, write: Bool = true) throws -> DriftReport? {
        let spec = a.spec
        var since = a.window.evaluationEndMicros + 1
        var frame = try PostgresFrame.read(connection, query: ModelTrainer.windowedQuery(a.query, since: since, until: nil), only: spec.columns)
        var table = try FeatureTable(frame: frame, spec: spec)
        var rows = (0..<table.rowCount).filter { table.response[$0] != nil && table.isComplete($0, for: a.encoding) }
        if rows.count < 30 {
            since = a.window.evaluationStartMicros
            frame = try PostgresFrame.read(connection, query: ModelTrainer.windowedQuery(a.query, since: since, until: nil), only: spec.columns)
            table = try FeatureTable(frame: frame, spec: spec)
            rows = (0..<table.rowCount).filter { table.response[$0] != nil && table.isComplete($0, for: a.encoding) }
        }
        guard !rows.isEmpty else { return nil }
        let e = try ModelTrainer.evaluate(a, table: table, rows: rows, trainMean: a.evaluation.baselineRate ?? a.evaluation.baselineMean ?? 0)
        let (name, trained) = a.primaryMetric
        let recent = (a.kind == .logistic ? e.logLoss : e.rmse) ?? .nan
        let end = rows.compactMap { table.times[$0] }.max() ?? since
        var degraded = recent > trained * (1 + relativeMargin)
        if let r = e.ece, let t = a.evaluation.ece, r > t + eceMargin { degraded = true }
        let report = DriftReport(model: a.model, version: a.version, windowStart: TimestampText.format(microseconds: since),
                                 windowEnd: TimestampText.format(microseconds: end), rows: rows.count, metric: name,
                                 recent: recent, atTraining: trained, recentECE: e.ece, trainingECE: a.evaluation.ece, degraded: degraded,
                                 margin: "\(name) worse by more than \(Int(relativeMargin * 100))%" + (a.kind == .logistic ? " or ECE up by more than \(eceMargin)" : ""))
        if write {
            var figures = [("drift_" + name, recent), ("drift_degraded", degraded ? 1.0 : 0.0)]
            if let r = e.ece { figures.append(("drift_ece", r)) }
            try PerformanceMetrics.write(model: a.model, version: a.version, rows: figures.filter { $0.1.isFinite }, sampleSize: rows.count,
                                         windowStart: report.windowStart, windowEnd: report.windowEnd, connection: connection)
        }
        return report
    }
}
