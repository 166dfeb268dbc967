import Foundation
import Primitives
import Store
import Testing
import TestSupport
@testable import Analytics

extension RegistryTests {
    /// Drift: a champion trained on the first 30 days is checked on the later rows; when the
    /// tools start failing far more often afterwards, the check flags it and writes the figures.
    @Test func driftIsFlaggedWhenFailuresChangeAfterTraining() throws {
        let (c, a) = try Self.toolFailureTrainedOnFirst30Days()
        let steady = try #require(try ModelDrift().check(a, connection: c))
        #expect(!steady.degraded, "same process after training: \(steady.metric) \(steady.recent) vs \(steady.atTraining)")
        #expect(steady.rows > 1000)
        // after training, every third call of grep and read_file fails
        try Self.plantFailuresAfterTraining(a, c)
        defer { Self.undoPlantedFailures(c) }
        let drifted = try #require(try ModelDrift().check(a, connection: c))
        #expect(drifted.degraded && drifted.recent > drifted.atTraining * 1.1)
        let written = try c.execute("SELECT count(*) FROM model_performance_metrics WHERE model_name = 'tool_failure' AND metric_name = 'drift_log_loss'").first?.value(0, as: Int.self)
        #expect(written == 2)
    }

    /// A fresh workload and its tool_failure champion trained on the first 30 days only, so the
    /// later rows are unseen by the model.
    static func toolFailureTrainedOnFirst30Days() throws -> (Connection, ModelArtifact) {
        let (c, data) = try fresh()
        let start = try #require(TimestampText.seconds(rfc3339: data.truth.scenario.startDate + "T00:00:00Z"))
        var options = TrainingOptions()
        options.until = Int64((start + 30 * 86_400) * 1_000_000)
        let registry = ModelRegistry(connection: c, directory: nil)
        return (c, try ModelTraining.trainAndRegister(ModelCatalog.toolFailure, registry: registry, options: options).artifact)
    }

    /// Planted drift: after the model's evaluation window every third grep and read_file call fails.
    static func plantFailuresAfterTraining(_ a: ModelArtifact, _ c: Connection) throws {
        try c.execute("""
            UPDATE tool_usage_analytics SET success = false
             WHERE tool_name IN ('grep', 'read_file') AND id % 3 = 0 AND created_at > $1::timestamptz
            """, [.text(a.window.evaluationEnd)])
    }

    /// Restores the simulated outcomes of grep and read_file.
    static func undoPlantedFailures(_ c: Connection) {
        _ = try? c.execute("UPDATE tool_usage_analytics SET success = NOT (error_type IS NOT NULL) WHERE tool_name IN ('grep', 'read_file')")
    }
}
