import Foundation
import Tracking

/// The effects a scenario plants, in the engine's terms (kind, subject, metric, direction), derived
/// from the scenario in the simulator's truth file by the simulator's own rules.
struct PlantedEffect: Hashable, CustomStringConvertible {
    var kind: String
    var subject: [String: String]
    var metric: String
    /// `higher` or `lower`: the planted effect's direction on the metric.
    var direction: String
    /// Size on the metric's natural scale (probability difference, log odds ratio, rating points).
    var size: Double
    /// Whether the size is large enough to demand recall (2 points of probability, 0.2 in log
    /// odds, 0.05 rating points per unit).
    var material: Bool
    /// Twice the materiality threshold: what the suite's small slice must find.
    var strong: Bool

    var description: String {
        "\(kind) \(subject.keys.sorted().map { "\($0)=\(subject[$0]!)" }.joined(separator: ",")) \(metric) \(direction) (\(String(format: "%.3f", size)))"
    }

    /// Whether an insight with these fields claims this effect.
    func matches(kind: String, subject: [String: String], metric: String, direction: String) -> Bool {
        self.kind == kind && self.subject == subject && self.metric == metric && self.direction == direction
    }

    /// Every non-zero effect of the scenario among the engine's hypotheses.
    static func of(_ s: Scenario) -> [PlantedEffect] {
        var out: [PlantedEffect] = []
        func add(_ kind: String, _ subject: [String: String], _ metric: String, _ size: Double, threshold: Double) {
            guard abs(size) > 1e-9 else { return }
            out.append(PlantedEffect(kind: kind, subject: subject, metric: metric, direction: size > 0 ? "higher" : "lower",
                                     size: size, material: abs(size) >= threshold, strong: abs(size) >= 2 * threshold))
        }
        // context combinations and their probabilities
        let types = s.contextProbabilities.keys.sorted().filter { (s.contextProbabilities[$0] ?? 0) > 0 }
        var combos: [(Set<String>, Double)] = [([], 1)]
        for t in types {
            let p = s.contextProbabilities[t] ?? 0
            combos = combos.flatMap { [($0.0.union([t]), $0.1 * p), ($0.0, $0.1 * (1 - p))] }
        }
        func failure(_ tool: Scenario.Tool, _ present: Set<String>) -> Double {
            var rate = tool.failureRate
            for e in s.toolContextEffects where e.tool == tool.name && present.contains(e.contextType) == e.present { rate = e.failureRate }
            return rate
        }
        func marginal(_ tool: Scenario.Tool, given: ((Set<String>) -> Bool) = { _ in true }) -> Double {
            let chosen = combos.filter { given($0.0) }
            let mass = chosen.reduce(0) { $0 + $1.1 }
            return chosen.reduce(0) { $0 + failure(tool, $1.0) * $1.1 } / mass
        }
        let weightSum = s.tools.reduce(0) { $0 + $1.weight }
        for tool in s.tools {
            let restWeight = weightSum - tool.weight
            let rest = s.tools.filter { $0.name != tool.name }.reduce(0) { $0 + $1.weight * marginal($1) } / restWeight
            add("tool_success", ["tool_name": tool.name], "tool_call_success", rest - marginal(tool), threshold: 0.02)
            for t in types {
                let with = marginal(tool) { $0.contains(t) }, without = marginal(tool) { !$0.contains(t) }
                add("tool_context_success", ["tool_name": tool.name, "context_type": t], "tool_call_success", without - with, threshold: 0.02)
            }
        }
        func logOdds(_ map: [String: Double], _ weights: [String: Double], _ kind: String, _ key: String) {
            guard let reference = weights.max(by: { $0.value < $1.value })?.key else { return }
            let base = Foundation.log(map[reference] ?? 1)
            for level in weights.keys.sorted() where level != reference && (weights[level] ?? 0) > 0 {
                add(kind, [key: level], "code_acceptance", Foundation.log(map[level] ?? 1) - base, threshold: 0.2)
            }
        }
        logOdds(s.acceptance.generationTypeOddsRatios, s.generationTypeWeights, "acceptance_generation_type", "generation_type")
        logOdds(s.acceptance.languageOddsRatios, s.languageWeights, "acceptance_language", "language")
        // Cohort disparities (the fairness source, adjusted for task mix): the source compares each
        // cohort with the largest one, which with equal shares is either, so both orientations
        // count as real; recall of these is checked by the fairness source's own test.
        for a in s.cohorts {
            for b in s.cohorts where b.name != a.name {
                for (metric, size) in [("code_acceptance", Foundation.log(a.acceptanceOddsRatio / b.acceptanceOddsRatio)),
                                       ("satisfaction", a.ratingShift - b.ratingShift)] where abs(size) > 1e-9 {
                    out.append(PlantedEffect(kind: "fairness_disparity", subject: ["cohort": a.name], metric: metric,
                                             direction: size > 0 ? "higher" : "lower", size: size, material: false, strong: false))
                }
            }
        }
        for metric in ["session_success", "satisfaction"] {
            add("session_outcome", ["session_measure": "failed_tool_calls"], metric, s.satisfaction.perToolFailure, threshold: 0.05)
            add("session_outcome", ["session_measure": "mean_tool_latency_seconds"], metric, s.satisfaction.perSecondMeanLatency, threshold: 0.05)
        }
        return out
    }
}
