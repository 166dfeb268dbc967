import Primitives
import Store

/// What `ail predict MODEL --since DATE` did.
public struct BulkScoringReport: Codable, Sendable, Equatable {
    public let model: String
    public let version: String
    /// Rows the model's query returned from `since` on.
    public let rows: Int
    /// Rows scored (complete for the version's features).
    public let scored: Int
    /// Rows left out because a feature the version uses is missing.
    public let incomplete: Int
    /// Predictions added; rows already scored by this version add nothing.
    public let inserted: Int
}

/// Scores stored rows in bulk into `ail_model_predictions`, idempotently.
public enum BulkScoring {
    /// Scores the rows of `artifact`'s query with `occurred_at ≥ since` (microseconds since 1970).
    public static func score(_ artifact: ModelArtifact, connection: Connection, since: Int64?) throws -> BulkScoringReport {
        let spec = artifact.spec
        let frame = try PostgresFrame.read(connection, query: ModelTrainer.windowedQuery(artifact.query, since: since, until: nil),
                                           only: spec.columns.subtracting([spec.response]))
        let table = try FeatureTable(frame: frame, spec: spec, requireResponse: false)
        let rows = (0..<table.rowCount).filter { table.rowKeys[$0] != nil && table.isComplete($0, for: artifact.encoding) }
        let scores = artifact.score(table, rows: rows)
        let inserted: Int = try connection.transaction {
            try connection.executeScript("CREATE TEMP TABLE ail_scores_in (row_key text, score double precision) ON COMMIT DROP")
            _ = try connection.copyIn("COPY ail_scores_in (row_key, score) FROM STDIN") { w in
                for (i, r) in rows.enumerated() {
                    try w.write(CopyText.escaped(table.rowKeys[r] ?? "") + "\t\(scores[i])\n")
                }
            }
            return try connection.execute("""
                WITH added AS (
                    INSERT INTO ail_model_predictions (model_name, version, row_key, score)
                    SELECT $1, $2, row_key, score FROM ail_scores_in
                    ON CONFLICT (model_name, version, row_key) DO NOTHING RETURNING 1)
                SELECT count(*) FROM added
                """, [.text(artifact.model), .int(Int(artifact.version) ?? 0)]).first?.value(0, as: Int.self) ?? 0
        }
        return BulkScoringReport(model: artifact.model, version: artifact.version, rows: table.rowCount, scored: rows.count,
                                 incomplete: table.rowCount - rows.count, inserted: inserted)
    }
}
