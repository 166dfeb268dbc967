import Foundation

extension Dashboard {
    /// The one-screen text view.
    public func text(width: Int = 100) -> String {
        var out: [String] = []
        let previous = window.previous
        out.append("AI performance dashboard — \(window.startText) to \(window.lastText) (\(window.days) days, UTC), "
                   + "compared with \(previous.startText) to \(previous.lastText)")
        out.append("")
        out.append(pad("KPI", 22) + pad("current", 14, right: true) + pad("previous", 14, right: true) + pad("change", 12, right: true) + "  ")
        for kpi in kpis {
            out.append(pad(kpi.label, 22) + pad(ValueFormat.value(kpi.current, unit: kpi.unit), 14, right: true)
                       + pad(ValueFormat.value(kpi.previous, unit: kpi.unit), 14, right: true)
                       + pad(ValueFormat.change(kpi), 12, right: true) + "  " + ValueFormat.verdict(kpi))
        }
        out.append("")
        out.append("Satisfaction trend (mean stars per day): " + Sparkline.text(daily.map(\.satisfaction)))
        out.append("Tool failure rate per day:               " + Sparkline.text(daily.map(\.toolFailureRate)))
        out.append("")
        out.append("Tool effectiveness (ranked by the lower 95% Wilson bound of the success rate)")
        out.append(pad("rank", 5, right: true) + "  " + pad("tool", 20) + pad("calls", 9, right: true) + pad("success", 10, right: true)
                   + pad("95% interval", 18, right: true) + pad("median ms", 11, right: true))
        for tool in tools.prefix(12) {
            out.append(pad("\(tool.rank)", 5, right: true) + "  " + pad(tool.toolName, 20) + pad(ValueFormat.count(tool.calls), 9, right: true)
                       + pad(ValueFormat.value(tool.successRate, unit: "rate"), 10, right: true)
                       + pad(interval(tool.interval.lower, tool.interval.upper), 18, right: true)
                       + pad(ValueFormat.value(tool.medianTimeMs, unit: "ms"), 11, right: true))
        }
        if tools.count > 12 { out.append("  … \(tools.count - 12) more (--format json lists all)") }
        if tools.isEmpty { out.append("  no tool calls in this window") }
        out.append("")
        out.append("Code generation quality (acceptance among decided generations)")
        out.append(pad("type", 11) + pad("language", 16) + pad("generated", 11, right: true) + pad("decided", 9, right: true)
                   + pad("accepted", 10, right: true) + pad("95% interval", 18, right: true))
        for group in codeGeneration.prefix(12) {
            out.append(pad(group.generationType, 11) + pad(group.language, 16) + pad(ValueFormat.count(group.generations), 11, right: true)
                       + pad(ValueFormat.count(group.decided), 9, right: true)
                       + pad(ValueFormat.value(group.acceptanceRate, unit: "rate"), 10, right: true)
                       + pad(group.decided > 0 ? interval(group.interval.lower, group.interval.upper) : "—", 18, right: true))
        }
        if codeGeneration.count > 12 { out.append("  … \(codeGeneration.count - 12) more (--format json lists all)") }
        if codeGeneration.isEmpty { out.append("  no code generations in this window") }
        if !insights.isEmpty {
            out.append("")
            out.append("Top insights (ai_performance_insights)")
            for insight in insights {
                out.append("  \(insight.rank.map { "#\($0)" } ?? "–") [\(insight.category)] \(oneLine(insight.title))"
                           + String(format: "  (confidence %.2f)", insight.confidence))
                if let action = insight.recommendedAction, !action.isEmpty { out.append("      → \(oneLine(action))") }
            }
        }
        if !alerts.isEmpty {
            out.append("")
            out.append("Active alerts")
            for alert in alerts {
                out.append("  [\(alert.severity ?? "alert")] \(oneLine(alert.title))"
                           + (alert.subject.map { " — \(oneLine($0))" } ?? "") + (alert.raisedAt.map { " (since \($0) UTC)" } ?? ""))
            }
        }
        return out.joined(separator: "\n")
    }

    private func interval(_ low: Double, _ high: Double) -> String {
        guard low.isFinite, high.isFinite else { return "—" }
        return String(format: "[%.1f, %.1f]%%", low * 100, high * 100)
    }
}

/// Text padded (or cut with "…") to `width` characters.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let text = oneLine(text)
    let cut = text.count > width ? String(text.prefix(max(width - 1, 0))) + "…" : text
    let fill = String(repeating: " ", count: max(width - cut.count, 0))
    return right ? fill + cut : cut + fill
}

/// Stored text on one terminal line: control characters (including escape sequences a stored
/// tool name could carry) become spaces.
func oneLine(_ text: String) -> String {
    String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
}
