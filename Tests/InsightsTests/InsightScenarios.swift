import Foundation
import Primitives
import Tracking

/// Scenarios with known truth for the insight checks.
enum InsightScenarios {
    /// No planted effect among the engine's hypotheses: equal tool failure rates, no context
    /// effects, acceptance odds ratios of 1, satisfaction independent of failures and latency.
    static var null: Scenario {
        var s = Scenario.default
        s.name = "null"
        for k in s.tools.indices { s.tools[k].failureRate = 0.1 }
        s.toolContextEffects = []
        s.acceptance.generationTypeOddsRatios = s.acceptance.generationTypeOddsRatios.mapValues { _ in 1 }
        s.acceptance.languageOddsRatios = s.acceptance.languageOddsRatios.mapValues { _ in 1 }
        s.satisfaction.perToolFailure = 0
        s.satisfaction.perSecondMeanLatency = 0
        // no cohort disparity (fairness source) and no satisfaction trend (forecast source)
        s.cohorts = s.cohorts.map { var c = $0; c.acceptanceOddsRatio = 1; c.ratingShift = 0; return c }
        s.satisfaction.trendPer30Days = 0
        return s
    }

    /// Failed tool calls and low ratings both follow session length; failures themselves do nothing.
    static var confounded: Scenario {
        var s = Scenario.default
        s.name = "confounded"
        s.satisfaction.perToolFailure = 0
        s.sessionLength = .init(failureLogOddsPerStep: 0.15, ratingPerStep: -0.12)
        return s
    }

    /// A random scenario for the calibration run: each effect is absent or of random size.
    static func random(seed: UInt64) -> Scenario {
        var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var s = Scenario.default
        s.name = "calibration-\(seed)"
        for k in s.tools.indices {
            s.tools[k].failureRate = rng.bernoulli(0.5) ? 0.08 : min(0.5, 0.08 * Foundation.exp(rng.normal() * 0.6))
        }
        let contexts = ["open_files", "git_status", "recent_changes", "diagnostics"]
        s.toolContextEffects = (0..<rng.pick([1, 2, 2, 1])).map { _ in
            let tool = s.tools[rng.pick(s.tools.map { _ in 1.0 })]
            return Scenario.ToolContextEffect(tool: tool.name, contextType: contexts[rng.pick([1, 1, 1, 1])],
                                              present: rng.bernoulli(0.5),
                                              failureRate: min(0.6, tool.failureRate * Foundation.exp(rng.normal() * 0.7)))
        }
        func odds(_ map: [String: Double], reference: String) -> [String: Double] {
            var out = map
            for key in map.keys.sorted() { out[key] = key == reference || rng.bernoulli(0.5) ? 1 : Foundation.exp(rng.normal() * 0.4) }
            return out
        }
        s.acceptance.generationTypeOddsRatios = odds(s.acceptance.generationTypeOddsRatios, reference: "function")
        s.acceptance.languageOddsRatios = odds(s.acceptance.languageOddsRatios, reference: "swift")
        s.satisfaction.perToolFailure = rng.bernoulli(0.5) ? 0 : -0.3 * rng.uniform()
        s.satisfaction.perSecondMeanLatency = rng.bernoulli(0.5) ? 0 : -0.2 * rng.uniform()
        if rng.bernoulli(0.3) {
            s.sessionLength = .init(failureLogOddsPerStep: 0.15 * rng.uniform(), ratingPerStep: -0.1 * rng.uniform())
        }
        return s
    }
}
