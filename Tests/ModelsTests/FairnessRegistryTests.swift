import Foundation
import Primitives
import Store
import Testing
import TestSupport
@testable import Analytics

extension RegistryTests {
    /// `ail fairness report --model M` audits the registry champion of M on the rows it was not
    /// fitted on (evaluation window and later), grouped by cohort: each group's rows and base rate
    /// are those SQL counts for decided generations from the evaluation start on.
    @Test func fairnessReportAuditsTheRegistryChampion() throws {
        let (c, _) = try Self.fresh()
        let registry = ModelRegistry(connection: c, directory: nil)
        let a = try ModelTraining.trainAndRegister(ModelCatalog.codeAcceptance, registry: registry).artifact
        let report = try FairnessReport.make(c, group: "cohort", model: .registry("acceptance"), resamples: 200)
        #expect(report.classifiers.count == 1)
        let audit = try #require(try report.classifiers.first?.get())
        #expect(audit.name == "code_acceptance v\(a.version) (registry champion)")
        #expect(audit.splitAt == a.window.evaluationStart && audit.trainRows == a.rows.training)
        let expected = try c.execute("""
            SELECT substr(t, 8), count(*)::int, avg(g.accepted::int)::float8
              FROM code_generation_events g JOIN ai_sessions s USING (session_id), unnest(s.tags) t
             WHERE t LIKE 'cohort:%' AND g.accepted IS NOT NULL AND g.created_at >= $1::timestamptz GROUP BY 1 ORDER BY 1
            """, [.text(a.window.evaluationStart)]).map { ($0.text(0) ?? "", try $0.value(1, as: Int.self) ?? 0, try $0.value(2, as: Double.self) ?? .nan) }
        #expect(expected.count == 2)
        for (cohort, count, rate) in expected {
            let g = try #require(audit.audit.byGroup.first { $0.group == cohort })
            let n = g.truePositives + g.falsePositives + g.trueNegatives + g.falseNegatives
            // rows a feature is missing on cannot be scored; nearly all can
            #expect(n <= count && Double(n) >= 0.9 * Double(count), "\(cohort): \(n) of \(count)")
            #expect(abs(Double(g.truePositives + g.falseNegatives) / Double(n) - rate) < 0.02, "\(cohort) base rate")
        }
        #expect(audit.testRows == audit.audit.byGroup.reduce(0) { $0 + $1.truePositives + $1.falsePositives + $1.trueNegatives + $1.falseNegatives })
        #expect(audit.heldOutAUC > 0.55)

        // a linear model and a model never trained are refused by name
        _ = try ModelTraining.trainAndRegister(ModelCatalog.satisfaction, registry: registry)
        #expect(throws: FairnessReportError.self) { try FairnessReport.make(c, group: "cohort", model: .registry("satisfaction"), resamples: 0) }
        do {
            _ = try FairnessReport.make(c, group: "cohort", model: .registry("tool_failure"), resamples: 0)
            Issue.record("a model without a champion was accepted")
        } catch let error as FairnessReportError {
            #expect(error.description.contains("--model tool_failure") && error.description.contains("ail train tool_failure"), "\(error)")
        }
        // a name that is no model at all is refused as unknown, with the models listed (not "train it")
        do {
            _ = try FairnessReport.make(c, group: "cohort", model: .registry("nosuch"), resamples: 0)
            Issue.record("an unknown model was accepted")
        } catch let error as FairnessReportError {
            #expect(error.description.contains("unknown model 'nosuch'") && error.description.contains("code_acceptance")
                    && !error.description.contains("ail train nosuch"), "\(error)")
        }
    }
}
