import Analytics
import Foundation
import Statistics

/// What `ail fairness report` prints (broom's names for estimates).
struct FairnessDatabaseReport: Encodable {
    struct Level: Encodable {
        var group: String, n: Int, developers: Int
        var estimate: Double? = nil
        var confLow: Double? = nil
        var confHigh: Double? = nil
        enum CodingKeys: String, CodingKey { case group, n, developers, estimate, confLow = "conf_low", confHigh = "conf_high" }
    }
    struct Estimate: Encodable {
        var estimate: Double? = nil
        var stdError: Double? = nil
        var confLow: Double? = nil
        var confHigh: Double? = nil
        var pValue: Double? = nil
        var qValue: Double? = nil
        enum CodingKeys: String, CodingKey {
            case estimate, stdError = "std_error", confLow = "conf_low", confHigh = "conf_high", pValue = "p_value", qValue = "q_value"
        }
        init(_ t: TermEstimate, q: Double) {
            estimate = finite(t.estimate); stdError = finite(t.stdError); confLow = finite(t.confLow); confHigh = finite(t.confHigh)
            pValue = finite(t.pValue); qValue = finite(q)
        }
    }
    struct Contrast: Encodable {
        var group: String, reference: String
        var rawDifference: Double?
        var raw: Estimate, adjusted: Estimate
        var verdict: String
        enum CodingKeys: String, CodingKey { case group, reference, raw, adjusted, verdict, rawDifference = "raw_difference" }
    }
    struct Outcome: Encodable {
        var outcome: String, description: String
        var kind: String? = nil
        var scale: String? = nil
        var nobs: Int? = nil
        var developers: Int? = nil
        var rowsWithoutGroup: Int
        var adjustedFor: [String]?
        var groups: [Level]?
        var contrasts: [Contrast]?
        var skipped: String?
        var rowsPerfectlyPredicted: Int?
        enum CodingKeys: String, CodingKey {
            case outcome, description, kind, scale, nobs, developers, groups, contrasts, skipped
            case rowsWithoutGroup = "rows_without_group", adjustedFor = "adjusted_for", rowsPerfectlyPredicted = "rows_perfectly_predicted"
        }
    }
    struct Classifier: Encodable {
        var name: String, description: String
        var source: String? = nil
        var features: [String]? = nil
        var trainRows: Int? = nil
        var testRows: Int? = nil
        var heldOutFrom: String? = nil
        var heldOutAUC: Double? = nil
        var threshold: Double? = nil
        var fairness: FairnessAuditReport?
        var skipped: String?
        enum CodingKeys: String, CodingKey {
            case name, description, source, features, threshold, fairness, skipped
            case trainRows = "train_rows", testRows = "test_rows", heldOutFrom = "held_out_from", heldOutAUC = "held_out_auc"
        }
    }

    var group: String
    var groupSource: String
    var since: String?
    var fdr: Double
    var outcomes: [Outcome]
    var classifiers: [Classifier]

    enum CodingKeys: String, CodingKey { case group, since, fdr, outcomes, classifiers, groupSource = "group_source" }

    init(_ report: FairnessReport) {
        group = report.grouping.name
        groupSource = report.grouping.source.rawValue
        since = report.since
        fdr = report.alpha
        outcomes = report.outcomes.map { o in
            guard let c = o.comparison else {
                return Outcome(outcome: o.name, description: o.description, rowsWithoutGroup: o.rowsWithoutGroup, adjustedFor: nil, groups: nil,
                               contrasts: nil, skipped: o.skipped, rowsPerfectlyPredicted: nil)
            }
            return Outcome(
                outcome: o.name, description: o.description, kind: c.kind.rawValue,
                scale: c.kind == .binary ? "log odds ratio vs reference" : "difference of means vs reference",
                nobs: c.nobs, developers: c.clusterCount, rowsWithoutGroup: o.rowsWithoutGroup,
                adjustedFor: c.covariates.map(\.name),
                groups: c.groups.map { Level(group: $0.group, n: $0.count, developers: $0.clusters, estimate: finite($0.estimate),
                                             confLow: finite($0.confLow), confHigh: finite($0.confHigh)) },
                contrasts: c.contrasts.enumerated().map { k, x in
                    Contrast(group: x.group, reference: x.reference, rawDifference: finite(x.rawDifference),
                             raw: Estimate(x.raw, q: o.rawQ[k]), adjusted: Estimate(x.adjusted, q: o.adjustedQ[k]),
                             verdict: o.verdict(k, alpha: report.alpha).rawValue)
                }, skipped: nil, rowsPerfectlyPredicted: c.rowsPerfectlyPredicted)
        }
        classifiers = report.classifiers.map { result in
            switch result {
            case .success(let a):
                return Classifier(name: a.name, description: a.description, source: "in-process logistic, time split", features: a.features,
                                  trainRows: a.trainRows, testRows: a.testRows, heldOutFrom: a.splitAt, heldOutAUC: finite(a.heldOutAUC),
                                  threshold: a.threshold, fairness: FairnessAuditReport(a.audit, rows: a.testRows, skipped: 0))
            case .failure(let e):
                return Classifier(name: "", description: "", skipped: e.description)
            }
        }
    }

    var text: String {
        var lines = ["Fairness report by \(group) (\(groupSource))" + (since.map { ", sessions since \($0)" } ?? "")
                     + "; significance at FDR \(short(fdr)) (Benjamini–Hochberg over all contrasts); SEs clustered by developer", ""]
        for o in outcomes {
            guard let groups = o.groups, let contrasts = o.contrasts else {
                lines.append("\(o.outcome): skipped (\(o.skipped ?? ""))"); lines.append(""); continue
            }
            lines.append("\(o.outcome) — \(o.description); \(o.nobs ?? 0) rows, \(o.developers ?? 0) developers; adjusted for \((o.adjustedFor ?? []).joined(separator: ", "))")
            for g in groups {
                lines.append("  " + g.group.padded(22) + String(g.n).rightAligned(7) + "  " + short(g.estimate).rightAligned(9)
                             + "  [\(short(g.confLow)), \(short(g.confHigh))]")
            }
            lines.append("  " + "vs reference".padded(22) + "raw diff".rightAligned(11) + "raw est".rightAligned(11) + "q".rightAligned(11)
                         + "adj est".rightAligned(11) + "q".rightAligned(11) + "  (\(o.scale ?? ""))")
            for c in contrasts {
                lines.append("  " + "\(c.group) vs \(c.reference)".padded(22) + short(c.rawDifference).rightAligned(11)
                             + short(c.raw.estimate).rightAligned(11) + short(c.raw.qValue).rightAligned(11)
                             + short(c.adjusted.estimate).rightAligned(11) + short(c.adjusted.qValue).rightAligned(11) + "  \(c.verdict)")
            }
            if let dropped = o.rowsPerfectlyPredicted, dropped > 0 {
                lines.append("  (\(dropped) rows in covariate levels whose outcome never varies left out of the adjusted fit)")
            }
            lines.append("")
        }
        for c in classifiers {
            guard let fairness = c.fairness else { lines.append("classifier skipped: \(c.skipped ?? "")"); continue }
            lines.append("classifier \(c.name) — \(c.description); trained on \(c.trainRows ?? 0) rows, held out \(c.testRows ?? 0) from \(c.heldOutFrom ?? ""); held-out AUC \(short(c.heldOutAUC)); threshold \(short(c.threshold))")
            lines.append(fairness.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
