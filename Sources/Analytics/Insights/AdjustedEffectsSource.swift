import Foundation
import Statistics

/// Findings from the seed tables: effects of a tool, a context type, a generation type and a
/// language on tool-call success and code acceptance, and of failed tool calls and tool latency
/// on session success and satisfaction, each adjusted for task type, session length, time and
/// the other context types, with developer-clustered errors (``AdjustedEffect``), next to the raw
/// difference.
///
/// Hypotheses (one finding each):
/// - `tool_success`: a tool's calls against every other tool's calls.
/// - `tool_context_success`: within one tool, calls in sessions with a context type against
///   calls in sessions without it.
/// - `acceptance_generation_type`, `acceptance_language`: a level against the most common level,
///   in one model holding both factors and log(1 + lines).
/// - `session_outcome`: failed tool calls (per call) and mean tool latency (per second) on
///   session success (rated 4–5, logistic) and on the rating (linear), both exposures in one model.
///
/// A hypothesis needs at least `minimumGroup` rows on each side; one whose model cannot be fitted
/// (separation, a rank-deficient design) is skipped and counted in ``skipped``.
public struct AdjustedEffectsSource: FindingSource {
    public let name = "adjusted_effects"
    public var minimumGroup = 30

    public init() {}

    static let sessionConfounders = ["task type", "session length", "day", "other context types"]

    public func findings(in context: FindingContext) throws -> [Finding] {
        var out: [Finding] = []
        out += try toolFindings(EffectData.toolCalls(context))
        out += try acceptanceFindings(EffectData.generations(context))
        out += try sessionFindings(EffectData.sessions(context))
        return out
    }

    /// The adjusted model with session length in bins, else (separation) with the smooth form;
    /// nil when neither can be fitted. Every hypothesis whose model differs only in the column it
    /// tests reads its effect from this one fit (``AdjustedEffect/read``).
    private func adjustedModel(_ design: (Bool) -> DesignColumns, y: [Double], clusters: [Int],
                               kind: OutcomeKind) throws -> (FittedDesign, DesignColumns)? {
        for smooth in [false, true] {
            let d = design(smooth)
            if let fit = try attempt({ try FittedDesign(y: y, design: d, clusters: clusters, kind: kind) }) { return (fit, d) }
        }
        return nil
    }

    /// Fits, or nil when the model cannot be fitted to these rows (too few, separated, aliased).
    private func attempt<T>(_ body: () throws -> T) rethrows -> T? {
        do { return try body() } catch let error as NumericsError {
            if ProcessInfo.processInfo.environment["AIL_INSIGHTS_DEBUG"] != nil { FileHandle.standardError.write(Data("skipped: \(error)\n".utf8)) }
            return nil
        }
    }

    // MARK: tools

