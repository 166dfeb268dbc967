import Analytics
import Foundation
import Statistics
import Store

/// The report's fairness section: per group rates (or means) with 95% intervals for each outcome
/// of ``FairnessReport`` (one interval chart per outcome), and every group-vs-reference contrast
/// raw and adjusted for the task mix with Benjamini–Hochberg q-values; a contrast significant
/// after adjustment is flagged. With one group, or no grouping the data offer, the section says why.
public enum FairnessSection {
    public static let id = "fairness"
    static let title = "Fairness across groups"

    /// Compares the outcomes by the default grouping (cohort tags when present, else task type);
    /// the classifier audit is left to `ail fairness report`.
    public static func read(_ connection: Connection, group: String? = nil, alpha: Double = 0.05) throws -> ReportSection {
        do {
            return make(try FairnessReport.make(connection, group: group, alpha: alpha, auditClassifiers: false))
        } catch let error as FairnessReportError {
            return ReportSection(id: id, title: title, intro: "No fairness comparison: \(error.description).")
        }
    }

    /// The section from a report already made.
    public static func make(_ report: FairnessReport) -> ReportSection {
        let compared = report.outcomes.filter { $0.comparison != nil }
        let skipped = report.outcomes.filter { $0.comparison == nil }.map { "\($0.name): \($0.skipped ?? "not compared")" }
        guard !compared.isEmpty else {
            return ReportSection(id: id, title: title,
                                 intro: "No outcome could be compared across groups by \(report.grouping.name) (\(report.grouping.source.rawValue)): "
                                    + skipped.joined(separator: "; ") + ".")
        }
        let charts = compared.map { o -> SVGChart in
            let d = o.comparison!
            let unit = d.kind == .binary ? "rate" : (o.name == "satisfaction" ? "stars" : o.name == "latency" ? "ms" : "")
            return IntervalBarChart(id: "fairness-\(o.name)", title: "\(o.description) by \(report.grouping.name) (95% interval)",
                                    bars: d.groups.map { .init(label: $0.group, value: $0.estimate, lower: $0.confLow, upper: $0.confHigh,
                                                               note: "n=\(ValueFormat.count($0.count))") },
                                    unit: unit).render()
        }
        var rows: [[String]] = [], flagged = 0
        for o in compared {
            let d = o.comparison!
            let scale = d.kind == .binary ? "log odds ratio" : "difference of means"
            for (k, c) in d.contrasts.enumerated() {
                let verdict = o.verdict(k, alpha: report.alpha)
                if verdict == .persists { flagged += 1 }
                rows.append([verdict == .persists ? "⚑ flagged" : "", o.name, "\(c.group) vs \(c.reference)",
                             String(format: d.kind == .binary ? "%+.3f" : "%+.3g", c.rawDifference), q(o.rawQ[k]),
                             String(format: "%+.3f [%+.3f, %+.3f]", c.adjusted.estimate, c.adjusted.confLow, c.adjusted.confHigh) + " " + scale,
                             q(o.adjustedQ[k]), verdict.rawValue])
            }
        }
        let intro = "Groups by \(report.grouping.name) (\(report.grouping.source.rawValue)). Per group: rate or mean with a 95% interval. "
            + "Each group against the largest: the raw difference, and the estimate adjusted for task mix (one regression pooled across task types, "
            + "standard errors clustered by developer), with Benjamini–Hochberg q-values over every contrast; flagged when the adjusted q ≤ \(report.alpha). "
            + "\(flagged) flagged disparit\(flagged == 1 ? "y" : "ies")."
            + (skipped.isEmpty ? "" : " Not compared: " + skipped.joined(separator: "; ") + ".")
        return ReportSection(id: id, title: title, intro: intro, charts: charts, tables: [HTMLTable(
            columns: ["", "outcome", "contrast", "raw difference", "raw q", "adjusted (95% CI)", "adjusted q", "reading"],
            rows: rows, numeric: [3, 4, 6])])
    }

    static func q(_ v: Double) -> String { v.isFinite ? String(format: "%.3g", v) : "—" }
}
