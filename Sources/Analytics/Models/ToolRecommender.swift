import Foundation
import Statistics

/// One ranked tool of `ail recommend-tool`.
public struct ToolRecommendation: Codable, Sendable, Equatable {
    public let rank: Int
    public let tool: String
    /// Partially pooled success probability (what the ranking uses).
    public let success: Double
    /// 95% interval of the pooled estimate (beta posterior, normal approximation, within [0, 1]).
    public let confLow: Double
    public let confHigh: Double
    /// The model's own success probability for this tool and context, and its delta-method interval.
    public let modelSuccess: Double
    public let modelConfLow: Double
    public let modelConfHigh: Double
    /// Training calls of this tool (the evidence behind its coefficient).
    public let calls: Int
    /// Too little evidence: fewer than `uncertainBelow` calls, or no coefficient of its own.
    public let uncertain: Bool
    /// The main contributing factors, in words.
    public let why: [String]
}

/// Ranks tools for a task by predicted success, from the tool-failure champion.
///
/// Partial pooling is empirical-Bayes beta-binomial: each tool's model-predicted success `pᵢ`
/// (from `nᵢ` training calls) is treated as `nᵢ` binomial trials, the tools' rates as draws from a
/// Beta(m·p̄, m·(1−p̄)) with p̄ the call-weighted mean of the `pᵢ` and `m` set by the method of
/// moments (`m = p̄(1−p̄)/τ² − 1`, τ² the between-tool variance left after the binomial noise
/// `p̄(1−p̄)/nᵢ`); the ranking uses the posterior mean `(nᵢpᵢ + m·p̄)/(nᵢ + m)`, so a tool called a
/// few times sits near the overall rate and never tops the list on luck.
public struct ToolRecommender {
    public var uncertainBelow = 30
    public init() {}