    func toolFindings(_ d: EffectData.ToolCalls) throws -> [Finding] {
        var out: [Finding] = []
        let all = Array(d.success.indices)
        let clusters = d.session.developer
        // every tool's model holds the same confounders over the same rows: built once
        let binned = DesignColumns.sessionConfounders(d.session, rows: all, smooth: false)
        lazy var smoothed = DesignColumns.sessionConfounders(d.session, rows: all, smooth: true)
        for (toolCode, tool) in d.toolLevels.enumerated() {
            let exposure = d.tool.map { $0 == toolCode ? 1.0 : 0.0 }
            let calls = Int(exposure.reduce(0, +))
            guard calls >= minimumGroup, d.success.count - calls >= minimumGroup else { continue }
            guard let (fit, design) = try adjustedModel({ smooth in
                    var design = DesignColumns()
                    design.add("tool=\(tool)", exposure)
                    design.append(smooth ? smoothed : binned)
                    return design
                  }, y: d.success, clusters: clusters, kind: .binary),
                  let raw = try attempt({ try AdjustedEffect.raw(y: d.success, exposure: exposure, binaryExposure: true,
                                                           clusters: clusters, kind: .binary, scale: "probability") })
            else { continue }
            let adjusted = AdjustedEffect.read(fit, design: design, target: 0, binaryExposure: true, scale: "probability")
            let rate = mean(d.success, where: exposure, 1), other = mean(d.success, where: exposure, 0)
            out.append(Finding(
                source: name, kind: "tool_success", category: .performance, subject: ["tool_name": tool],
                metric: "tool_call_success", effect: adjusted.effect, pValue: adjusted.pValue,
                rawEffect: raw.effect.estimate, rawPValue: raw.pValue, volume: calls,
                impact: Double(calls) * abs(adjusted.effect.estimate),
                subjectText: "\(tool) calls", comparisonText: "calls of other tools",
                actionIfHigher: "\(tool) succeeds more often than other tools in comparable sessions; prefer it where it can do the same job.",
                actionIfLower: "Investigate \(tool)'s failures (their error types in tool_usage_analytics) and fix or replace the failing calls: it fails more often than other tools in comparable sessions.",
                method: Self.method(.binary, adjusted), adjustedFor: Self.sessionConfounders,
                numbers: ["success_rate": rate, "other_success_rate": other, "calls": Double(calls),
                          "log_odds_ratio": adjusted.coefficient, "std_error": adjusted.standardError,
                          "clusters": Double(adjusted.clusters), "nobs": Double(adjusted.nobs)]))
            out += try contextFindings(d, tool: tool, code: toolCode)
        }
        return out
    }

    func contextFindings(_ d: EffectData.ToolCalls, tool: String, code: Int) throws -> [Finding] {
        var out: [Finding] = []
        let rows = d.tool.indices.filter { d.tool[$0] == code }
        let y = rows.map { d.success[$0] }
        let clusters = rows.map { d.session.developer[$0] }
        // the confounders of every context type's model: these rows' ones, less that type's column
        let binned = DesignColumns.sessionConfounders(d.session, rows: rows, smooth: false)
        lazy var smoothed = DesignColumns.sessionConfounders(d.session, rows: rows, smooth: true)
        for (k, type) in EffectData.contextTypes.enumerated() {
            let exposure = rows.map { d.session.context[k][$0] }
            let with = Int(exposure.reduce(0, +))
            guard with >= minimumGroup, rows.count - with >= minimumGroup else { continue }
            guard let (fit, design) = try adjustedModel({ smooth in
                    var design = DesignColumns()
                    design.add("context=\(type)", exposure)
                    design.append((smooth ? smoothed : binned).removing("context=\(type)"))
                    return design
                  }, y: y, clusters: clusters, kind: .binary),
                  let raw = try attempt({ try AdjustedEffect.raw(y: y, exposure: exposure, binaryExposure: true,
                                                           clusters: clusters, kind: .binary, scale: "probability") })
            else { continue }
            let adjusted = AdjustedEffect.read(fit, design: design, target: 0, binaryExposure: true, scale: "probability")
            let rateWith = mean(y, where: exposure, 1), rateWithout = mean(y, where: exposure, 0)
            // the calls that would gain: those in the worse group
            let affected = adjusted.effect.estimate >= 0 ? rows.count - with : with
            out.append(Finding(
                source: name, kind: "tool_context_success", category: .performance,
                subject: ["tool_name": tool, "context_type": type], metric: "tool_call_success",
                effect: adjusted.effect, pValue: adjusted.pValue, rawEffect: raw.effect.estimate, rawPValue: raw.pValue,
                volume: affected, impact: Double(affected) * abs(adjusted.effect.estimate),
                subjectText: "\(tool) calls in sessions with \(type) context", comparisonText: "\(tool) calls without it",
                actionIfHigher: "Give \(tool) \(type) context: its calls succeed more often when the session reports it.",
                actionIfLower: "Check what \(type) context does to \(tool): its calls fail more often when the session reports it.",
                method: Self.method(.binary, adjusted), adjustedFor: ["task type", "session length", "day", "other context types"],
                numbers: ["success_rate_with": rateWith, "success_rate_without": rateWithout, "calls_with": Double(with),
                          "calls_without": Double(rows.count - with), "log_odds_ratio": adjusted.coefficient,
                          "std_error": adjusted.standardError, "clusters": Double(adjusted.clusters)]))
        }
        return out
    }

