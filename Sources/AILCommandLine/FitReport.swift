import Foundation
import Statistics

// The text and JSON renderings of `ail fit` reports: R-style tables and broom-named JSON.

/// A statistic that is not a finite number (a t value with a zero SE, ℓ of an exact fit) is
/// undefined: it is printed as such, never as `nan` or `inf` (and is null in JSON).
func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "undefined" }
func pfmt(_ v: Double) -> String { !v.isFinite ? "undefined" : v < 2e-16 ? "<2e-16" : String(format: "%.3g", v) }

/// R-style coefficient table: the name column is as wide as the longest term, numbers right-aligned
/// under their headers, significance codes as in R's summary() (left out for penalised fits).
func termsTable(_ terms: [TermEstimate], statName: String, stars showStars: Bool = true) -> String {
    let headers = ["Estimate", "Std. Error", "\(statName) value", "Pr(>|\(statName)|)"]
    let cells = terms.map { [fmt($0.estimate), fmt($0.stdError),
                             $0.statistic.isFinite ? String(format: "%.3f", $0.statistic) : "undefined", pfmt($0.pValue)] }
    let table = alignedTable(names: terms.map(\.term), headers: headers, cells: cells)
    guard showStars else {
        return table.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }
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
    !p.isFinite ? "" : p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : ""
}

