import Foundation
import Statistics
import Store

/// A registered classifier audited for fairness: the champion of a model in the registry
/// (`ail train`), scored on the rows it was not fitted on — its evaluation window and everything
/// after — and audited by group (``FairnessAudit``). Rows take their group from their session.
enum RegistryClassifierAudit {
    /// Models with a fairness audit by their short names (`acceptance` is `code_acceptance`).
    static let aliases = ["acceptance": "code_acceptance"]

    static func audit(_ connection: Connection, model requested: String, grouping: FairnessGrouping, since: String,
                      threshold: Double, resamples: Int, seed: UInt64) throws -> ClassifierAudit {
        let name = aliases[requested] ?? requested
        guard grouping.source != .language else {
            throw FairnessReportError("--model \(requested): a registered model is audited by session groups; language is a property of code generations (use --group task_type, a tag or a context key)")
        }
        let a: ModelArtifact
        do {
            _ = try ModelCatalog.spec(named: name)
            guard let champion = try ModelRegistry(connection: connection, directory: nil).champion(name) else {
                throw FairnessReportError("--model \(requested): model '\(name)' has no champion in the registry; train it first (ail train \(name))")
            }
            a = champion
        } catch let error as ModelsError {
            throw FairnessReportError("--model \(requested): \(error.message)")
        }
        guard a.kind == .logistic else {
            throw FairnessReportError("--model \(requested): '\(name)' is a \(a.kind.rawValue) model; a fairness audit needs a classifier (e.g. success, code_acceptance, tool_failure)")
        }
        let frame = try PostgresFrame.read(connection, query: ModelTrainer.windowedQuery(a.query, since: a.window.evaluationStartMicros, until: nil),
                                           only: a.spec.columns)
        let table = try FeatureTable(frame: frame, spec: a.spec)
        var groupOf: [String: String] = [:]
        for row in try connection.execute("SELECT s.session_id, \(grouping.expression) FROM ai_sessions s WHERE s.started_at >= $1", [.text(since)]) {
            if let session = row.text(0), let group = row.text(1) { groupOf[session] = group }
        }
        let rows = (0..<table.rowCount).filter { i in
            table.response[i] != nil && table.isComplete(i, for: a.encoding) && table.sessions[i].flatMap { groupOf[$0] } != nil
        }
        guard rows.count >= 20 else {
            throw FairnessReportError("--model \(requested): \(rows.count) rows of '\(name)' from its evaluation window on have a group by \(grouping.name); the audit needs at least 20")
        }
        let scores = a.score(table, rows: rows)
        let labels = rows.map { table.response[$0]! }
        let audit = try FairnessAudit.audit(groups: rows.map { groupOf[table.sessions[$0]!]! }, labels: labels,
                                            predictions: scores.map { $0 >= threshold ? 1 : 0 }, scores: scores, resamples: resamples, seed: seed)
        let auc = (try? ClassificationMetrics.rocAUC(scores: scores, labels: labels)) ?? .nan
        return ClassifierAudit(name: "\(a.model) v\(a.version) (registry champion)", description: a.summary, features: a.features.map(\.name),
                               trainRows: a.rows.training, testRows: rows.count, splitAt: a.window.evaluationStart, heldOutAUC: auc,
                               threshold: threshold, audit: audit)
    }
}
