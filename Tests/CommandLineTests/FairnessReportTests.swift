import Foundation
import Store
import Testing
import TestSupport
@testable import AILCommandLine
@testable import Analytics
@testable import Statistics
@testable import Tracking

/// `ail fairness report` on simulated workloads whose cohort differences are planted: one where
/// the cohorts differ only in what they work on, one where a difference remains after that, one
/// with none.
@Suite struct FairnessReportTests {
    /// A fresh database loaded with `scenario` (a file under scenarios/, or the default).
    static func load(_ scenario: String?, developers: Int, days: Int, seed: UInt64) throws -> (TestDatabase, Connection, SimulationTruth) {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let chosen = try scenario.map { try Scenario.load(from: PackagePaths.root.appendingPathComponent("scenarios/\($0).json")) } ?? .default
        let file = folder.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(scenario: chosen, developers: developers, days: days, seed: seed).write(to: file)
        let summary = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8)))).ingest(path: file.path)
        #expect(summary.rejected == 0)
        return (db, c, truth)
    }

    static func contrast(_ report: FairnessReport, _ outcome: String) throws -> (FairnessReport.Outcome, OutcomeDisparity.Contrast) {
        let o = try #require(report.outcomes.first { $0.name == outcome })
        let c = try #require(o.comparison?.contrasts.first, "\(outcome): \(o.skipped ?? "no contrast")")
        return (o, c)
    }

    @Test(arguments: ["fairness-task-mix", "fairness-persisting", "fairness-none"])
    func cohortDifferencesAreToldApartFromTaskMix(scenario: String) throws {
        let (_, c, truth) = try Self.load(scenario, developers: 24, days: 40, seed: 11)
        let report = try FairnessReport.make(c, group: "cohort", resamples: 200)
        #expect(report.grouping == FairnessGrouping(name: "cohort", source: .tag))
        let (acceptance, a) = try Self.contrast(report, "acceptance")
        let (satisfaction, s) = try Self.contrast(report, "satisfaction")
        #expect(acceptance.comparison?.covariates.map(\.name) == ["task_type", "generation_type", "language"])
        #expect(Set([a.group, a.reference]) == ["platform", "product"])
        // log odds ratio of product against platform, whichever is the reference
        let sign = a.group == "product" ? 1.0 : -1.0
        let plantedProduct = Foundation.log(truth.scenario.cohorts.first { $0.name == "product" }!.acceptanceOddsRatio)
        switch scenario {
        case "fairness-task-mix":
            // product does mostly database design (planted odds ratio 0.3): raw gap, no adjusted one
            #expect(acceptance.verdict(0, alpha: 0.05) == .explainedByTaskMix, "raw q \(acceptance.rawQ[0]), adjusted q \(acceptance.adjustedQ[0])")
            #expect(satisfaction.verdict(0, alpha: 0.05) == .explainedByTaskMix, "raw q \(satisfaction.rawQ[0]), adjusted q \(satisfaction.adjustedQ[0])")
            #expect(sign * a.raw.estimate < -0.3 && abs(a.adjusted.estimate) < 0.25)
        case "fairness-persisting":
            #expect(acceptance.verdict(0, alpha: 0.05) == .persists && satisfaction.verdict(0, alpha: 0.05) == .persists)
            // the adjusted estimate recovers the planted log odds ratio log 0.5 = −0.69
            #expect(abs(sign * a.adjusted.estimate - plantedProduct) < 0.3, "adjusted \(sign * a.adjusted.estimate) vs planted \(plantedProduct)")
            #expect(abs(sign * s.adjusted.estimate - (-0.4)) < 0.25, "rating shift \(sign * s.adjusted.estimate)")
        default:
            #expect(acceptance.verdict(0, alpha: 0.05) == .none && satisfaction.verdict(0, alpha: 0.05) == .none)
        }
        // Code generations always "succeed" as interactions in the simulator: that level predicts
        // success perfectly, so its rows leave the adjusted fit instead of making it fail.
        let success = try #require(report.outcomes.first { $0.name == "success" }?.comparison, "success skipped")
        #expect(success.rowsPerfectlyPredicted > 0 && success.contrasts.first?.adjusted.stdError.isFinite == true)
        // Standard errors are clustered by developer: as many clusters as simulated developers.
        #expect(acceptance.comparison?.clusterCount == truth.developers)
        // The classifiers are audited on held-out rows.
        let audits = report.classifiers.compactMap { try? $0.get() }
        #expect(audits.map(\.name) == ["acceptance", "success"])
        let acceptanceAudit = try #require(audits.first)
        #expect(acceptanceAudit.heldOutAUC > 0.55 && acceptanceAudit.audit.byGroup.count == 2)
        #expect(acceptanceAudit.audit.bootstrap?.interval("equalized_odds_difference")?.lower.isFinite == true)
    }

    /// The simulator's task-mix knob: unknown task types and negative weights are refused by key.
    @Test func taskMixKnobRefusesBadValues() throws {
        for (json, expected) in [
            (#"{"cohorts": [{"name": "a", "share": 1, "acceptance_odds_ratio": 1, "rating_shift": 0, "task_type_weights": {"gardening": 1}}]}"#, "cohorts[a].task_type_weights names unknown task type \"gardening\""),
            (#"{"cohorts": [{"name": "a", "share": 1, "acceptance_odds_ratio": 1, "rating_shift": 0, "task_type_weights": {"feature": -1}}]}"#, "cohorts[a].task_type_weights must be"),
            (#"{"task_type_effects": {"bugfix": {"acceptance_odds_ratio": 0}}}"#, "task_type_effects[bugfix].acceptance_odds_ratio"),
        ] {
            do {
                _ = try Scenario.decode(Data(json.utf8))
                Issue.record("accepted \(json)")
            } catch let error as ScenarioError {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        let mix = try Scenario.load(from: PackagePaths.root.appendingPathComponent("scenarios/fairness-task-mix.json"))
        #expect(mix.cohorts.map { $0.taskTypeWeights?["database_design"] } == [0.5, 6])
        #expect(mix.taskTypeEffects?["database_design"]?.acceptanceOddsRatio == 0.3)
    }

    /// The command on the same kind of data: text and JSON, a grouping by task type, and
    /// refusals that name the field.
    @Test func commandRendersAndRefuses() throws {
        let (db, _, _) = try Self.load("fairness-task-mix", developers: 10, days: 20, seed: 5)
        let text = try #require(try AIL.parseAsRoot(["fairness", "report", "--dsn", db.dsn, "--resamples", "100"]) as? FairnessReportCommand)
        let rendered = try text.makeReport().text
        #expect(rendered.contains("Fairness report by cohort (tag)") && rendered.contains("acceptance") && rendered.contains("classifier acceptance"))
        let json = try #require(try AIL.parseAsRoot(["fairness", "report", "--dsn", db.dsn, "--group", "task_type", "--resamples", "0", "--format", "json"]) as? FairnessReportCommand)
        let document = try JSONOutput.text(try json.makeReport())
        #expect(document.contains("\"group\" : \"task_type\"") && document.contains("\"adjusted_for\""))
        do {
            _ = try (try AIL.parseAsRoot(["fairness", "report", "--dsn", db.dsn, "--group", "shoe_size"]) as? FairnessReportCommand)?.makeReport()
            Issue.record("an unknown grouping was accepted")
        } catch let error as InputError {
            #expect(error.description.contains("--group shoe_size") && error.description.contains("cohort (tag)"))
        }
        #expect(throws: (any Error).self) { try AIL.parseAsRoot(["fairness", "report", "--dsn", db.dsn, "--since", "yesterday"]) }
    }
}
