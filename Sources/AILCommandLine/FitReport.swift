import Foundation
import Statistics

// The text and JSON renderings of `ail fit` reports: R-style tables and broom-named JSON.

func fmt(_ v: Double) -> String { String(format: "%.6g", v) }
func pfmt(_ v: Double) -> String { v < 2e-16 ? "<2e-16" : String(format: "%.3g", v) }

/// R-style coefficient table: the name column is as wide as the longest term, numbers right-aligned
/// under their headers, significance codes as in R's summary().
func termsTable(_ terms: [TermEstimate], statName: String) -> String {
    let headers = ["Estimate", "Std. Error", "\(statName) value", "Pr(>|\(statName)|)"]
    let cells = terms.map { [fmt($0.estimate), fmt($0.stdError), String(format: "%.3f", $0.statistic), pfmt($0.pValue)] }
    let table = alignedTable(names: terms.map(\.term), headers: headers, cells: cells)
    var lines = [table[0]] + zip(table.dropFirst(), terms).map { $0 + " " + stars($1.pValue) }
    lines.append("---")
    lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
}

/// A header line and one line per row: names left-aligned in a column as wide as the longest,
/// each cell right-aligned under its header.
private func alignedTable(names: [String], headers: [String], cells: [[String]]) -> [String] {
    let nameWidth = max(names.map(\.count).max() ?? 0, 1)
    let widths = headers.indices.map { c in max(headers[c].count, cells.map { $0[c].count }.max() ?? 0) }
    func line(_ name: String, _ row: [String]) -> String {
        pad(name, nameWidth, left: true) + row.indices.map { " " + pad(row[$0], widths[$0]) }.joined()
    }
    return [line("", headers)] + zip(names, cells).map { line($0, $1) }
}

/// `s` padded with spaces to width `w`, on the right (`left: true`, for names) or the left (numbers).
private func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(w - s.count, 0))
    return left ? s + fill : fill + s
}

private func stars(_ p: Double) -> String {
    p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : ""
}

/// Pretty, key-sorted JSON. JSON has no NaN or infinity, so a value that is not finite (an F
/// statistic with no slopes, a standard error that cannot be estimated) is written as null.
func json(_ object: [String: Any]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: jsonSafe(object), options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

private func jsonSafe(_ value: Any) -> Any {
    switch value {
    case let d as Double: return d.isFinite ? d : NSNull()
    case let dict as [String: Any]: return dict.mapValues(jsonSafe)
    case let array as [Any]: return array.map(jsonSafe)
    default: return value
    }
}

func termObjects(_ terms: [TermEstimate]) -> [[String: Any]] {
    terms.map { ["term": $0.term, "estimate": $0.estimate, "std_error": $0.stdError, "statistic": $0.statistic,
                 "p_value": $0.pValue, "conf_low": $0.confLow, "conf_high": $0.confHigh] }
}

func standardizationObjects(_ frame: ModelFrame) -> [[String: Any]] {
    frame.standardization.map { ["term": $0.term, "mean": $0.mean, "sd": $0.standardDeviation] }
}

func pooledLevelsNote(_ frame: ModelFrame) -> String {
    guard !frame.pooledLevels.isEmpty else { return "" }
    return "Rare levels pooled: "
        + frame.pooledLevels.sorted { $0.key < $1.key }.map { column, levels in
            "\(column) (\(levels.joined(separator: ", "))) into '\(frame.pooledLevelNames[column] ?? "other")'"
        }.joined(separator: "; ") + "\n"
}

func standardizationNote(_ frame: ModelFrame) -> String {
    guard !frame.standardization.isEmpty else { return "" }
    return "Standardised predictors (mean, SD): "
        + frame.standardization.map { "\($0.term) (\(fmt($0.mean)), \(fmt($0.standardDeviation)))" }.joined(separator: ", ") + "\n"
}

/// Odds ratio `exp(β)` per term with the interval `exp(CI)`, aligned like the coefficient table.
func oddsRatioTable(_ fit: LogisticRegressionResult) -> String {
    let rows = fit.oddsRatios
    return alignedTable(names: rows.map(\.term), headers: ["Odds ratio", "2.5 %", "97.5 %"],
                        cells: rows.map { [fmt($0.oddsRatio), fmt($0.confLow), fmt($0.confHigh)] }).joined(separator: "\n")
}

/// R's five-number residual summary (Min, 1Q, Median, 3Q, Max; quantile type 7), aligned in columns.
func residualSummary(_ residuals: [Double]) -> String {
    let sorted = residuals.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return "(none)" }
    func quantile(_ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
    let headers = ["Min", "1Q", "Median", "3Q", "Max"]
    let values = [0, 0.25, 0.5, 0.75, 1].map { fmt(quantile($0)) }
    let widths = zip(headers, values).map { max($0.count, $1.count) }
    return [headers, values].map { row in
        zip(row, widths).map { pad($0, $1) }.joined(separator: " ")
    }.joined(separator: "\n")
}
