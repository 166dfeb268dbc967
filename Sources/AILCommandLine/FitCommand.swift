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
    @Option(help: "Column of non-negative case weights (rows with weight 0 are ignored); with a proportion response (logistic), the number of trials.") var weights: String?
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
            return try linearReport(fit, frame: frame, weights: w, formula: options.formula, penalty: lambda,
                                    json: options.format == "json")
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
            return try logisticReport(fit, frame: frame, formula: options.formula, penalty: lambda,
                                      json: options.format == "json")
        }
    }
}
