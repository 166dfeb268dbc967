import ArgumentParser
import Foundation
import Numerics

/// `ail fit linear|logistic`: fit a model to any CSV with an R-style formula.
public struct Fit: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a linear or logistic regression to a CSV file.",
        discussion: """
        Formulas are R's: `y ~ x1 + x2` (intercept implied), `- 1` drops the intercept, \
        `C(g)` makes g categorical (the first level is the reference: numbers in numeric order, then \
        words in code-point order, so 'B' before 'a'; as in R, a factor keeps every level where no \
        term absorbs its reference, e.g. `C(g) - 1` or `C(g):x` without x; \
        --min-level-count pools rare levels into `other`), \
        `x1:x2` is an interaction, `I(x^2)` a power. Rows with a missing value in any column \
        the formula uses are dropped and counted. Output reads like R's summary(); \
        --format json uses broom's names (terms[], model{}). A model that cannot be fitted \
        (separation, aliased terms, bad data) exits with status 65 and names the cause.

        Examples:
          ail fit logistic --data admissions.csv \\
              --formula "admit ~ gre + gpa + C(rank)"
          ail fit linear --data runs.csv --formula "y ~ x1 + x2 + x1:x2" \\
              --robust HC1 --format json
          ail fit logistic --data events.csv --cluster session_id \\
              --formula "accepted ~ lines + C(language)"
        """,
        subcommands: [FitLinear.self, FitLogistic.self]
    )
    public init() {}
}

struct FitOptions: ParsableArguments {
    @Option(help: "CSV file with a header row.") var data: String
    @Option(help: "R-style formula, e.g. \"y ~ x1 + x2 + C(group) + x1:x2\"; '- 1' drops the intercept.") var formula: String
    @Option(help: "Column of non-negative case weights (rows with weight 0 are ignored).") var weights: String?
    @Option(help: "Column whose values define clusters for cluster-robust standard errors (not with --robust).") var cluster: String?
    @Option(help: "Heteroskedasticity-robust standard errors: HC0, HC1, HC2 or HC3 (linear only; not with --cluster).") var robust: String?
    @Option(help: ArgumentHelp("Pool categorical levels seen on fewer than N rows into one level 'other' (reported).",
                               valueName: "N"))
    var minLevelCount: Int = 1
    @Option(help: ArgumentHelp("""
        L2 (ridge) penalty, e.g. L2=0.5: adds λ·‖β‖² to the residual sum of squares (linear) or to \
        the deviance (logistic); the intercept is not penalised. Coefficients are penalised on \
        their columns' own scales, so add --standardize to penalise every predictor alike. \
        With a penalty, separated data can be fitted.
        """, valueName: "L2=λ"))
    var penalty: String?
    @Option(help: "Output format: text or json.") var format: String = "text"
    @Flag(help: "Centre and scale numeric predictors to mean 0, SD 1 (dummy columns and the response are left alone).")
    var standardize = false

    func load() throws -> (ModelFrame, [Double]?, [Int]?, Double) {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        guard minLevelCount >= 1 else { throw ValidationError("--min-level-count must be at least 1") }
        if cluster != nil && robust != nil {
            throw ValidationError("--cluster and --robust are alternatives: cluster-robust errors are already heteroskedasticity-robust; give one")
        }
        let text: String
        do { text = try String(contentsOfFile: data, encoding: .utf8) } catch {
            throw ValidationError("cannot read --data \(data): \(error.localizedDescription)")
        }
        let table = try DataTable(csv: text)
        let f = try Formula(formula)
        let frame = try ModelFrame(table: table, formula: f, extraColumns: [weights, cluster].compactMap { $0 },
                                   minLevelCount: minLevelCount, standardize: standardize)
        var w: [Double]? = nil
        if let wc = weights {
            let j = try table.index(of: wc)
            w = try frame.rowIndices.map { r in
                let cell = table.value(row: r, column: j)
                guard let v = Double(cell), v.isFinite, v >= 0 else {
                    throw InputError("--weights column '\(wc)', row \(r + 2): '\(cell)' is not a finite non-negative number")
                }
                return v
            }
        }
        var groups: [Int]? = nil
        if let cc = cluster {
            let j = try table.index(of: cc)
            var ids: [String: Int] = [:]
            groups = frame.rowIndices.map { r in
                let key = table.value(row: r, column: j)
                if let g = ids[key] { return g }
                ids[key] = ids.count
                return ids.count - 1
            }
        }
        var lambda = 0.0
        if let p = penalty {
            let parts = p.split(separator: "=")
            guard parts.count == 2, parts[0].uppercased() == "L2", let v = Double(parts[1]), v >= 0, v.isFinite else {
                throw ValidationError("--penalty must look like L2=0.5 (a finite λ ≥ 0); got '\(p)'")
            }
            lambda = v
        }
        return (frame, w, groups, lambda)
    }
}


