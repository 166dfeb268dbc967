import Foundation
import Store

/// Findings from the latest pattern run (`ail learning analyze-patterns`, tables of migration 022):
/// its contrast patterns, sequential patterns and error-template trends, with the p-values the
/// run computed (Fisher exact tests, Poisson trend tests). The run's own q-values are ignored: the
/// p-values join the insights run's single Benjamini–Hochberg family. Nothing is re-mined; when no
/// pattern run is stored the source yields nothing (``lastNote`` says so).
///
/// Subjects: `tool_success:NAME` contrasts become `{"tool_name": NAME, ITEM...}` on
/// `tool_call_success`; items `context=X`, `tool=X`, `generation_type=X` become `context_type`,
/// `tool_name`, `generation_type` keys. A sequence becomes `{"tool_sequence": "a > b"}`; an error
/// template `{"error_template": T}` (plus `tool_name` when the trend is for one tool) on `error_rate`.
public struct PatternFindingSource: FindingSource {
    public let name = "patterns"

    public init() {}

    public func findings(in context: FindingContext) throws -> [Finding] {
        let c = context.connection
        guard let runID = try c.execute("SELECT max(run_id) FROM pattern_runs").first?.value(0, as: Int.self) else {
            Self.note("patterns: no pattern run stored (run `ail learning analyze-patterns` first); no pattern findings")
            return []
        }
        let rows = try c.execute("""
            SELECT kind, coalesce(outcome, ''), array_to_json(pattern)::text, n, coalesce(n_with, 0), rate_with, rate_without,
                   effect, coalesce(effect_measure, ''), conf_low, conf_high, p_value, method
              FROM pattern_findings
             WHERE run_id = $1 AND kind IN ('contrast', 'sequence', 'error_trend') AND p_value IS NOT NULL AND effect IS NOT NULL
             ORDER BY id
            """, [.int(runID)])
        var out: [Finding] = []
        for row in rows {
            guard let kind = row.text(0), let outcome = row.text(1), let patternJSON = row.text(2),
                  let pattern = try? JSONDecoder().decode([String].self, from: Data(patternJSON.utf8)),
                  let n = try row.value(3, as: Int.self), let nWith = try row.value(4, as: Int.self),
                  let effect = try row.value(7, as: Double.self), let p = try row.value(11, as: Double.self) else { continue }
            let measure = row.text(8) ?? ""
            let low = try row.value(9, as: Double.self) ?? effect, high = try row.value(10, as: Double.self) ?? effect
            let rateWith = try row.value(5, as: Double.self), rateWithout = try row.value(6, as: Double.self)
            let method = "pattern run \(runID): \(row.text(12) ?? "") (\(measure))"
            var numbers: [String: Double] = ["pattern_run": Double(runID), "units": Double(n), "units_with": Double(nWith)]
            if let r = rateWith { numbers["rate_with"] = r }
            if let r = rateWithout { numbers["rate_without"] = r }
            switch kind {
            case "error_trend":
                guard let template = pattern.first else { continue }
                var subject = ["error_template": template]
                if outcome != "all" && !outcome.isEmpty { subject["tool_name"] = outcome }
                out.append(Finding(
                    source: name, kind: "error_template_trend", category: .performance, subject: subject, metric: "error_rate",
                    effect: EffectEstimate(estimate: effect, confLow: low, confHigh: high, scale: "log rate per day"),
                    pValue: p, rawEffect: nil, rawPValue: nil, volume: nWith,
                    // occurrences × relative change per day: errors added (or removed) per day at the current trend
                    impact: Double(nWith) * abs(expm1(effect)),
                    subjectText: "errors matching \"\(template)\"", comparisonText: "a constant rate over the window",
                    actionIfHigher: "This error is on the rise; find its cause (examples in error_templates) before it spreads.",
                    actionIfLower: "This error is becoming rarer; check which change fixed it and apply it elsewhere.",
                    method: method, adjustedFor: ["calls per day"], numbers: numbers))
            case "contrast", "sequence":
                let (subject, metric, unitWords) = Self.subject(kind: kind, outcome: outcome, pattern: pattern)
                let words = subject.keys.sorted().map { "\($0)=\(subject[$0]!)" }.joined(separator: ", ")
                // A `key:value` session tag (cohort:NAME) marks who the developers are, not something
                // they do: its contrast is a group difference, to be read beside the task-mix-adjusted
                // figure of the fairness report, never "encouraged".
                let groupKey = kind == "contrast" ? Self.groupTagKey(pattern) : nil
                let category: InsightCategory = groupKey != nil ? .fairness
                    : kind == "contrast" && metric == "tool_call_success" ? .performance : .learning
                let groupAction = groupKey.map { "This is a raw difference between groups of developers; see `ail fairness report --group \($0)` for the figure adjusted for what each group works on before acting on it." }
                out.append(Finding(
                    source: name, kind: kind == "contrast" ? "pattern_contrast" : "pattern_sequence",
                    category: category,
                    subject: subject, metric: metric,
                    effect: EffectEstimate(estimate: effect, confLow: low, confHigh: high, scale: "probability"),
                    pValue: p, rawEffect: nil, rawPValue: nil, volume: nWith, impact: Double(nWith) * abs(effect),
                    subjectText: "\(unitWords) with \(words)", comparisonText: "\(unitWords) without it",
                    actionIfHigher: groupAction ?? "\(words) goes with better \(InsightText.metricWords(metric)); encourage it where it applies.",
                    actionIfLower: groupAction ?? "\(words) goes with worse \(InsightText.metricWords(metric)); look at these \(unitWords) and avoid or fix the pattern.",
                    method: method, adjustedFor: [], numbers: numbers))
            default: continue
            }
        }
        if out.isEmpty { Self.note("patterns: pattern run \(runID) holds no tested contrast, sequence or trend") }
        return out
    }

    /// The attribute key of a contrast on a `key:value` session tag (`tag=cohort:product` → `cohort`),
    /// nil for any other pattern.
    public static func groupTagKey(_ pattern: [String]) -> String? {
        for item in pattern where item.hasPrefix("tag=") {
            let tag = item.dropFirst("tag=".count)
            if let colon = tag.firstIndex(of: ":"), colon != tag.startIndex { return String(tag[..<colon]) }
        }
        return nil
    }

    /// Subject, metric and unit words of a contrast or sequence.
    static func subject(kind: String, outcome: String, pattern: [String]) -> ([String: String], String, String) {
        var subject: [String: String] = [:]
        var metric = outcome, units = "sessions"
        if outcome.hasPrefix("tool_success:") {
            subject["tool_name"] = String(outcome.dropFirst("tool_success:".count))
            metric = "tool_call_success"; units = "calls"
        } else if outcome == "code_accepted" {
            metric = "code_acceptance"; units = "generations"
        }
        if kind == "sequence" {
            subject["tool_sequence"] = pattern.joined(separator: " > ")
        } else {
            for item in pattern {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { subject["item"] = item; continue }
                let key = ["context": "context_type", "tool": "tool_name"][parts[0]] ?? parts[0]
                subject[key] = subject[key].map { "\($0)+\(parts[1])" } ?? parts[1]
            }
        }
        return (subject, metric, units)
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}
