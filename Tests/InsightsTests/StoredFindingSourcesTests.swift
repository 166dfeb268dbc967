import Analytics
import Foundation
import Store
import Testing
import TestSupport
import Tracking

/// The pattern and anomaly sources read what `analyze-patterns` and `detect anomalies` stored:
/// on a simulated workload the planted run_tests × diagnostics failure contrast and the web_search
/// latency level shift (×2 from day 60) come out of one insights run with subject and direction right.
@Suite(.serialized, .tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason)) struct StoredFindingSourcesTests {
    @Test func groupTagKeyNamesTheAttributeOfAKeyValueTag() {
        #expect(PatternFindingSource.groupTagKey(["tag=cohort:product"]) == "cohort")
        #expect(PatternFindingSource.groupTagKey(["tool=bash", "tag=team:core:x"]) == "team")
        #expect(PatternFindingSource.groupTagKey(["tag=flaky"]) == nil)
        #expect(PatternFindingSource.groupTagKey(["tag=:odd"]) == nil)
        #expect(PatternFindingSource.groupTagKey(["context=diagnostics"]) == nil)
    }

    @Test func emptyTablesYieldNothing() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let context = FindingContext(connection: c, since: nil, until: Date(timeIntervalSince1970: 4_102_444_800))
        #expect(try PatternFindingSource().findings(in: context).isEmpty)
        #expect(try AnomalyFindingSource().findings(in: context).isEmpty)
    }

    @Test func plantedPatternAndLatencyShiftBecomeInsights() throws {
        let h = try InsightHarness(scenario: .default, developers: 16, days: 80, seed: 11)
        let options = PatternAnalysisOptions()
        let patterns = try PatternAnalysis.run(h.connection, options: options)
        try PatternStore.record(patterns, options: options, startedAt: Date(), connection: h.connection)
        _ = try DatabaseAnomalyDetection.run(h.connection, online: false, falseAlarmRate: 0.01)

        let (result, _) = try h.run()
        // every stored tested pattern finding entered the family, with its stored p-value
        let storedTests = try h.connection.execute("""
            SELECT count(*) FROM pattern_findings WHERE kind IN ('contrast', 'sequence', 'error_trend') AND p_value IS NOT NULL AND effect IS NOT NULL
            """).first?.value(0, as: Int.self) ?? -1
        #expect(result.findings.filter { $0.finding.source == "patterns" }.count == storedTests)

        let contrast = try #require(result.insights.first {
            $0.kind == "pattern_contrast" && $0.subject == ["tool_name": "run_tests", "context_type": "diagnostics"]
        }, "\(result.insights.map { "\($0.kind) \($0.subject)" })")
        #expect(contrast.metric == "tool_call_success")
        #expect(contrast.direction == .lower)  // 45 % failures with diagnostics vs 20 % without
        #expect(contrast.effect.estimate < -0.1 && contrast.effect.confHigh < 0)
        #expect(contrast.category == .performance && contrast.source == "patterns")

        let shift = try #require(result.insights.first {
            $0.source == "anomalies" && $0.metric == "p95_latency_ms" && $0.subject == ["tool_name": "web_search"] && $0.kind == "metric_level_shift"
        }, "\(result.insights.filter { $0.source == "anomalies" }.map { "\($0.kind) \($0.subject) \($0.metric)" })")
        #expect(shift.direction == .higher)
        #expect(shift.category == .performance)
        // observed / expected near the planted factor 2
        let ratio = (shift.evidence.numbers["observed"] ?? 0) / (shift.evidence.numbers["expected"] ?? 1)
        #expect(ratio > 1.5 && ratio < 2.6)
        // the default scenario's cohorts differ in acceptance and satisfaction: a contrast on the
        // cohort:NAME tag is a group difference (category fairness, pointing at the adjusted
        // report), never "encourage it"
        let cohort = try #require(result.findings.map(\.finding).first { $0.kind == "pattern_contrast" && $0.subject["tag"]?.hasPrefix("cohort:") == true },
                                  "\(result.findings.map(\.finding).filter { $0.kind == "pattern_contrast" }.map(\.subject))")
        #expect(cohort.category == .fairness)
        for action in [cohort.actionIfHigher, cohort.actionIfLower] {
            #expect(action.contains("ail fairness report --group cohort") && !action.contains("encourage"))
        }
        // fingerprints are unique in the run (one finding per series, kind and direction)
        #expect(Set(result.insights.map(\.fingerprint)).count == result.insights.count)
    }
}