    /// - Parameters:
    ///   - task: the task type (a level of `task_type`; an unseen one is scored at the reference and said so).
    ///   - context: numeric feature values (`ctx_diagnostics: 1`); indicators not given count as 0
    ///     (not reported), continuous features not given are set to their training mean.
    public func recommend(_ model: ModelArtifact, task: String, context: [String: Double], top: Int) throws -> (tools: [ToolRecommendation], notes: [String]) {
        guard model.model == "tool_failure" else { throw ModelsError(.badInput, "tool recommendations read the tool_failure model, not \(model.model)") }
        guard let tools = model.encoding.categorical("tool_name") else {
            throw ModelsError(.cannotTrain, "the tool_failure champion (version \(model.version)) has no tool_name term (it was dropped: \(model.encoding.dropped.first { $0.term == "tool_name" }?.reason ?? "unknown")); retrain on data with several tools")
        }
        try Self.checkContext(keys: context.keys, model)
        try Self.checkTask(task, model)
        var notes: [String] = []
        var numbers = context
        for f in model.features where f.isNumeric && numbers[f.name] == nil {
            if f.role == .indicator { numbers[f.name] = 0 } else {
                let c = model.encoding.columns.first { $0.feature == f.name || $0.numeric == f.name }
                numbers[f.name] = c?.center ?? 0
                if c != nil { notes.append("\(f.name) not given: set to its training mean \(String(format: "%.3g", c?.center ?? 0))") }
            }
        }
        if let tasks = model.encoding.categorical("task_type"), tasks.scoredAtReference.contains(task) {
            notes.append("task '\(task)' is rare in training: scored at the reference task '\(tasks.reference)'")
        } else if model.encoding.categorical("task_type") == nil {
            let reason = model.encoding.dropped.first { $0.term == "task_type" }?.reason ?? "not a feature"
            notes.append("task_type is not in this model (\(reason)): the ranking does not depend on the task")
        }
        var scored: [(tool: String, p: Prediction, n: Int)] = []
        for (i, tool) in tools.levels.enumerated() {
            let p = try model.predict(FeatureValues(text: ["tool_name": tool, "task_type": task], numbers: numbers))
            scored.append((tool, p, tools.counts[i]))
        }
        let success = scored.map { 1 - $0.p.value }
        let n = scored.map { Double($0.n) }
        let total = n.reduce(0, +)
        let pbar = zip(success, n).reduce(0) { $0 + $1.0 * $1.1 } / total
        let spread = zip(success, n).reduce(0) { $0 + $1.1 * ($1.0 - pbar) * ($1.0 - pbar) } / total
        let noise = n.reduce(0) { $0 + pbar * (1 - pbar) / $1 } / Double(n.count)
        let tau2 = max(spread - noise, 1e-6)
        let m = max(pbar * (1 - pbar) / tau2 - 1, 0)
        notes.append("partial pooling: empirical-Bayes beta-binomial toward the overall rate \(String(format: "%.3f", pbar)) with prior weight m = \(String(format: "%.1f", m)) calls")
        let z = Normal().quantile(0.975)
        var out = scored.enumerated().map { i, s -> ToolRecommendation in
            let a = n[i] * success[i] + m * pbar, total = n[i] + m
            let mean = a / total
            let sd = (mean * (1 - mean) / (total + 1)).squareRoot()
            let own = !tools.scoredAtReference.contains(s.tool) && s.tool != tools.reference || s.tool == tools.reference
            let why = s.p.contributions.prefix(2).map { c in
                "\(c.feature): failure odds ×\(String(format: "%.2f", exp(c.value)))"
            }
            return ToolRecommendation(rank: 0, tool: s.tool, success: mean, confLow: max(0, mean - z * sd), confHigh: min(1, mean + z * sd),
                                      modelSuccess: success[i], modelConfLow: 1 - s.p.confHigh, modelConfHigh: 1 - s.p.confLow,
                                      calls: s.n, uncertain: s.n < uncertainBelow || !own,
                                      why: why.isEmpty ? ["at the reference levels (no term moves it)"] : Array(why))
        }
        out.sort { $0.success != $1.success ? $0.success > $1.success : $0.tool < $1.tool }
        out = out.prefix(max(top, 1)).enumerated().map { i, r in
            ToolRecommendation(rank: i + 1, tool: r.tool, success: r.success, confLow: r.confLow, confHigh: r.confHigh,
                               modelSuccess: r.modelSuccess, modelConfLow: r.modelConfLow, modelConfHigh: r.modelConfHigh,
                               calls: r.calls, uncertain: r.uncertain, why: r.why)
        }
        return (out, notes)
    }

    /// The `--context` keys `model` accepts: its numeric features (tool and task are not context).
    public static func contextFeatures(_ model: ModelArtifact) -> [String] {
        model.features.filter { $0.isNumeric && $0.name != "tool_name" && $0.name != "task_type" }.map(\.name)
    }

    /// Refuses a `--context` key that is no numeric feature of `model`, listing those that are.
    /// - Throws: ``ModelsError/Code/unknownName``.
    public static func checkContext<Keys: Sequence<String>>(keys: Keys, _ model: ModelArtifact) throws {
        let known = contextFeatures(model)
        if let bad = keys.sorted().first(where: { !known.contains($0) }) {
            throw ModelsError(.unknownName, "--context: '\(bad)' is not a context feature of tool_failure; the known keys are: \(known.joined(separator: ", "))")
        }
    }

    /// Refuses a task type the training data never had: the model knows nothing about it, and
    /// ranking at the reference task would answer a question that was not asked.
    /// - Throws: ``ModelsError/Code/unknownName`` listing the known task types.
    public static func checkTask(_ task: String, _ model: ModelArtifact) throws {
        guard let tasks = model.encoding.categorical("task_type"), !tasks.levels.contains(task) else { return }
        throw ModelsError(.unknownName, "--task: '\(task)' was never seen in the training data of tool_failure (version \(model.version)); the known task types are: \(tasks.levels.joined(separator: ", "))")
    }
}
