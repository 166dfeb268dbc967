import Foundation

/// A design matrix built from a data frame and a formula, with what was done to the data: the
/// one place a formula meets columns, so every command and model reads data the same way.
public struct ModelFrame: Sendable {
    public let x: Matrix
    public let y: [Double]
    public let termNames: [String]
    public let intercept: Bool
    /// Rows dropped for a missing value in a used column (formula, weights or clusters).
    public let droppedRows: Int
    /// Kept row indices into the frame.
    public let rowIndices: [Int]
    /// Case weights of the kept rows, when a weights column was named.
    public let weights: [Double]?
    /// Cluster number (0, 1, … in order of first appearance) of each kept row, when a cluster
    /// column was named.
    public let clusters: [Int]?
    /// Categorical levels pooled into `other` because they had fewer than `minLevelCount` rows.
    public let pooledLevels: [String: [String]]
    /// The name of each column's pooled level: `other`, or `other_pooled` when the data have a
    /// level called `other` of their own.
    public let pooledLevelNames: [String: String]
    /// With `standardize`, the centring and scaling applied to each numeric design column (in
    /// column order; dummy-coded columns are not listed): column = (raw − mean) / standardDeviation.
    /// A slope on the standardised column equals the raw-scale slope times `standardDeviation`.
    public let standardization: [ColumnScaling]

    /// How one design column was standardised.
    public struct ColumnScaling: Sendable, Equatable {
        public let term: String
        public let mean: Double
        /// Sample standard deviation (divisor n − 1) of the raw column over the kept rows.
        public let standardDeviation: Double
    }

    /// Designs beyond this many cells (8 bytes each: 16 GiB) are refused before any is built.
    public static let maximumCells = 1 << 31

    /// Builds the design. Missing values: rows with any missing used value are dropped (counted
    /// in `droppedRows`). Numeric factors read float64, int64, bool (0/1) and timestamp
    /// (seconds since 1970) columns, and text or categorical columns whose values are numbers
    /// or true/false/yes/no; anything else is an error naming the row. Categorical columns are
    /// one-hot coded against their first level (numbers in numeric order, then words in
    /// code-point order), with levels rarer than `minLevelCount` pooled into `other` (reported).
    /// A design with more columns than rows, or over ``maximumCells``, is refused before it is
    /// built, naming the term that makes it so.
    ///
    /// With `standardize`, every column built only from numeric variables (main effects, powers,
    /// numeric interactions — formed from the raw values, then standardised) is centred and divided
    /// by its sample standard deviation; 0/1 dummy columns and the response are left as they are.
    /// A constant numeric column cannot be standardised and is an error.
    ///
    /// `weights` names a column of finite non-negative case weights; `cluster` a column whose
    /// values group rows for cluster-robust standard errors.
    public init(data: DataFrame, formula: Formula, weights: String? = nil, cluster: String? = nil,
                minLevelCount: Int = 1, standardize: Bool = false) throws {
        guard minLevelCount >= 1 else {
            throw NumericsError(.invalidData, "the minimum level count must be at least 1; got \(minLevelCount)")
        }
        var columns: [String: Column] = [:]
        func resolve(_ name: String, role: String?) throws {
            guard columns[name] == nil else { return }
            do { columns[name] = try data.column(named: name) } catch let e as NumericsError where role != nil {
                throw NumericsError(.unknownColumn, "the \(role ?? "") column '\(name)' is not in the data; the columns are: \(data.columnNames.joined(separator: ", "))", terms: e.terms)
            }
        }
        try resolve(formula.response, role: nil)
        for t in formula.terms { for f in t { try resolve(f.column, role: nil) } }
        if let weights { try resolve(weights, role: "weights") }
        if let cluster { try resolve(cluster, role: "cluster") }

        let used = Array(columns.keys).sorted()
        var keep: [Int] = []
        keep.reserveCapacity(data.rowCount)
        let masks = used.compactMap { columns[$0]?.validity }
        if masks.isEmpty {
            keep = Array(0..<data.rowCount)
        } else {
            for r in 0..<data.rowCount where masks.allSatisfy({ $0[r] }) { keep.append(r) }
        }
        guard !keep.isEmpty else {
            let empty = used.filter { c in columns[c].map { col in (0..<data.rowCount).allSatisfy { !col.isValid($0) } } ?? false }
            throw NumericsError(.invalidData, data.rowCount == 0 ? "the data have a header but no rows"
                : "no complete rows remain after dropping missing values"
                  + (empty.isEmpty ? " (every row misses a value in some column the formula uses)"
                                   : "; missing on every row: \(empty.joined(separator: ", "))"))
        }
        let reader = KeptRows(keep: keep, rowNumberBase: data.rowNumberBase)

        // categorical codings first: the design's size is known before anything is built
        var codings: [String: CategoricalCoding] = [:]
        var pooled: [String: [String]] = [:], pooledNames: [String: String] = [:]
        for t in formula.terms { for f in t { if case .categorical(let c) = f, codings[c] == nil, let column = columns[c] {
            let coding = try reader.categorical(column, minLevelCount: minLevelCount)
            if !coding.pooled.isEmpty { pooled[c] = coding.pooled; pooledNames[c] = coding.pooledName }
            codings[c] = coding
        } } }
        let plan = try DesignPlan(formula: formula, codings: codings, rows: keep.count)

        var numericCache: [Formula.Factor: [Double]] = [:]
        func numeric(_ f: Formula.Factor) throws -> [Double] {
            if let v = numericCache[f] { return v }
            guard let column = columns[f.column] else { return [] }
            let v = try reader.numbers(f, column)
            numericCache[f] = v
            return v
        }
        var names: [String] = []
        var cols: [[Double]] = []
        cols.reserveCapacity(plan.columnCount)
        var scalings: [ColumnScaling] = []
        for (termIndex, t) in formula.terms.enumerated() {
            var partNames: [String] = [""]
            var partCols: [[Double]?] = [nil]     // nil: the all-ones start of a product
            for (factorIndex, f) in t.enumerated() {
                let (fn, fc): ([String], [[Double]])
                if case .categorical(let c) = f, let coding = codings[c] {
                    let all = plan.allLevels[termIndex][factorIndex]
                    (fn, fc) = coding.dummies(allLevels: all, prefix: c)
                } else {
                    (fn, fc) = ([f.label], [try numeric(f)])
                }
                var nn: [String] = [], nc: [[Double]?] = []
                for (a, ac) in zip(partNames, partCols) { for (b, bc) in zip(fn, fc) {
                    nn.append(a.isEmpty ? b : "\(a):\(b)")
                    nc.append(ac.map { zip($0, bc).map { $0 * $1 } } ?? bc)
                } }
                partNames = nn; partCols = nc
            }
            var built = partCols.map { $0 ?? [] }
            let numericOnly = !t.contains { if case .categorical = $0 { return true } else { return false } }
            if standardize && numericOnly {
                for (c, name) in zip(built.indices, partNames) {
                    let v = built[c], m = Double(v.count)
                    // without an intercept centring would change the model: scale only
                    let mean = formula.intercept ? v.reduce(0, +) / m : 0
                    let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                    let sd = v.count > 1 ? (ss / (m - 1)).squareRoot() : 0
                    guard sd > 0, sd.isFinite else {
                        throw NumericsError(.invalidData, "cannot standardise '\(name)': it is constant over the \(v.count) rows used")
                    }
                    built[c] = v.map { ($0 - mean) / sd }
                    scalings.append(ColumnScaling(term: name, mean: mean, standardDeviation: sd))
                }
            }
            names += partNames; cols += built
        }
        guard let responseColumn = columns[formula.response] else { throw NumericsError(.unknownColumn, "unknown column '\(formula.response)'") }
        self.y = try reader.numbers(formula.responseFactor, responseColumn, isResponse: true)
        // an intercept-only model (`y ~ 1`) has a design with no columns but every kept row
        self.x = cols.isEmpty ? Matrix(rows: keep.count, columns: 0) : try Matrix(columns: cols)
        self.termNames = names
        self.intercept = formula.intercept
        self.droppedRows = data.rowCount - keep.count
        self.rowIndices = keep
        self.weights = try weights.flatMap { columns[$0] }.map { try reader.weights($0) }
        self.clusters = cluster.flatMap { columns[$0] }.map { reader.groups($0) }
        self.pooledLevels = pooled
        self.pooledLevelNames = pooledNames
        self.standardization = scalings
    }
}

