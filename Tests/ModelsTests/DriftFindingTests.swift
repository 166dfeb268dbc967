import Foundation
import Primitives
import Store
import Testing
import TestSupport
@testable import Analytics

extension RegistryTests {
    /// The model-drift insight source: a champion trained on the first 30 days is tested on the
    /// later rows. Same process afterwards: no evidence of drift. When every third grep and
    /// read_file call fails after training (planted), the calibration z-test finds outcomes more
    /// frequent than predicted, with a tiny p-value, on exactly the rows after the evaluation window.
    @Test func driftSourceTestsCalibrationOnRowsAfterTraining() throws {
        let (c, a) = try Self.toolFailureTrainedOnFirst30Days()
        let context = FindingContext(connection: c, since: nil, until: Date(timeIntervalSince1970: 4_102_444_800))

        let steady = try #require(try ModelDriftFindingSource().findings(in: context).first { $0.subject == ["model": "tool_failure"] })
        let later = try c.execute("SELECT count(*) FROM tool_usage_analytics WHERE created_at > $1::timestamptz",
                                  [.text(a.window.evaluationEnd)]).first?.value(0, as: Int.self) ?? -1
        #expect(steady.volume > 1000 && steady.volume <= later)
        #expect(steady.pValue > 0.001, "no drift planted, p \(steady.pValue), effect \(steady.effect.estimate)")
        #expect(abs(steady.effect.estimate) < 0.02)
        #expect(steady.category == .predictive && steady.metric == "calibration" && steady.kind == "model_drift")

        try Self.plantFailuresAfterTraining(a, c)
        defer { Self.undoPlantedFailures(c) }
        let drifted = try #require(try ModelDriftFindingSource().findings(in: context).first { $0.subject == ["model": "tool_failure"] })
        #expect(drifted.pValue < 1e-6, "p \(drifted.pValue)")
        // failures now more frequent than predicted: observed − predicted > 0, interval above 0
        #expect(drifted.effect.estimate > 0.03 && drifted.effect.confLow > 0)
        let observed = try #require(drifted.numbers["observed_rate"]), predicted = try #require(drifted.numbers["mean_predicted"])
        #expect(abs(observed - predicted - drifted.effect.estimate) < 1e-12)
    }
}
