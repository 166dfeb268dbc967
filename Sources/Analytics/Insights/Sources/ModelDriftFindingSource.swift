import Foundation
import Primitives
import Statistics
import Store

/// Drift of the registered classifiers as a tested hypothesis: for every logistic champion, the
/// rows after its evaluation window (at least `minimumRows`) are scored and tested for
/// calibration in the large, H₀ "y ~ Bernoulli(p̂) row by row, as at training":
/// z = Σ(y − p̂) / √Σ p̂(1 − p̂), two-sided normal p-value. The effect is the observed rate minus
/// the mean predicted probability, with a 95% interval from the same variance. Spiegelhalter's
/// calibration z (which also catches probabilities that are too extreme in both directions), the
/// recent and training log-loss are given as evidence. Rows are treated as independent (calls of
/// one developer are not, so p-values are somewhat optimistic with few developers).
///
/// Subject `{"model": NAME}`, metric `calibration`, category predictive. Models without rows after
/// their evaluation window, linear models, and a registry without champions yield nothing.
public struct ModelDriftFindingSource: FindingSource {
    public let name = "model_drift"
    public var minimumRows: Int

    public init(minimumRows: Int = 100) { self.minimumRows = minimumRows }

    public func findings(in context: FindingContext) throws -> [Finding] {
        let c = context.connection
        let registry = ModelRegistry(connection: c, directory: nil)
        var out: [Finding] = []
        for summary in try registry.list() where summary.isChampion && summary.kind == ModelKind.logistic.rawValue {
            let a = try registry.artifact(summary.model, version: summary.version)
            let frame = try PostgresFrame.read(c, query: ModelTrainer.windowedQuery(a.query, since: a.window.evaluationEndMicros + 1, until: nil),
                                               only: a.spec.columns)
            let table = try FeatureTable(frame: frame, spec: a.spec)
            let rows = (0..<table.rowCount).filter { table.response[$0] != nil && table.isComplete($0, for: a.encoding) }
            guard rows.count >= minimumRows else { continue }
            let p = a.score(table, rows: rows).map { min(max($0, 1e-12), 1 - 1e-12) }
            let y = rows.map { table.response[$0]! }
            let n = Double(rows.count)
            var residual = 0.0, variance = 0.0, sNumerator = 0.0, sVariance = 0.0, logLoss = 0.0
            for (pi, yi) in zip(p, y) {
                residual += yi - pi
                variance += pi * (1 - pi)
                sNumerator += (yi - pi) * (1 - 2 * pi)
                sVariance += (1 - 2 * pi) * (1 - 2 * pi) * pi * (1 - pi)
                logLoss -= yi * Foundation.log(pi) + (1 - yi) * Foundation.log(1 - pi)
            }
            guard variance > 0 else { continue }
            let z = residual / variance.squareRoot()
            let pValue = 2 * Normal().sf(abs(z))
            let spiegelhalter = sVariance > 0 ? sNumerator / sVariance.squareRoot() : .nan
            let effect = residual / n, se = variance.squareRoot() / n
            let observed = y.reduce(0, +) / n, predicted = p.reduce(0, +) / n
            let times = rows.compactMap { table.times[$0] }
            out.append(Finding(
                source: name, kind: "model_drift", category: .predictive, subject: ["model": a.model], metric: "calibration",
                effect: EffectEstimate(estimate: effect, confLow: effect - 1.959963984540054 * se, confHigh: effect + 1.959963984540054 * se,
                                       scale: "probability"),
                pValue: pValue, rawEffect: nil, rawPValue: nil, volume: rows.count, impact: abs(residual),
                subjectText: "model \(a.model) (champion version \(a.version)) on \(rows.count) rows after its evaluation window",
                comparisonText: "its own predicted probabilities",
                actionIfHigher: "Outcomes are now more frequent than \(a.model) predicts: retrain it (ail train \(a.model)) and check what changed.",
                actionIfLower: "Outcomes are now rarer than \(a.model) predicts: retrain it (ail train \(a.model)) and check what changed.",
                method: "calibration-in-the-large z-test of the champion on rows after \(a.window.evaluationEnd) "
                    + (times.isEmpty ? "" : "(to \(TimestampText.format(microseconds: times.max()!))) ")
                    + "against its predictions",
                adjustedFor: [],
                numbers: ["observed_rate": observed, "mean_predicted": predicted, "z": z, "spiegelhalter_z": spiegelhalter,
                          "recent_log_loss": logLoss / n, "training_log_loss": a.primaryMetric.value, "rows": n]
                    .filter { $0.value.isFinite }))
        }
        return out
    }
}
