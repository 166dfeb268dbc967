import Foundation
import Statistics
import Store
import Testing
import TestSupport
@testable import Analytics

/// The simulator's planted effects, recovered by the trained models: right sign, and the true
/// value inside the 95% cluster-robust interval. Truth: scenarios/default.json via the truth file.
@Suite(.serialized) struct PlantedEffectTests {
    func term(_ a: ModelArtifact, _ name: String) throws -> Coefficient {
        try #require(a.coefficients.first { $0.term == name }, "no term \(name) in \(a.coefficients.map(\.term))")
    }

    /// Every planted effect: the right sign, and the truth inside its 95% interval — simultaneous
    /// over the k effects checked together (Bonferroni: ±z₁₋₀.₀₂₅/ₖ·SE), so the check as a whole
    /// has the 95% coverage a single interval has. The marginal 95% interval is printed for each.
    func expectRecovered(_ a: ModelArtifact, _ truths: [String: Double]) throws {
        let z = Normal().quantile(1 - 0.025 / Double(truths.count))
        for (name, truth) in truths.sorted(by: { $0.key < $1.key }) {
            let t = try term(a, name)
            let (lo, hi) = (t.estimate - z * t.stdError, t.estimate + z * t.stdError)
            #expect(lo <= truth && truth <= hi, "\(name): truth \(truth) outside the simultaneous interval [\(lo), \(hi)] (estimate \(t.estimate))")
            if abs(truth) > 0.1 { #expect(t.estimate.sign == truth.sign, "\(name): estimate \(t.estimate), truth \(truth)") }
            print("planted \(a.model) \(name): truth \(fmt(truth)), estimate \(fmt(t.estimate)), 95% CI [\(fmt(t.confLow)), \(fmt(t.confHigh))]\(t.confLow <= truth && truth <= t.confHigh ? "" : " (truth outside the marginal interval)")")
        }
    }

    func fmt(_ x: Double) -> String { String(format: "%.3f", x) }

    @Test func toolFailureRecoversPlantedRatesAndContextEffects() throws {
        let data = try SimulatedData.shared()
        let c = try data.db.connect()
        let a = try ModelTrainer.train(ModelCatalog.toolFailure, connection: c)
        #expect(a.covarianceLabel.contains("developer_id"), "40 developers: clustered by developer (\(a.covarianceLabel))")
        let tools = data.truth.toolFailureRates
        let reference = try #require(a.encoding.categorical("tool_name")).reference
        #expect(reference == "read_file", "the most used tool is the reference")
        // at ctx = 0: run_tests fails 20% without diagnostics, edit_file 25% without open files
        // Each tool's planted failure rate with no context reported (run_tests 20% without
        // diagnostics, edit_file 25% without open files, the others their base rate) inside the
        // delta-method interval of the model's predicted probability there — simultaneous over
        // the six tools (Bonferroni), so the check as a whole keeps 95% coverage. Rates, not
        // contrasts with read_file: every contrast shares the reference cell's noise.
        let atZero = ["read_file": tools["read_file"]!, "grep": tools["grep"]!, "bash": tools["bash"]!,
                      "web_search": tools["web_search"]!, "run_tests": 0.20, "edit_file": 0.25]
        let z = Normal().quantile(1 - 0.025 / Double(atZero.count))
        for (tool, rate) in atZero.sorted(by: { $0.key < $1.key }) {
            let p = try a.predict(FeatureValues(text: ["tool_name": tool, "task_type": try #require(a.encoding.categorical("task_type")).reference],
                                                numbers: ["parameter_count": 1, "recent_failures": 0, "ctx_open_files": 0, "ctx_git_status": 0,
                                                          "ctx_recent_changes": 0, "ctx_diagnostics": 0]))
            let (lo, hi) = (1 / (1 + exp(-(p.linearPredictor - z * p.standardError))), 1 / (1 + exp(-(p.linearPredictor + z * p.standardError))))
            print("planted tool_failure rate of \(tool) without context: truth \(fmt(rate)), predicted \(fmt(p.value)), 95% CI [\(fmt(p.confLow)), \(fmt(p.confHigh))]")
            #expect(lo <= rate && rate <= hi, "\(tool): planted rate \(rate) outside [\(lo), \(hi)] (predicted \(p.value))")
        }
        // the two planted context effects, as per-tool slopes on the log-odds
        try expectRecovered(a, ["tool_name[run_tests]:ctx_diagnostics": logit(0.45) - logit(0.20),
                                "tool_name[edit_file]:ctx_open_files": logit(tools["edit_file"]!) - logit(0.25)])
        // the simulator's parameters are always {"attempt": 1}: a constant, dropped with its reason
        #expect(a.encoding.dropped.contains { $0.term == "parameter_count" && $0.reason.hasPrefix("constant") })
        // held out, the model beats the base rate
        let e = a.evaluation
        #expect(try #require(e.logLoss) < (try #require(e.baselineLogLoss)))
        #expect(try #require(e.auc) > 0.6)
    }

    @Test func codeAcceptanceRecoversPlantedOddsRatios() throws {
        let data = try SimulatedData.shared()
        let a = try ModelTrainer.train(ModelCatalog.codeAcceptance, connection: try data.db.connect())
        let truth = data.truth.acceptanceLogOdds
        #expect(a.encoding.categorical("generation_type")?.reference == "function")
        #expect(a.encoding.categorical("language")?.reference == "swift")
        var truths: [String: Double] = [:]
        for type in ["test", "migration", "class", "config"] { truths["generation_type[\(type)]"] = truth["generation_type=\(type)"]! }
        for language in ["python", "sql", "typescript"] { truths["language[\(language)]"] = truth["language=\(language)"]! - truth["language=swift"]! }
        try expectRecovered(a, truths)
        // longer code is accepted less often (planted: odds ×0.85 per 10 lines)
        #expect(try term(a, "log_lines").estimate + (try term(a, "complexity").estimate) < 0)
        #expect(a.rows.responseMissing > 0, "undecided generations have no response and are counted")
    }

    @Test func satisfactionFallsWithToolFailures() throws {
        let data = try SimulatedData.shared()
        let c = try data.db.connect()
        let linear = try ModelTrainer.train(ModelCatalog.satisfaction, connection: c)
        let t = try term(linear, "tool_failures")
        #expect(t.confHigh < 0, "planted: −0.3 rating per failed tool call; got \(t.estimate) [\(t.confLow), \(t.confHigh)]")
        #expect(try #require(linear.evaluation.rmse) < (try #require(linear.evaluation.baselineRMSE)))
        let high = try ModelTrainer.train(ModelCatalog.satisfactionHigh, connection: c)
        #expect(try term(high, "tool_failures").estimate < 0)
        let success = try ModelTrainer.train(ModelCatalog.success, connection: c)
        #expect(try #require(success.evaluation.auc) > 0.6)
        let decision = try ModelTrainer.train(ModelCatalog.timeToDecision, connection: c)
        #expect(decision.rows.training > 100)
    }
}
