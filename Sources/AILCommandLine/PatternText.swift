import Analytics
import Foundation

/// The text form of a pattern run: the size of the test family, the top discoveries with their
/// statistics, the strongest rules and the most frequent error templates.
enum PatternText {
    static func render(_ r: PatternAnalysisResult, top: Int) -> String {
        func f(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "-" }
        func p(_ x: Double?) -> String { x.map { $0 < 1e-4 ? String(format: "%.1e", $0) : String(format: "%.4f", $0) } ?? "-" }
        var lines: [String] = []
        let run = r.runID.map { "run \($0): " } ?? ""
        lines.append("\(run)\(r.sessions) sessions; \(r.testsCount) tests, \(r.discoveries) discoveries at q <= \(f(r.fdr, 2)) (Benjamini-Hochberg)")
        let units = r.unitsByOutcome.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("units: \(units)")
        let tests = r.rankedTests.filter { $0.significant == true }.prefix(top)
        if !tests.isEmpty {
            lines.append("")
            lines.append("top findings (rate with vs without, difference [95% CI], q):")
            for t in tests {
                if t.kind == "error_trend" {
                    lines.append("  error trend  \(t.pattern.joined())  slope \(f(t.effect, 4))/day [\(f(t.confLow, 4)), \(f(t.confHigh, 4))]  q \(p(t.qValue))")
                } else {
                    let pattern = t.kind == "sequence" ? t.pattern.joined(separator: " -> ") : t.pattern.joined(separator: " & ")
                    lines.append("  \(t.outcome ?? "")  \(t.kind == "sequence" ? "seq " : "")\(pattern)  \(f(t.rateWith)) vs \(f(t.rateWithout)), \(t.effect.map { String(format: "%+.3f", $0) } ?? "-") [\(f(t.confLow)), \(f(t.confHigh))]  n=\(t.nWith ?? 0)/\(t.n)  q \(p(t.qValue))")
                }
            }
        }
        let rules = r.findings.filter { $0.kind == "rule" }.prefix(min(top, 5))
        if !rules.isEmpty {
            lines.append("")
            lines.append("strongest rules (support, confidence, lift):")
            for rule in rules {
                lines.append("  \(rule.pattern.joined(separator: " & ")) -> \((rule.consequent ?? []).joined(separator: " & "))  \(f(rule.support)) \(f(rule.rateWith)) \(f(rule.effect, 2))")
            }
        }
        if !r.errorTemplates.isEmpty {
            lines.append("")
            lines.append("error templates (count, trend per day, q):")
            for t in r.errorTemplates.prefix(min(top, 5)) {
                lines.append("  \(t.totalCount)  \(t.template)  \(f(t.trendSlope, 4)) q \(p(t.trendQValue))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