    // MARK: code acceptance

    func acceptanceFindings(_ d: EffectData.Generations) throws -> [Finding] {
        let n = d.accepted.count
        guard n >= 2 * minimumGroup else { return [] }
        let all = Array(0..<n)
        func build(_ smooth: Bool) -> DesignColumns {
            var design = DesignColumns()
            design.addDummies("generation_type", codes: d.type, levels: d.typeLevels, minimum: minimumGroup)
            design.addDummies("language", codes: d.language, levels: d.languageLevels, minimum: minimumGroup)
            design.add("log_lines", d.logLines)
            design.addSessionConfounders(d.session, rows: all, smooth: smooth)
            return design
        }
        let design = build(false)
        let typeColumns = design.names.indices.filter { design.names[$0].hasPrefix("generation_type=") }
        let languageColumns = design.names.indices.filter { design.names[$0].hasPrefix("language=") }
        // one model holds both factors: fitted once, every level's effect read from it
        guard !(typeColumns.isEmpty && languageColumns.isEmpty) else { return [] }
        guard let (fit, fitted) = try adjustedModel(build, y: d.accepted, clusters: d.session.developer, kind: .binary) else { return [] }
        var out: [Finding] = []
        for (factor, columns, codes, levels, kind, noun) in [
            ("generation_type", typeColumns, d.type, d.typeLevels, "acceptance_generation_type", "generated"),
            ("language", languageColumns, d.language, d.languageLevels, "acceptance_language", "generated"),
        ] {
            var counts = [Int](repeating: 0, count: levels.count)
            for c in codes where c >= 0 { counts[c] += 1 }
            let reference = counts.indices.max { counts[$0] < counts[$1] } ?? 0
            for column in columns {
                let level = String(design.names[column].dropFirst(factor.count + 1))
                guard let code = levels.firstIndex(of: level) else { continue }
                let adjusted = AdjustedEffect.read(fit, design: fitted, target: column, factorColumns: columns,
                                                   binaryExposure: true, scale: "probability")
                let pair = all.filter { codes[$0] == code || codes[$0] == reference }
                let exposure = pair.map { codes[$0] == code ? 1.0 : 0.0 }
                let y = pair.map { d.accepted[$0] }
                let raw = try attempt({ try AdjustedEffect.raw(y: y, exposure: exposure, binaryExposure: true,
                                                          clusters: pair.map { d.session.developer[$0] }, kind: .binary, scale: "probability") })
                let what = factor == "language" ? "\(level) code" : "generated \(level) code"
                let ref = factor == "language" ? "\(levels[reference]) code" : "generated \(levels[reference]) code"
                _ = noun
                out.append(Finding(
                    source: name, kind: kind, category: .learning, subject: [factor: level], metric: "code_acceptance",
                    effect: adjusted.effect, pValue: adjusted.pValue, rawEffect: raw?.effect.estimate, rawPValue: raw?.pValue,
                    volume: counts[code], impact: Double(counts[code]) * abs(adjusted.effect.estimate),
                    subjectText: what, comparisonText: ref,
                    actionIfHigher: "Learn from \(what): it is accepted more often than \(ref); reuse its prompts and conventions.",
                    actionIfLower: "Review how \(what) is produced (prompts, templates, context given): it is rejected more often than \(ref).",
                    method: Self.method(.binary, adjusted),
                    adjustedFor: [factor == "language" ? "generation type" : "language", "size (log lines)"] + Self.sessionConfounders,
                    numbers: ["acceptance_rate": mean(y, where: exposure, 1), "reference_acceptance_rate": mean(y, where: exposure, 0),
                              "generations": Double(counts[code]), "log_odds_ratio": adjusted.coefficient,
                              "std_error": adjusted.standardError, "clusters": Double(adjusted.clusters)]))
            }
        }
        return out
    }

