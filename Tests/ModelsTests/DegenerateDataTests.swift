import Foundation
import Statistics
import Store
import Testing
import TestSupport
@testable import Analytics

/// Real logs are incomplete: one developer, a column never reported, a single level. The
/// models drop what they cannot use, say why, and still fit.
@Suite struct DegenerateDataTests {
    @Test func oneDeveloperMissingComplexityAndOneLanguageStillFit() throws {
        let data = try SimulatedData(developers: 1, days: 120, seed: 11)
        let c = try data.db.connect()
        try c.executeScript("UPDATE code_generation_events SET complexity = NULL, language = 'swift'")
        let a = try ModelTrainer.train(ModelCatalog.codeAcceptance, connection: c)
        let reasons = Dictionary(uniqueKeysWithValues: a.encoding.dropped.map { ($0.term, $0.reason) })
        #expect(reasons["complexity"] == "missing on every training row")
        #expect(reasons["language"]?.contains("single level") == true)
        #expect(a.covarianceLabel.contains("session_id"), "one developer: clustered by session (\(a.covarianceLabel))")
        #expect(!a.encoding.usedFeatures.contains("complexity"))
        #expect(a.coefficients.contains { $0.term.hasPrefix("generation_type[") })
        // never imputed: no coefficient for a dropped feature, and scoring does not ask for it
        let p = try a.predict(FeatureValues(text: ["generation_type": "test"], numbers: ["log_lines": 3, "ctx_open_files": 1, "ctx_git_status": 0,
                                                                                   "ctx_recent_changes": 0, "ctx_diagnostics": 0]))
        #expect(p.value > 0 && p.value < 1 && p.confLow < p.value && p.value < p.confHigh)
    }

    @Test func partlyMissingFeatureDropsRowsNotTheFeatureAndTooSmallGroupsAreListed() throws {
        let data = try SimulatedData(developers: 3, days: 40, seed: 12)
        let c = try data.db.connect()
        // complexity unknown for a third of the generations: those rows are left out and counted
        try c.executeScript("UPDATE code_generation_events SET complexity = NULL WHERE id % 3 = 0")
        let a = try ModelTrainer.train(ModelCatalog.codeAcceptance, connection: c)
        #expect(a.encoding.usedFeatures.contains("complexity"))
        #expect(a.rows.trainingIncomplete > 0 && a.rows.evaluationIncomplete > 0)
        let missing = try c.execute("SELECT count(*) FROM code_generation_events WHERE complexity IS NULL AND accepted IS NOT NULL").first?.value(0, as: Int.self)
        #expect(a.rows.trainingIncomplete + a.rows.evaluationIncomplete == missing)
        // one group per developer: each has too few sessions for a separate fit of 16 parameters? listed, not thrown
        let groups = try GroupedTraining.train(ModelCatalog.codeAcceptance, by: "generation_type", connection: c)
        let small = groups.filter { $0.artifact == nil }
        #expect(!small.isEmpty, "with 3 developers over 40 days some generation types are too rare to fit alone")
        for g in small { #expect(g.reason?.isEmpty == false) }
    }

    @Test func unseenLevelIsScoredAtTheReferenceAndFlagged() throws {
        let data = try SimulatedData.shared()
        let a = try ModelTrainer.train(ModelCatalog.toolFailure, connection: try data.db.connect())
        let reference = try #require(a.encoding.categorical("tool_name")).reference
        var values = FeatureValues(text: ["tool_name": "brand_new_tool", "task_type": "bugfix"],
                                   numbers: ["parameter_count": 1, "recent_failures": 0, "ctx_open_files": 1, "ctx_git_status": 0,
                                             "ctx_recent_changes": 0, "ctx_diagnostics": 1])
        // the reference level's own context slopes apply too (not only its main effect)
        let unseen = try a.predict(values)
        #expect(unseen.unseenLevels == ["tool_name=brand_new_tool"])
        values.text["tool_name"] = reference
        let atReference = try a.predict(values)
        #expect(unseen.value == atReference.value && atReference.unseenLevels.isEmpty)
        // a missing feature is refused by name
        values.numbers["recent_failures"] = nil
        #expect(throws: ModelsError.self) { try a.predict(values) }
    }
}
