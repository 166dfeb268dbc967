import Foundation

/// Title, description and recommended action of an insight, in plain words.
struct InsightText {
    let title: String
    let description: String
    let action: String

    init(finding f: Finding, direction: EffectDirection, pValue: Double, qValue: Double) {
        let metric = Self.metricWords(f.metric)
        let adjusted = f.adjustedFor.isEmpty ? "nothing" : f.adjustedFor.joined(separator: ", ")
        let interval = "95% CI \(Self.amount(f.effect.confLow, f.effect.scale)) to \(Self.amount(f.effect.confHigh, f.effect.scale))"
        let raw = f.rawEffect.map { Self.signed($0, f.effect.scale) } ?? "not computed"
        switch direction {
        case .none:
            title = "\(f.subjectText): the raw \(metric) difference vanishes after adjustment"
            description = "Unadjusted, \(f.subjectText) differ from \(f.comparisonText) in \(metric) by \(raw)"
                + (f.rawPValue.map { " (p = \(Self.p($0)))" } ?? "")
                + ", but adjusted for \(adjusted) the effect is \(Self.signed(f.effect.estimate, f.effect.scale)) (\(interval), p = \(Self.p(pValue)), q = \(Self.p(qValue))): no evidence of an effect of its own."
            action = "Do not act on \(f.subjectText) for \(metric): the raw difference is explained by \(adjusted)."
        case .higher, .lower:
            let word = direction == .higher ? "higher" : "lower"
            title = "\(f.subjectText): \(metric) \(word) by \(Self.amount(abs(f.effect.estimate), f.effect.scale))"
            description = "Adjusted for \(adjusted), \(f.subjectText) have \(word) \(metric) than \(f.comparisonText): "
                + "\(Self.signed(f.effect.estimate, f.effect.scale)) (\(interval), p = \(Self.p(pValue)), q = \(Self.p(qValue)))"
                + "; raw difference \(raw); \(f.volume) affected in the window."
            action = direction == .higher ? f.actionIfHigher : f.actionIfLower
        }
    }

    static func metricWords(_ metric: String) -> String {
        switch metric {
        case "tool_call_success": return "tool-call success"
        case "code_acceptance": return "code acceptance"
        case "session_success": return "session success (rated 4-5)"
        case "satisfaction": return "satisfaction rating"
        case "satisfied": return "satisfaction (a rating of 4 or 5)"
        default: return metric.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// `0.041` on scale `probability per failed tool call` → `4.1 percentage points per failed tool call`.
    static func amount(_ value: Double, _ scale: String) -> String {
        if scale.hasPrefix("probability") {
            return String(format: "%.1f percentage points", value * 100) + scale.dropFirst("probability".count)
        }
        return String(format: "%.2f ", value) + scale
    }

    static func signed(_ value: Double, _ scale: String) -> String {
        (value >= 0 ? "+" : "-") + amount(abs(value), scale)
    }

    static func p(_ value: Double) -> String {
        value < 1e-4 ? String(format: "%.1e", value) : String(format: "%.4f", value)
    }
}
