import ArgumentParser
import Foundation
import Analytics
import Statistics
import Store

/// `ail fit linear|logistic`: fit a model to any CSV with an R-style formula.
public struct Fit: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a linear or logistic regression to a CSV file or a PostgreSQL query.",
        discussion: """
        Formulas are R's: `y ~ x1 + x2` (intercept implied), `- 1` drops the intercept, \
        `C(g)` makes g categorical (the first level is the reference: numbers in numeric order, then \
        words in code-point order, so 'B' before 'a'; as in R, a factor keeps every level where no \
        term absorbs its reference, e.g. `C(g) - 1` or `C(g):x` without x; \
        --min-level-count pools rare levels into `other`), \
        `x1:x2` is an interaction, `a*b` is `a + b + a:b`, `(a + b)^2` every pair, `I(x^2)` a power, \
        `log(x)`, `exp(x)`, `sqrt(x)`, `I(y == "yes")` a 0/1 indicator, `` `a name` `` a column \
        whose name has spaces. Data: --data FILE.csv (types inferred; --column-type NAME=TYPE), \
        or --sql / --table on the database (binary COPY in a read-only transaction). \
        Rows with a missing value in any column \
        the formula uses are dropped and counted. Output reads like R's summary(); \
        --format json uses broom's names (terms[], model{}). A model that cannot be fitted \
        (separation, aliased terms, bad data) exits with status 65 and names the cause; a bad \
        formula or unknown column exits 64. With --format json a failure keeps its kind.

        Examples:
          ail fit logistic --data admissions.csv \\
              --formula "admit ~ gre + gpa + C(rank)"
          ail fit linear --data runs.csv --formula "y ~ x1 + x2 + x1:x2" \\
              --robust HC1 --format json
          ail fit logistic --data events.csv --cluster session_id \\
              --formula "accepted ~ lines + C(language)"
          ail fit logistic --table code_generation_events \\
              --formula "accepted ~ sqrt(lines_generated) + C(language)"
        """,
        subcommands: [FitLinear.self, FitLogistic.self]
    )
    public init() {}
}

