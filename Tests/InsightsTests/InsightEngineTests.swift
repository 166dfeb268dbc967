import Analytics
import Foundation
import Testing
import TestSupport
import Tracking

/// The engine against simulated workloads whose truth is known.
@Suite struct InsightEngineTests {
    /// Every material planted effect of the default scenario is found, in its direction, with
    /// confidence ≥ 0.9; effects below materiality are listed with what became of them.
    @Test func defaultScenarioRecall() throws {
        let h = try InsightHarness(scenario: .default, developers: 40, days: 90, seed: 7)
        let (result, _) = try h.run()
        let planted = PlantedEffect.of(h.truth.scenario)
        let scored = InsightHarness.score(result.insights, planted: planted)
        var recalled = 0
        var lines: [String] = []
        for effect in planted {
            let hit = scored.first { $0.real && effect.matches(kind: $0.insight.kind, subject: $0.insight.subject,
                                                               metric: $0.insight.metric, direction: $0.insight.direction.rawValue) }
            let confidence = hit?.insight.confidence ?? 0
            lines.append(String(format: "  %@ %.3f  %@", effect.material ? "material " : "immaterial", confidence, effect.description))
            if effect.material {
                if confidence >= 0.9 { recalled += 1 }
                #expect(confidence >= 0.9, "planted \(effect) found with confidence \(confidence)")
            }
        }
        let material = planted.filter(\.material).count
        let falseHigh = scored.filter { !$0.real && $0.insight.confidence >= 0.9 }
        print("default scenario: recall \(recalled)/\(material) material planted effects at confidence >= 0.9; "
              + "\(falseHigh.count) unplanted insights at >= 0.9\n" + lines.joined(separator: "\n"))
        #expect(material >= 15)
        for f in falseHigh { Issue.record("unplanted insight at confidence \(f.insight.confidence): \(f.insight.title)") }
    }

    /// With no planted effect, no insight reaches confidence 0.9.
    @Test func nullScenarioHasNoConfidentInsight() throws {
        let h = try InsightHarness(scenario: InsightScenarios.null, developers: 40, days: 90, seed: 8)
        let (result, _) = try h.run()
        #expect(PlantedEffect.of(h.truth.scenario).isEmpty)
        let confident = result.insights.filter { $0.confidence >= 0.9 }
        print("null scenario: \(result.findings.count) hypotheses, \(result.insights.count) insights, "
              + "\(confident.count) at confidence >= 0.9 (false discoveries); null share \(result.model.nullShare)")
        #expect(confident.isEmpty, "false discoveries: \(confident.map(\.title))")
        #expect(result.findings.count >= 30)
    }

    /// Failed tool calls and bad sessions both follow session length: the raw association is
    /// strong, the adjusted one absent, and the engine reports the adjusted conclusion.
    @Test func confoundedScenarioReportsAdjustedConclusion() throws {
        let h = try InsightHarness(scenario: InsightScenarios.confounded, developers: 40, days: 90, seed: 9)
        let (result, _) = try h.run()
        for metric in ["session_success", "satisfaction"] {
            let tested = try #require(result.findings.first {
                $0.finding.subject == ["session_measure": "failed_tool_calls"] && $0.finding.metric == metric })
            // the raw difference is there and significant …
            let rawP = try #require(tested.finding.rawPValue)
            #expect(rawP < 1e-6, "raw p \(rawP)")
            #expect((tested.finding.rawEffect ?? 0) < 0)
            // … the engine does not claim it …
            let claims = result.insights.filter { $0.subject == ["session_measure": "failed_tool_calls"] && $0.metric == metric && $0.direction != .none }
            #expect(claims.allSatisfy { $0.confidence < 0.9 }, "claimed: \(claims.map(\.title))")
            // … and says that it vanished
            let vanished = try #require(result.insights.first {
                $0.subject == ["session_measure": "failed_tool_calls"] && $0.metric == metric && $0.direction == .none })
            #expect(vanished.title.contains("vanishes after adjustment"))
            #expect(vanished.recommendedAction.contains("Do not act"))
            print("confounded (\(metric)): raw \(tested.finding.rawEffect ?? .nan) p=\(rawP); adjusted \(tested.finding.effect.estimate) "
                  + "p=\(tested.finding.pValue), confidence \(tested.confidence)")
        }
    }
}