/// Pretty, key-sorted JSON, non-finite numbers as null (see ``JSONOutput``).
func json(_ object: [String: Any]) throws -> String {
    try JSONOutput.text(object, pretty: true)
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

/// What an L2 penalty means for the report: the call line, the standard-error label and a JSON
/// object. With a penalty the estimates are shrunk toward 0 (biased), and the standard errors are
/// those of the penalised estimator at a fixed λ, so intervals and p-values do not test β = 0 at
/// their nominal level: no significance stars are printed.
struct PenaltyDescription {
    let lambda: Double
    let linear: Bool

    var isActive: Bool { lambda > 0 }

    var callSuffix: String {
        guard isActive else { return "" }
        return linear ? ", L2 penalty λ = \(fmt(lambda)) on Σβ² added to the RSS (intercept not penalised)"
                      : ", L2 penalty λ = \(fmt(lambda)) on Σβ² added to the deviance (intercept not penalised)"
    }

    func standardErrorLabel(_ kind: CovarianceKind) -> String {
        guard isActive else { return kind.label }
        let how = linear ? "σ²·A⁻¹XᵀWXA⁻¹ with A = XᵀWX + λI" : "(XᵀWX + λI)⁻¹"
        return "\(kind.label), of the penalised estimator at fixed λ (\(how)). The estimates are shrunk "
            + "toward 0, and the intervals and p-values do not account for that bias: they are not valid "
            + "tests of β = 0, so no significance stars are shown"
    }

    var json: Any {
        guard isActive else { return NSNull() }
        return ["kind": "L2", "lambda": lambda,
                "objective": linear ? "rss + lambda * sum(beta^2)" : "deviance + lambda * sum(beta^2)",
                "intercept_penalized": false,
                "inference": "conditional on lambda; estimates biased toward 0; p-values and intervals are not valid tests of beta = 0"] as [String: Any]
    }
}

/// The `ail fit linear` report, text (R's `summary.lm` layout) or JSON (broom's names).
func linearReport(_ fit: LinearRegressionResult, frame: ModelFrame, weights w: [Double]?, formula: String,
                  penalty lambda: Double, json asJSON: Bool) throws -> String {
    let penalty = PenaltyDescription(lambda: lambda, linear: true)
    if asJSON {
        return try json(["terms": termObjects(fit.terms),
                         "model": ["nobs": fit.nobs, "df_residual": fit.dfResidual, "r_squared": fit.rSquared,
                                   "adj_r_squared": fit.adjRSquared, "sigma": fit.sigma, "statistic": fit.fStatistic,
                                   "p_value": fit.fPValue, "log_likelihood": fit.logLikelihood,
                                   "deviance": fit.residualSumOfSquares, "aic": fit.aic, "bic": fit.bic,
                                   "iterations": 1, "converged": true, "condition_number": fit.conditionNumber,
                                   // numerator df of the F test, and the denominator df of the t and F tests
                                   // (the residual df, or G − 1 with clusters)
                                   "df": fit.dfModel, "df_inference": fit.inferenceDF, "exact_fit": fit.exactFit,
                                   "penalty": penalty.json,
                                   "rows_dropped_missing": frame.droppedRows, "covariance": fit.covarianceKind.label],
                         "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels,
                         "pooled_level_names": frame.pooledLevelNames])
    }
    var s = "Call: lm(\(formula))\(penalty.callSuffix)\nStandard errors: \(penalty.standardErrorLabel(fit.covarianceKind))\n"
        + standardizationNote(frame) + pooledLevelsNote(frame)
    // R prints weighted residuals √w·e for a weighted fit
    let shown = w.map { weights in zip(fit.residuals, weights).map { $0 * $1.squareRoot() } } ?? fit.residuals
    s += "\n" + (w == nil ? "Residuals" : "Weighted Residuals") + ":\n" + residualSummary(shown) + "\n"
    s += "\nCoefficients:\n"
    s += termsTable(fit.terms, statName: "t", stars: !penalty.isActive)
    s += "\nResidual standard error: \(fmt(fit.sigma)) on \(fit.dfResidual) degrees of freedom\n"
    if frame.droppedRows > 0 { s += "  (\(frame.droppedRows) observations deleted due to missingness)\n" }
    s += "Multiple R-squared:  \(fmt(fit.rSquared)),\tAdjusted R-squared:  \(fmt(fit.adjRSquared))\n"
    if fit.dfModel > 0 {
        s += "F-statistic: \(fmt(fit.fStatistic)) on \(fit.dfModel) and \(fmt(fit.inferenceDF)) DF,  p-value: \(pfmt(fit.fPValue))"
        if fit.covarianceKind != .classical { s += " (Wald test with the \(fit.covarianceKind.label) covariance)" }
        s += "\n"
    }
    s += "Log-likelihood: \(fmt(fit.logLikelihood)),  AIC: \(fmt(fit.aic)),  BIC: \(fmt(fit.bic)),  condition number: \(fmt(fit.conditionNumber))"
    if fit.exactFit {
        s += "\nWarning: the model fits the response exactly (residuals are zero up to rounding): the standard "
            + "errors are 0, and the t and F statistics, their p-values, the log-likelihood, AIC and BIC are undefined. "
            + "Check that the response is not one of the predictors or a function of them."
    }
    if fit.conditionNumber > 1000 {
        s += "\nWarning: the condition number of the centred, scaled design is large (\(fmt(fit.conditionNumber)) > 1000): "
            + "some terms are nearly collinear, so their estimates and standard errors are unstable. "
            + "Consider dropping or combining them."
    }
    return s
}

/// The `ail fit logistic` report, text (R's `summary.glm` layout plus odds ratios) or JSON.
func logisticReport(_ fit: LogisticRegressionResult, frame: ModelFrame, formula: String, penalty lambda: Double,
                    json asJSON: Bool) throws -> String {
    let penalty = PenaltyDescription(lambda: lambda, linear: false)
    if asJSON {
        var terms = termObjects(fit.terms)
        for i in terms.indices { terms[i]["odds_ratio"] = exp(fit.terms[i].estimate) }
        return try json(["terms": terms,
                         "model": ["nobs": fit.nobs, "df_residual": fit.dfResidual, "log_likelihood": fit.logLikelihood,
                                   "null_log_likelihood": fit.nullLogLikelihood, "deviance": fit.deviance,
                                   "null_deviance": fit.nullDeviance, "aic": fit.aic, "bic": fit.bic,
                                   "pseudo_r_squared": fit.pseudoRSquared, "iterations": fit.iterations,
                                   // broom's glance() keys for every model; for a GLM R² is McFadden's,
                                   // and adjusted R² and σ (dispersion fixed at 1) do not apply
                                   "r_squared": fit.pseudoRSquared, "adj_r_squared": NSNull(), "sigma": NSNull(),
                                   "converged": fit.converged, "rows_dropped_missing": frame.droppedRows,
                                   "penalty": penalty.json, "covariance": fit.covarianceKind.label],
                         "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels,
                         "pooled_level_names": frame.pooledLevelNames])
    }
    var s = "Call: glm(\(formula), family = binomial)\(penalty.callSuffix)\nStandard errors: \(penalty.standardErrorLabel(fit.covarianceKind))\n"
        + standardizationNote(frame) + pooledLevelsNote(frame) + "\nCoefficients:\n"
    s += termsTable(fit.terms, statName: "z", stars: !penalty.isActive)
    s += "\n    Null deviance: \(fmt(fit.nullDeviance)) on \(fit.nobs - (fit.hasIntercept ? 1 : 0)) degrees of freedom\n"
    s += "Residual deviance: \(fmt(fit.deviance)) on \(fit.dfResidual) degrees of freedom\n"
    if frame.droppedRows > 0 { s += "  (\(frame.droppedRows) observations deleted due to missingness)\n" }
    s += "\nOdds ratios (95% CI):\n" + oddsRatioTable(fit) + "\n"
    s += "AIC: \(fmt(fit.aic)),  BIC: \(fmt(fit.bic)),  log-likelihood: \(fmt(fit.logLikelihood)),  McFadden R²: \(fmt(fit.pseudoRSquared))\n"
    s += "Number of Newton (Fisher scoring) iterations: \(fit.iterations)"
    s += fit.converged ? " (converged)" : " (NOT converged: estimates are unreliable)"
    return s
}
