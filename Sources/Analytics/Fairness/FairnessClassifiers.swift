import Foundation
import Statistics
import Store

/// Where the classifier audited by a fairness report comes from.
public enum FairnessClassifierSource: Sendable, Equatable {
    /// A logistic model fitted here on the earlier part of the data (time split) and scored on
    /// the later part: what the engine's success and acceptance models are today.
    case inProcess
    /// The champion of a registered model (`ail train NAME`), scored on its evaluation window and
    /// later rows (see ``RegistryClassifierAudit``).
    case registry(String)
}

/// A classifier audited for fairness on held-out rows.
public struct ClassifierAudit: Sendable {
    public let name: String
    public let description: String
    public let features: [String]
    public let trainRows: Int
    public let testRows: Int
    /// First time of the held-out part (rows are split by time: the earliest 70% train).
    public let splitAt: String
    public let heldOutAUC: Double
    public let threshold: Double
    public let audit: FairnessAudit
}

/// The engine's two classifiers as fairness reports audit them.
struct FairnessClassifier: Sendable {
    let name: String
    let description: String
    let features: [String]
    let query: @Sendable (FairnessGrouping) -> String

    static let all: [FairnessClassifier] = [
        FairnessClassifier(name: "acceptance", description: "P(code generation accepted)",
                           features: ["generation_type", "language", "size", "task_type"],
                           query: { g in """
                               SELECT \(g.expression) AS grp, COALESCE(s.task_type, '(none)') AS task_type, g.generation_type,
                                      COALESCE(g.language, '(none)') AS language,
                                      CASE WHEN g.lines_generated IS NULL THEN 'unknown' WHEN g.lines_generated <= 10 THEN '1-10'
                                           WHEN g.lines_generated <= 30 THEN '11-30' ELSE '31+' END AS size,
                                      g.accepted::int::float8 AS y, to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
                                 FROM code_generation_events g JOIN ai_sessions s USING (session_id)
                                WHERE g.accepted IS NOT NULL AND s.started_at >= $1
                                ORDER BY g.created_at, g.id
                               """ }),
        FairnessClassifier(name: "success", description: "P(tool call succeeds)",
                           features: ["tool_name", "task_type", "diagnostics", "open_files"],
                           query: { g in """
                               SELECT \(g.expression) AS grp, COALESCE(s.task_type, '(none)') AS task_type, t.tool_name,
                                      EXISTS (SELECT 1 FROM context_awareness_events e WHERE e.session_id = t.session_id AND e.context_type = 'diagnostics')::text AS diagnostics,
                                      EXISTS (SELECT 1 FROM context_awareness_events e WHERE e.session_id = t.session_id AND e.context_type = 'open_files')::text AS open_files,
                                      t.success::int::float8 AS y, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
                                 FROM tool_usage_analytics t JOIN ai_sessions s USING (session_id)
                                WHERE s.started_at >= $1
                                ORDER BY t.created_at, t.id
                               """ }),
    ]

    /// Fits on the earliest `trainFraction` of the rows (the group is not a feature), predicts the
    /// rest, and audits the held-out predictions (`p ≥ threshold`) by group.
    func audit(_ connection: Connection, grouping: FairnessGrouping, since: String, threshold: Double,
               resamples: Int, seed: UInt64, trainFraction: Double = 0.7) throws -> ClassifierAudit {
        if grouping.source == .language, !features.contains("language") {
            throw FairnessReportError("the \(name) classifier has no language (only code generations do)")
        }
        let result = try connection.execute(query(grouping), [.text(since)])
        let index = Dictionary(uniqueKeysWithValues: result.columnNames.enumerated().map { ($1, $0) })
        var groups: [String] = [], y: [Double] = [], times: [String] = []
        var values = [[String]](repeating: [], count: features.count)
        for row in result {
            guard let group = row.text(0), let yText = row.text(index["y"]!), let label = Double(yText) else { continue }
            groups.append(group); y.append(label); times.append(row.text(index["at"]!) ?? "")
            for (k, f) in features.enumerated() { values[k].append(row.text(index[f]!) ?? "(none)") }
        }
        let n = y.count, cut = Int((Double(n) * trainFraction).rounded())
        guard cut >= 50, n - cut >= 20 else {
            throw FairnessReportError("the \(name) classifier needs at least 50 training and 20 held-out rows; the data have \(n)")
        }
        // Dummy coding from the training rows only (rare training levels pooled; a level first
        // seen later falls on the reference).
        var trainColumns: [[Double]] = [], testColumns: [[Double]] = [], names: [String] = []
        for (k, f) in features.enumerated() {
            let pooledTrain = OutcomeDisparity.pooled(Array(values[k][..<cut]))
            let levels = OutcomeDisparity.levels(pooledTrain)
            guard levels.count >= 2 else { continue }
            let known = Set(levels)
            let test = values[k][cut...].map { known.contains($0) ? $0 : (known.contains("(other)") ? "(other)" : levels[0]) }
            let train = OutcomeDisparity.dummies(pooledTrain, levels: levels, prefix: f + "=")
            trainColumns += train.columns
            testColumns += OutcomeDisparity.dummies(Array(test), levels: levels, prefix: f + "=").columns
            names += train.names
        }
        var options = LogisticRegressionOptions()
        options.l2Penalty = 1e-6   // keeps a level that is all-success in the training part finite
        let fit = try LogisticRegression.fit(x: try Matrix(columns: trainColumns), y: Array(y[..<cut]), termNames: names, options: options)
        let beta = fit.coefficients
        let probabilities = (0..<(n - cut)).map { i -> Double in
            var eta = beta[0]
            for j in testColumns.indices { eta += beta[j + 1] * testColumns[j][i] }
            return 1 / (1 + Foundation.exp(-eta))
        }
        let labels = Array(y[cut...])
        let audit = try FairnessAudit.audit(groups: Array(groups[cut...]), labels: labels, predictions: probabilities.map { $0 >= threshold ? 1 : 0 },
                                            scores: probabilities, resamples: resamples, seed: seed)
        let auc = (try? ClassificationMetrics.rocAUC(scores: probabilities, labels: labels)) ?? .nan
        return ClassifierAudit(name: name, description: description, features: features, trainRows: cut, testRows: n - cut,
                               splitAt: times[cut], heldOutAUC: auc, threshold: threshold, audit: audit)
    }
}