/// The number of design columns a formula gives, worked out from the levels before any column
/// is built, and which categorical factors keep every level (R's rule).
struct DesignPlan {
    let columnCount: Int
    /// `allLevels[term][factor]`: whether that categorical factor is fully coded.
    let allLevels: [[Bool]]

    init(formula: Formula, codings: [String: CategoricalCoding], rows: Int) throws {
        var emptyTermPresent = formula.intercept
        var total = formula.intercept ? 1 : 0
        var allLevels: [[Bool]] = []
        for (termIndex, t) in formula.terms.enumerated() {
            var flags: [Bool] = []
            var width = 1
            var fullyCoded = false
            var sizes: [String] = []
            for (factorIndex, f) in t.enumerated() {
                var k = 1
                if case .categorical(let c) = f, let coding = codings[c] {
                    let contrasts = formula.codesWithContrasts(termIndex: termIndex, factorIndex: factorIndex,
                                                               emptyTermPresent: emptyTermPresent)
                    if !contrasts && t.count == 1 { fullyCoded = true }
                    flags.append(!contrasts)
                    k = coding.levels.count - (contrasts ? 1 : 0)
                    sizes.append("\(k)")
                } else {
                    flags.append(false)
                }
                let (product, overflow) = width.multipliedReportingOverflow(by: k)
                width = overflow ? Int.max : product
            }
            allLevels.append(flags)
            let (sum, overflow) = total.addingReportingOverflow(width)
            total = overflow ? Int.max : sum
            let termText = t.map { f -> String in if case .categorical(let c) = f { return "C(\(c))" } else { return f.label } }.joined(separator: ":")
            let why = sizes.count > 1 ? " (\(sizes.joined(separator: " × ")) level columns)" : ""
            if total > rows {
                throw NumericsError(.invalidData, "the design needs at least \(total) columns but only \(rows) rows are complete: a model cannot estimate more coefficients than it has rows. The term \(termText) alone has \(width) columns\(why); pool rare levels (minimum level count) or leave the term out", terms: [termText])
            }
            if total.multipliedReportingOverflow(by: rows).overflow || total * rows > ModelFrame.maximumCells {
                throw NumericsError(.invalidData, "the design would hold \(total) columns × \(rows) rows, more than \(ModelFrame.maximumCells / (1 << 27)) GiB; the term \(termText) has \(width) columns\(why)", terms: [termText])
            }
            // without an intercept a fully coded main effect spans it: later factors use contrasts
            if fullyCoded { emptyTermPresent = true }
        }
        self.columnCount = total
        self.allLevels = allLevels
    }
}
