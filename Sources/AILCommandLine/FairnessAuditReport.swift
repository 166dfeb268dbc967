import Foundation
import Statistics

/// A classifier's fairness audit as `ail fairness` prints it (fairlearn's names; JSON null for
/// a rate that is undefined, such as a TPR in a group without positives).
struct FairnessAuditReport: Encodable {
    struct Group: Encodable {
        var group: String
        var n: Int, tp: Int, fp: Int, tn: Int, fn: Int
        var selectionRate: Double? = nil
        var baseRate: Double? = nil
        var tpr: Double? = nil
        var fpr: Double? = nil
        var fnr: Double? = nil
        var ppv: Double? = nil
        var accuracy: Double? = nil
        enum CodingKeys: String, CodingKey {
            case group, n, tp, fp, tn, fn, tpr, fpr, fnr, ppv, accuracy
            case selectionRate = "selection_rate", baseRate = "base_rate"
        }
        init(_ g: GroupRates) {
            group = g.group
            n = g.count; tp = g.truePositives; fp = g.falsePositives; tn = g.trueNegatives; fn = g.falseNegatives
            selectionRate = finite(g.selectionRate); baseRate = finite(g.baseRate)
            tpr = finite(g.truePositiveRate); fpr = finite(g.falsePositiveRate); fnr = finite(g.falseNegativeRate)
            ppv = finite(g.positivePredictiveValue); accuracy = finite(g.accuracy)
        }
    }
    struct Measure: Encodable {
        var name: String
        var value: Double?
        var confLow: Double? = nil
        var confHigh: Double? = nil
        var stdError: Double? = nil
        var undefinedResamples: Int?
        enum CodingKeys: String, CodingKey {
            case name, value, confLow = "conf_low", confHigh = "conf_high", stdError = "std_error", undefinedResamples = "undefined_resamples"
        }
    }
    struct Bootstrap: Encodable {
        var resamples: Int, level: Double, seed: UInt64, method: String
    }
    struct CalibrationBin: Encodable {
        var lower: Double, upper: Double, count: Int
        var meanScore: Double? = nil
        var observedRate: Double? = nil
        enum CodingKeys: String, CodingKey { case lower, upper, count, meanScore = "mean_score", observedRate = "observed_rate" }
    }
    struct CalibrationGroup: Encodable {
        var group: String
        var bins: [CalibrationBin]
    }
    struct Calibration: Encodable {
        var binning: String
        var groups: [CalibrationGroup]
    }

    var rows: Int
    var rowsSkipped: Int
    var overall: Group
    var byGroup: [Group]
    var disparities: [Measure]
    var bootstrap: Bootstrap?
    var calibration: Calibration?
    var definitions: [String: String]

    enum CodingKeys: String, CodingKey {
        case rows, overall, disparities, bootstrap, calibration, definitions
        case rowsSkipped = "rows_skipped", byGroup = "by_group"
    }

    static let definitionText: [String: String] = [
        "demographic_parity_difference": "max_g selection_rate - min_g selection_rate",
        "demographic_parity_ratio": "min_g selection_rate / max_g selection_rate",
        "equalized_odds_difference": "max(max_g TPR - min_g TPR, max_g FPR - min_g FPR), as fairlearn's equalized_odds_difference",
        "equalized_odds_ratio": "min(min_g TPR / max_g TPR, min_g FPR / max_g FPR)",
        "bootstrap": "percentile intervals; each resample redraws rows with replacement within every group (group sizes fixed)",
    ]

    init(_ audit: FairnessAudit, rows: Int, skipped: Int) {
        self.rows = rows
        rowsSkipped = skipped
        overall = Group(audit.overall)
        byGroup = audit.byGroup.map(Group.init)
        disparities = audit.disparities.named.map { item in
            let interval = audit.bootstrap?.interval(item.name)
            return Measure(name: item.name, value: finite(item.value), confLow: interval.flatMap { finite($0.lower) },
                           confHigh: interval.flatMap { finite($0.upper) }, stdError: interval.flatMap { finite($0.standardError) },
                           undefinedResamples: interval?.undefined)
        }
        bootstrap = audit.bootstrap.map { Bootstrap(resamples: $0.resamples, level: $0.level * 100, seed: $0.seed, method: "stratified percentile") }
        calibration = audit.calibration.map { c in
            Calibration(binning: c.binning, groups: c.groups.map { g in
                CalibrationGroup(group: g.group, bins: g.bins.map {
                    CalibrationBin(lower: $0.lower, upper: $0.upper, count: $0.count, meanScore: finite($0.meanScore), observedRate: finite($0.observedRate))
                })
            })
        }
        definitions = Self.definitionText
    }

    /// The report as a human reads it.
    var text: String {
        var lines = ["\(rows) rows" + (rowsSkipped > 0 ? " (\(rowsSkipped) skipped for a missing group, label or prediction)" : "") + ", \(byGroup.count) groups", ""]
        let header = ["group".padded(24), "n".rightAligned(7), "select".rightAligned(8), "base".rightAligned(8), "TPR".rightAligned(8), "FPR".rightAligned(8), "FNR".rightAligned(8), "PPV".rightAligned(8)]
        lines.append(header.joined(separator: " "))
        for g in byGroup + [overall] {
            lines.append(([g.group.padded(24), String(g.n).rightAligned(7)] + [g.selectionRate, g.baseRate, g.tpr, g.fpr, g.fnr, g.ppv].map { short($0).rightAligned(8) })
                .joined(separator: " "))
        }
        lines.append("")
        let ci = bootstrap.map { "\(Int($0.level))% CI (\($0.resamples) stratified bootstrap resamples, seed \($0.seed))" } ?? ""
        lines.append("measure".padded(32) + "value".rightAligned(10) + (bootstrap == nil ? "" : "   " + ci))
        for m in disparities {
            var line = m.name.padded(32) + short(m.value).rightAligned(10)
            if bootstrap != nil { line += "   [\(short(m.confLow)), \(short(m.confHigh))]" }
            lines.append(line)
        }
        lines.append("equalized odds difference = max(|ΔTPR|, |ΔFPR|) over groups, as fairlearn")
        if let calibration {
            lines.append("")
            lines.append("calibration (\(calibration.binning) bins): observed rate (n) per score bin")
            for g in calibration.groups {
                let cells = g.bins.filter { $0.count > 0 }.map { b in
                    let label = b.lower == b.upper ? short(b.lower) : "\(short(b.lower))-\(short(b.upper))"
                    return "\(label): \(short(b.observedRate)) (\(b.count))"
                }
                lines.append("  \(g.group): " + cells.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A double for JSON: nil (null) when it is NaN or infinite.
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

/// A rate or estimate in 4 significant digits, `-` when undefined.
func short(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func rightAligned(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
