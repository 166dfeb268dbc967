import ArgumentParser
import Foundation
import Statistics

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
            throw InputError("cannot read --data \(data): \(error.localizedDescription)")
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
                             "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels,
                             "pooled_level_names": frame.pooledLevelNames])
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
                             "standardization": standardizationObjects(frame), "pooled_levels": frame.pooledLevels,
                             "pooled_level_names": frame.pooledLevelNames])
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