func fmt(_ v: Double) -> String { String(format: "%.6g", v) }
func pfmt(_ v: Double) -> String { v < 2e-16 ? "<2e-16" : String(format: "%.3g", v) }

/// R-style coefficient table: the name column is as wide as the longest term, numbers right-aligned
/// under their headers, significance codes as in R's summary().
func termsTable(_ terms: [TermEstimate], statName: String) -> String {
    let nameWidth = max(terms.map { $0.term.count }.max() ?? 0, 1)
    let headers = ["Estimate", "Std. Error", "\(statName) value", "Pr(>|\(statName)|)"]
    let cells = terms.map { [fmt($0.estimate), fmt($0.stdError), String(format: "%.3f", $0.statistic), pfmt($0.pValue)] }
    let widths = headers.indices.map { c in max(headers[c].count, cells.map { $0[c].count }.max() ?? 0) }
    var lines = [pad("", nameWidth, left: true) + headers.indices.map { " " + pad(headers[$0], widths[$0]) }.joined()]
    for (t, row) in zip(terms, cells) {
        lines.append(pad(t.term, nameWidth, left: true) + row.indices.map { " " + pad(row[$0], widths[$0]) }.joined()
                     + " " + stars(t.pValue))
    }
    lines.append("---")
    lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
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

private func termObjects(_ terms: [TermEstimate]) -> [[String: Any]] {
    terms.map { ["term": $0.term, "estimate": $0.estimate, "std_error": $0.stdError, "statistic": $0.statistic,
                 "p_value": $0.pValue, "conf_low": $0.confLow, "conf_high": $0.confHigh] }
}

private func standardizationObjects(_ frame: ModelFrame) -> [[String: Any]] {
    frame.standardization.map { ["term": $0.term, "mean": $0.mean, "sd": $0.standardDeviation] }
}

private func pooledLevelsNote(_ frame: ModelFrame) -> String {
    guard !frame.pooledLevels.isEmpty else { return "" }
    return "Rare levels pooled into 'other': "
        + frame.pooledLevels.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.joined(separator: ", ")))" }.joined(separator: "; ") + "\n"
}

private func standardizationNote(_ frame: ModelFrame) -> String {
    guard !frame.standardization.isEmpty else { return "" }
    return "Standardised predictors (mean, SD): "
        + frame.standardization.map { "\($0.term) (\(fmt($0.mean)), \(fmt($0.standardDeviation)))" }.joined(separator: ", ") + "\n"
}

private func mapError<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as NumericsError { throw InputError("\(e)") }
}