    // MARK: sessions

    func sessionFindings(_ d: EffectData.Sessions) throws -> [Finding] {
        let n = d.rating.count
        guard n >= 2 * minimumGroup else { return [] }
        let all = Array(0..<n)
        func design(_ smooth: Bool) -> DesignColumns {
            var design = DesignColumns()
            design.add("failed_tool_calls", d.failures)
            design.add("mean_tool_latency_seconds", d.meanLatencySeconds)
            design.addSessionConfounders(d.session, rows: all, smooth: smooth)
            return design
        }
        let success = d.rating.map { $0 >= 4 ? 1.0 : 0.0 }
        var out: [Finding] = []
        let exposures: [(column: Int, measure: String, text: String, unit: String, values: [Double])] = [
            (0, "failed_tool_calls", "sessions with more failed tool calls", "failed tool call", d.failures),
            (1, "mean_tool_latency_seconds", "sessions with slower tool calls", "second of mean tool latency", d.meanLatencySeconds),
        ]
        for (metric, y, kind, scale) in [("session_success", success, OutcomeKind.binary, "probability"),
                                         ("satisfaction", d.rating, OutcomeKind.rating, "rating points")] {
            // both exposures are in one model: fitted once per outcome
            guard let (fit, fitted) = try adjustedModel(design, y: y, clusters: d.session.developer, kind: kind) else { continue }
            for e in exposures {
                let unitScale = "\(scale) per \(e.unit)"
                let adjusted = AdjustedEffect.read(fit, design: fitted, target: e.column, binaryExposure: false, scale: unitScale)
                let raw = try attempt({ try AdjustedEffect.raw(y: y, exposure: e.values, binaryExposure: false,
                                                          clusters: d.session.developer, kind: kind, scale: unitScale) })
                let total = e.values.reduce(0, +)
                let perOutcome = kind == .rating ? 0.25 : 1.0
                let affected = e.values.filter { $0 > 0 }.count
                out.append(Finding(
                    source: name, kind: "session_outcome", category: .userExperience, subject: ["session_measure": e.measure],
                    metric: metric, effect: adjusted.effect, pValue: adjusted.pValue, rawEffect: raw?.effect.estimate,
                    rawPValue: raw?.pValue, volume: affected, impact: total * abs(adjusted.effect.estimate) * perOutcome,
                    subjectText: e.text, comparisonText: "comparable sessions with fewer",
                    actionIfHigher: "More \(e.unit)s go with better sessions here; look for what else changes with them before acting.",
                    actionIfLower: e.column == 0
                        ? "Reduce failed tool calls: each one costs session outcomes even in sessions of the same length and task."
                        : "Make tool calls faster: slower calls cost session outcomes even in sessions of the same length and task.",
                    method: Self.method(kind, adjusted),
                    adjustedFor: [e.column == 0 ? "mean tool latency" : "failed tool calls"] + Self.sessionConfounders,
                    numbers: ["sessions": Double(n), "coefficient": adjusted.coefficient, "std_error": adjusted.standardError,
                              "clusters": Double(adjusted.clusters), "mean_exposure": total / Double(n)]))
            }
        }
        return out
    }

    static func method(_ kind: OutcomeKind, _ e: AdjustedEffect) -> String {
        (kind == .binary ? "logistic regression, average marginal effect" : "linear regression")
            + "; cluster-robust (CR1) standard errors by developer (\(e.clusters) clusters), t test with \(max(1, e.clusters - 1)) df"
    }

    private func mean(_ y: [Double], where exposure: [Double], _ value: Double) -> Double {
        var s = 0.0, c = 0.0
        for i in y.indices where exposure[i] == value { s += y[i]; c += 1 }
        return c > 0 ? s / c : .nan
    }
}