struct FitOptions: ParsableArguments {
    @Option(help: "CSV file with a header row.") var data: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Fit the rows of this query on the database (read-only; streamed by binary COPY). May start with an SQL comment (`-- …`).", valueName: "SELECT …"))
    var sql: String?
    @Option(help: ArgumentHelp("Fit every row of this table or view on the database (schema.table allowed).", valueName: "NAME"))
    var table: String?
    @OptionGroup var database: DatabaseOptions
    @Option(help: "R-style formula, e.g. \"y ~ x1 + x2 + C(group) + x1:x2\"; '- 1' drops the intercept.") var formula: String
    @Option(help: "Column of non-negative case weights (rows with weight 0 are ignored); with a proportion response (logistic), the number of trials.") var weights: String?
    @Option(help: "Column whose values define clusters for cluster-robust standard errors (not with --robust).") var cluster: String?
    @Option(help: "Heteroskedasticity-robust standard errors: HC0, HC1, HC2 or HC3 (linear only; not with --cluster).") var robust: String?
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Pool categorical levels seen on fewer than N rows into one level 'other' (reported).",
                               valueName: "N"))
    var minLevelCount: Int = 1
    @Option(help: ArgumentHelp("""
        L2 (ridge) penalty, e.g. L2=0.5: adds λ·‖β‖² to the residual sum of squares (linear) or to \
        the deviance (logistic); the intercept is not penalised. Coefficients are penalised on \
        their columns' own scales, so add --standardize to penalise every predictor alike. \
        With a penalty, separated data can be fitted.
        """, valueName: "L2=λ"))
    var penalty: String?
    @Option(name: .customLong("column-type"), help: ArgumentHelp("""
        Read a CSV column as this type instead of the inferred one: float64, int64, bool, \
        timestamp (in a formula: seconds since 1970 UTC), categorical or text (repeatable), \
        e.g. --column-type zip=categorical.
        """, valueName: "NAME=TYPE"))
    var columnTypes: [String] = []
    @Option(help: "Output format: text or json.") var format: String = "text"
    @Flag(help: "Centre and scale numeric predictors to mean 0, SD 1 (dummy columns and the response are left alone).")
    var standardize = false

    func validate() throws {
        guard [data, sql, table].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give the data with exactly one of --data FILE.csv, --sql \"SELECT …\" or --table NAME")
        }
        if data == nil, !columnTypes.isEmpty { throw ValidationError("--column-type applies to --data (a database result has its own types)") }
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json; got '\(format)'") }
        guard minLevelCount >= 1 else {
            throw ValidationError("--min-level-count must be a whole number of at least 1 (levels seen on fewer rows are pooled); got \(minLevelCount)")
        }
        if cluster != nil && robust != nil {
            throw ValidationError("--cluster and --robust are alternatives: cluster-robust errors are already heteroskedasticity-robust; give one")
        }
        if let p = penalty {
            do { _ = try Penalty(parsing: p) } catch let e as NumericsError { throw ValidationError("--penalty: \(e.message)") }
        }
        _ = try parsedColumnTypes()
    }

    /// `--column-type NAME=TYPE` options as a dictionary.
    func parsedColumnTypes() throws -> [String: ColumnType] {
        var types: [String: ColumnType] = [:]
        for item in columnTypes {
            guard let eq = item.lastIndex(of: "="), let type = ColumnType(rawValue: String(item[item.index(after: eq)...]).lowercased()),
                  eq > item.startIndex else {
                throw ValidationError("--column-type must look like NAME=TYPE with TYPE one of float64, int64, bool, timestamp, categorical, text; got '\(item)'")
            }
            types[String(item[..<eq])] = type
        }
        return types
    }

    /// Reads --data, --sql or --table into a typed frame.
    func readData(columns: Set<String>) throws -> DataFrame {
        guard let data else { return try readDatabase(columns: columns) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory) else {
            throw InputError("cannot read --data \(data): no such file")
        }
        guard !isDirectory.boolValue else { throw InputError("cannot read --data \(data): it is a directory, not a CSV file") }
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: data), options: .mappedIfSafe) } catch {
            throw InputError("cannot read --data \(data): \(FileManager.default.isReadableFile(atPath: data) ? "read failed" : "permission denied")")
        }
        let types = try parsedColumnTypes()
        return try bytes.withUnsafeBytes { raw in
            try DataFrame(csvBytes: raw.bindMemory(to: UInt8.self), types: types)
        }
    }

    /// The rows of --sql or --table, read in a read-only transaction (fit never writes); a query
    /// the server refuses is a data error naming the SQLSTATE.
    private func readDatabase(columns: Set<String>) throws -> DataFrame {
        let connection = try database.connect(migrate: false)
        do {
            if let table { return try PostgresFrame.read(connection, table: table, only: columns) }
            return try PostgresFrame.read(connection, query: sql ?? "", only: columns)
        } catch let e as StoreError where e.sqlState != nil {
            throw InputError("\(table != nil ? "--table \(table ?? "")" : "--sql"): \(e)")
        }
    }

    func load() throws -> (frame: ModelFrame, lambda: Double) {
        let f = try Formula(formula)
        let data = try readData(columns: Set([f.response] + f.terms.flatMap { $0.map(\.column) } + [weights, cluster].compactMap { $0 }))
        let frame = try ModelFrame(data: data, formula: f, weights: weights, cluster: cluster,
                                   minLevelCount: minLevelCount, standardize: standardize)
        return (frame, try penalty.map { try Penalty(parsing: $0).l2 } ?? 0)
    }
}

struct FitLinear: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "linear", abstract: "Least squares (OLS/WLS/ridge) with inference.")
    @OptionGroup var options: FitOptions

    func run() throws { print(try render()) }

    /// The report `run()` prints (text or JSON).
    func render() throws -> String {
        do {
            let (frame, lambda) = try options.load()
            let w = frame.weights
            var o = LinearRegressionOptions()
            o.intercept = frame.intercept
            o.weights = w
            o.ridge = lambda
            if let g = frame.clusters { o.covariance = .cluster(g) }
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
        do {
            if options.robust != nil { throw ValidationError("--robust HCn applies to linear models; use --cluster for logistic") }
            let (frame, lambda) = try options.load()
            var o = LogisticRegressionOptions()
            o.intercept = frame.intercept
            o.weights = frame.weights
            o.l2Penalty = lambda
            if let g = frame.clusters { o.covariance = .cluster(g) }
            let fit = try LogisticRegression.fit(x: frame.x, y: frame.y, termNames: frame.termNames, options: o)
            return try logisticReport(fit, frame: frame, formula: options.formula, penalty: lambda,
                                      json: options.format == "json")
        }
    }
}