struct FitLinear: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "linear", abstract: "Least squares (OLS/WLS/ridge) with inference.")
    @OptionGroup var options: FitOptions

    func run() throws { print(try render()) }

    /// The report `run()` prints (text or JSON).
    func render() throws -> String {
        try mapError { () -> String in
            let (frame, w, groups, lambda) = try options.load()
            var o = LinearRegressionOptions()
            o.intercept = frame.intercept
            o.weights = w
            o.ridge = lambda
            if let g = groups { o.covariance = .cluster(g) }
            if let r = options.robust {
                switch r.uppercased() {
                case "HC0": o.covariance = .hc0
                case "HC1": o.covariance = .hc1
                case "HC2": o.covariance = .hc2
                case "HC3": o.covariance = .hc3
                default: throw ValidationError("--robust must be HC0, HC1, HC2 or HC3; got '\(r)'")
                }
            }
            let fit = try LinearRegression.fit(x: frame.x, y: frame.y, termNames: frame.termNames, options: o)
            if options.format == "json" {
                return try json(["terms": termObjects(fit.terms),
                             "model": ["nobs": fit.nobs, "df_residual": fit.dfResidual, "r_squared": fit.rSquared,
                                       "adj_r_squared": fit.adjRSquared, "sigma": fit.sigma, "statistic": fit.fStatistic,
                                       "p_value": fit.fPValue, "log_likelihood": fit.logLikelihood,
                                       "deviance": fit.residualSumOfSquares, "aic": fit.aic, "bic": fit.bic,
                                       "iterations": 1, "converged": true, "condition_number": fit.conditionNumber,
                                       // numerator df of the F test, and the denominator df of the t and F tests
                                       // (the residual df, or G − 1 with clusters)
                                       "df": fit.dfModel, "df_inference": fit.inferenceDF,
                                       "rows_dropped_missing": frame.droppedRows, "covariance": fit.covarianceKind.label],
                             "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels])
            }
            var s = "Call: lm(\(options.formula))\nStandard errors: \(fit.covarianceKind.label)\n" + standardizationNote(frame) + pooledLevelsNote(frame)
            // R prints weighted residuals √w·e for a weighted fit
            let shown = w.map { weights in zip(fit.residuals, weights).map { $0 * $1.squareRoot() } } ?? fit.residuals
            s += "\n" + (w == nil ? "Residuals" : "Weighted Residuals") + ":\n" + residualSummary(shown) + "\n"
            s += "\nCoefficients:\n"
            s += termsTable(fit.terms, statName: "t")
            s += "\nResidual standard error: \(fmt(fit.sigma)) on \(fit.dfResidual) degrees of freedom\n"
            if frame.droppedRows > 0 { s += "  (\(frame.droppedRows) observations deleted due to missingness)\n" }
            s += "Multiple R-squared:  \(fmt(fit.rSquared)),\tAdjusted R-squared:  \(fmt(fit.adjRSquared))\n"
            if fit.dfModel > 0 {
                s += "F-statistic: \(fmt(fit.fStatistic)) on \(fit.dfModel) and \(fmt(fit.inferenceDF)) DF,  p-value: \(pfmt(fit.fPValue))"
                if fit.covarianceKind != .classical { s += " (Wald test with the \(fit.covarianceKind.label) covariance)" }
                s += "\n"
            }
            s += "Log-likelihood: \(fmt(fit.logLikelihood)),  AIC: \(fmt(fit.aic)),  BIC: \(fmt(fit.bic)),  condition number: \(fmt(fit.conditionNumber))"
            if fit.conditionNumber > 1000 {
                s += "\nWarning: the condition number of the centred, scaled design is large (\(fmt(fit.conditionNumber)) > 1000): "
                    + "some terms are nearly collinear, so their estimates and standard errors are unstable. "
                    + "Consider dropping or combining them."
            }
            return s
        }
    }
}

struct FitLogistic: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logistic", abstract: "Logistic regression (IRLS) with inference.")
    @OptionGroup var options: FitOptions

    func run() throws { print(try render()) }

    /// The report `run()` prints (text or JSON).
    func render() throws -> String {
        try mapError { () -> String in
            if options.robust != nil { throw ValidationError("--robust HCn applies to linear models; use --cluster for logistic") }
            let (frame, w, groups, lambda) = try options.load()
            var o = LogisticRegressionOptions()
            o.intercept = frame.intercept
            o.weights = w
            o.l2Penalty = lambda
            if let g = groups { o.covariance = .cluster(g) }
            let fit = try LogisticRegression.fit(x: frame.x, y: frame.y, termNames: frame.termNames, options: o)
            if options.format == "json" {
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
                                       "covariance": fit.covarianceKind.label],
                             "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels])
            }
            var s = "Call: glm(\(options.formula), family = binomial)\nStandard errors: \(fit.covarianceKind.label)\n" + standardizationNote(frame) + pooledLevelsNote(frame) + "\nCoefficients:\n"
            s += termsTable(fit.terms, statName: "z")
            s += "\n    Null deviance: \(fmt(fit.nullDeviance)) on \(fit.nobs - (fit.hasIntercept ? 1 : 0)) degrees of freedom\n"
            s += "Residual deviance: \(fmt(fit.deviance)) on \(fit.dfResidual) degrees of freedom\n"
            if frame.droppedRows > 0 { s += "  (\(frame.droppedRows) observations deleted due to missingness)\n" }
            s += "\nOdds ratios (95% CI):\n" + oddsRatioTable(fit) + "\n"
            s += "AIC: \(fmt(fit.aic)),  BIC: \(fmt(fit.bic)),  log-likelihood: \(fmt(fit.logLikelihood)),  McFadden R²: \(fmt(fit.pseudoRSquared))\n"
            s += "Number of Newton (Fisher scoring) iterations: \(fit.iterations)"
            s += fit.converged ? " (converged)" : " (NOT converged: estimates are unreliable)"
            return s
        }
    }
}

/// Odds ratio `exp(β)` per term with the interval `exp(CI)`, aligned like the coefficient table.
private func oddsRatioTable(_ fit: LogisticRegressionResult) -> String {
    let rows = fit.oddsRatios
    let nameWidth = max(rows.map { $0.term.count }.max() ?? 0, 1)
    let headers = ["Odds ratio", "2.5 %", "97.5 %"]
    let cells = rows.map { [fmt($0.oddsRatio), fmt($0.confLow), fmt($0.confHigh)] }
    let widths = headers.indices.map { c in max(headers[c].count, cells.map { $0[c].count }.max() ?? 0) }
    var lines = [String(repeating: " ", count: nameWidth) + headers.indices.map { " " + pad(headers[$0], widths[$0]) }.joined()]
    for (r, row) in zip(rows, cells) {
        lines.append(pad(r.term, nameWidth, left: true) + row.indices.map { " " + pad(row[$0], widths[$0]) }.joined())
    }
    return lines.joined(separator: "\n")
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
