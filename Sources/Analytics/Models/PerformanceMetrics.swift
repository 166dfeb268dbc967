import Store

/// Writes a version's held-out figures to `model_performance_metrics` (one row per metric, and
/// one `baseline_<metric>` row beside it; for classifiers the calibration table as
/// `calibration_bin_<k>_predicted|observed|count`), with the evaluation rows and window.
public enum PerformanceMetrics {
    public static func write(_ a: ModelArtifact, connection: Connection) throws {
        var rows: [(String, Double)] = []
        for f in a.evaluation.figures where f.value.isFinite {
            rows.append((f.name, f.value))
            if let b = f.baseline, b.isFinite { rows.append(("baseline_" + f.name, b)) }
        }
        // the calibration table, one triple per non-empty bin (k from 1), which the HTML report
        // draws as the model's reliability diagram
        for (k, bin) in (a.evaluation.calibration ?? []).enumerated() {
            guard let predicted = bin.meanPredicted, let observed = bin.observedRate, bin.count > 0 else { continue }
            rows.append(("calibration_bin_\(k + 1)_predicted", predicted))
            rows.append(("calibration_bin_\(k + 1)_observed", observed))
            rows.append(("calibration_bin_\(k + 1)_count", Double(bin.count)))
        }
        try write(model: a.model, version: a.version, rows: rows, sampleSize: a.evaluation.rows,
                  windowStart: a.window.evaluationStart, windowEnd: a.window.evaluationEnd, connection: connection)
    }

    /// Inserts `(metric, value)` rows for one version and window.
    public static func write(model: String, version: String, rows: [(String, Double)], sampleSize: Int,
                             windowStart: String, windowEnd: String, connection: Connection) throws {
        try connection.transaction {
            for (name, value) in rows {
                try connection.execute("""
                    INSERT INTO model_performance_metrics (model_name, model_version, metric_name, metric_value, sample_size, window_start, window_end)
                    VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz)
                    """, [.text(model), .text(version), .text(name), .double(value), .int(sampleSize), .text(windowStart), .text(windowEnd)])
            }
        }
    }
}
