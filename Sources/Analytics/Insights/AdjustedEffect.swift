import Foundation
import Statistics

/// One exposure's effect on an outcome, estimated with and without adjustment.
///
/// The adjusted model is a logistic (binary outcome) or linear (rating) regression of the outcome
/// on the exposure columns plus the confounders, with cluster-robust (CR1) standard errors by
/// developer. Because the number of developers can be small, tests use Student's t with G − 1
/// degrees of freedom (G clusters) rather than the normal. Effects are reported on the outcome's
/// scale as average marginal effects: for a 0/1 exposure the mean over the rows of
/// `P(y | exposure on) − P(y | exposure off)` at each row's own covariates; for a count, the mean
/// of `β·p(1 − p)` per unit; for a linear model, β itself. Interval ends are the same averages
/// at the coefficient's interval ends (the other coefficients held at their estimates).
struct AdjustedEffect {
    var coefficient: Double
    var standardError: Double
    var pValue: Double
    var effect: EffectEstimate
    var nobs: Int
    var clusters: Int
}

/// Builds design columns over a subset of rows.
struct DesignColumns {
    var names: [String] = []
    var columns: [[Double]] = []

    mutating func add(_ name: String, _ values: [Double]) {
        names.append(name)
        columns.append(values)
    }

    /// Appends every column of `other` (same rows), in its order.
    mutating func append(_ other: DesignColumns) {
        names += other.names
        columns += other.columns
    }

    /// This design without the column named `name` (unchanged when there is none).
    func removing(_ name: String) -> DesignColumns {
        guard let k = names.firstIndex(of: name) else { return self }
        var out = self
        out.names.remove(at: k)
        out.columns.remove(at: k)
        return out
    }

    /// The session confounders alone (see ``addSessionConfounders``).
    static func sessionConfounders(_ s: EffectData.SessionColumns, rows: [Int], smooth: Bool) -> DesignColumns {
        var design = DesignColumns()
        design.addSessionConfounders(s, rows: rows, smooth: smooth)
        return design
    }

    /// 0/1 columns for every level of `codes` but `reference`; levels with fewer than
    /// `minimum` rows are pooled into the reference (so no column is empty or nearly so).
    mutating func addDummies(_ prefix: String, codes: [Int], levels: [String], reference: Int? = nil, minimum: Int = 30) {
        var counts = [Int](repeating: 0, count: levels.count)
        for c in codes where c >= 0 { counts[c] += 1 }
        let ref = reference ?? counts.indices.max { counts[$0] < counts[$1] } ?? 0
        for level in levels.indices where level != ref && counts[level] >= minimum && counts[level] < codes.count {
            add("\(prefix)=\(levels[level])", codes.map { $0 == level ? 1 : 0 })
        }
    }

    /// Session length as a category of adjacent lengths, each bin holding at least
    /// max(30, n/20) rows (so about 20 bins at most, none so small that a binary outcome is
    /// constant in it by chance): the adjustment assumes no shape for its effect.
    /// With `smooth`, session length enters as a quadratic in log length instead: the fallback
    /// when a binary outcome is constant within some bin (separation).
    mutating func addSessionConfounders(_ s: EffectData.SessionColumns, rows: [Int], skipContext: Int? = nil, smooth: Bool = false) {
        addDummies("task_type", codes: rows.map { s.task[$0] }, levels: s.taskLevels)
        let lengths = rows.map { max(0, Int(s.steps[$0])) }
        if smooth {
            let logs = lengths.map { Foundation.log(1 + Double($0)) }
            let mean = logs.reduce(0, +) / Double(max(1, logs.count))
            add("log_session_length", logs.map { $0 - mean })
            add("log_session_length^2", logs.map { ($0 - mean) * ($0 - mean) })
        } else {
            let bins = Self.lengthBins(lengths, minimum: max(30, rows.count / 20))
            addDummies("session_length", codes: lengths.map { bins.code[$0] ?? 0 }, levels: bins.levels)
        }
        let days = rows.map { s.day[$0] }
        let mean = days.reduce(0, +) / Double(max(1, days.count))
        let spread = (days.max() ?? 0) - (days.min() ?? 0)
        if spread > 0 { add("day", days.map { ($0 - mean) / spread }) }
        for (k, type) in EffectData.contextTypes.enumerated() where k != skipContext {
            let values = rows.map { s.context[k][$0] }
            let ones = values.reduce(0, +)
            if ones >= 30 && ones <= Double(values.count - 30) { add("context=\(type)", values) }
        }
    }

    /// Adjacent session lengths merged into bins of at least `minimum` rows (the last bin takes
    /// any remainder); returns each length's bin and the bins' labels.
    static func lengthBins(_ lengths: [Int], minimum: Int) -> (code: [Int: Int], levels: [String]) {
        var counts: [Int: Int] = [:]
        for l in lengths { counts[l, default: 0] += 1 }
        var code: [Int: Int] = [:], levels: [String] = []
        var current: [Int] = [], filled = 0
        for l in counts.keys.sorted() {
            current.append(l); filled += counts[l] ?? 0
            if filled >= minimum {
                for v in current { code[v] = levels.count }
                levels.append("\(current.first ?? 0)-\(current.last ?? 0)")
                current = []; filled = 0
            }
        }
        if !current.isEmpty {
            if levels.isEmpty { levels.append("\(current.first ?? 0)-\(current.last ?? 0)") }
            for v in current { code[v] = levels.count - 1 }
        }
        return (code, levels)
    }

    var matrix: Matrix { (try? Matrix(columns: columns)) ?? Matrix(rows: 0, columns: 0) }
}

enum OutcomeKind { case binary, rating }

/// One fitted model of `y ~ design`: what every exposure's ``AdjustedEffect`` is read from.
///
/// Several hypotheses share a model when only the column they test differs (each level of a
/// factor against its reference; several exposures in one model): the model is fitted once and
/// each effect is read from the same fit, which gives exactly what one fit per hypothesis gave.
struct FittedDesign {
    var kind: OutcomeKind
    var coefficients: [Double]
    /// Per design column (the intercept left out).
    var terms: [TermEstimate]
    var nobs: Int
    var clusters: Int

    /// Fits `y ~ design` (logistic for a binary outcome, linear for a rating) with cluster-robust
    /// (CR1) standard errors by `clusters`.
    init(y: [Double], design: DesignColumns, clusters: [Int], kind: OutcomeKind) throws {
        let x = design.matrix
        let covariance = CovarianceKind.cluster(clusters)
        switch kind {
        case .binary:
            var options = LogisticRegressionOptions()
            options.covariance = covariance
            options.threads = 1
            let fit = try LogisticRegression.fit(x: x, y: y, termNames: design.names, options: options)
            coefficients = fit.coefficients
            terms = Array(fit.terms.dropFirst())
        case .rating:
            var options = LinearRegressionOptions()
            options.covariance = covariance
            let fit = try LinearRegression.fit(x: x, y: y, termNames: design.names, options: options)
            coefficients = fit.coefficients
            terms = Array(fit.terms.dropFirst())
        }
        self.kind = kind
        nobs = y.count
        self.clusters = Self.distinctCount(clusters)
    }

    /// The number of distinct cluster codes (codes are small non-negative integers: one pass
    /// over a bitmap, no hashing; any negative code falls back to a set).
    static func distinctCount(_ codes: [Int]) -> Int {
        guard let top = codes.max(), let bottom = codes.min() else { return 0 }
        guard bottom >= 0, top < 1 << 24 else { return Set(codes).count }
        var seen = [Bool](repeating: false, count: top + 1)
        var count = 0
        for c in codes where !seen[c] { seen[c] = true; count += 1 }
        return count
    }
}

extension AdjustedEffect {
    /// Fits `y ~ design` and returns the effect of the columns `exposure` (indices into the design)
    /// taken together as one 0/1 switch (`binaryExposure`), or of column `exposure[0]` per unit.
    ///
    /// For a categorical exposure (`exposure` = the factor's dummy columns, `target` = the level's
    /// column), the contrast is "this level" against the reference level.
    static func estimate(y: [Double], design: DesignColumns, target: Int, factorColumns: [Int]? = nil,
                         binaryExposure: Bool, clusters: [Int], kind: OutcomeKind, scale: String) throws -> AdjustedEffect {
        let fit = try FittedDesign(y: y, design: design, clusters: clusters, kind: kind)
        return read(fit, design: design, target: target, factorColumns: factorColumns, binaryExposure: binaryExposure, scale: scale)
    }

    /// The effect of column `target` of a fitted model (see ``estimate``): its t test with G − 1
    /// degrees of freedom and, for a binary outcome, the average marginal effect.
    static func read(_ fit: FittedDesign, design: DesignColumns, target: Int, factorColumns: [Int]? = nil,
                     binaryExposure: Bool, scale: String) -> AdjustedEffect {
        let coefficients = fit.coefficients
        let term = fit.terms[target]
        let g = fit.clusters
        let df = Double(max(1, g - 1))
        let t = StudentT(degreesOfFreedom: df)
        let statistic = term.estimate / term.stdError
        let p = term.stdError > 0 && statistic.isFinite ? min(1, 2 * t.sf(abs(statistic))) : 1
        let half = t.quantile(0.975) * term.stdError
        let (low, high) = (term.estimate - half, term.estimate + half)

        let effect: EffectEstimate
        switch fit.kind {
        case .rating:
            effect = EffectEstimate(estimate: term.estimate, confLow: low, confHigh: high, scale: scale)
        case .binary:
            let n = fit.nobs
            // linear predictor without the exposure (and without the rest of its factor)
            let zeroed = Set(factorColumns ?? [target])
            var eta = [Double](repeating: coefficients[0], count: n)
            var etaFull = eta
            for (j, column) in design.columns.enumerated() {
                let b = coefficients[j + 1]
                if zeroed.contains(j) {
                    for i in 0..<n { etaFull[i] += b * column[i] }
                } else {
                    for i in 0..<n { etaFull[i] += b * column[i]; eta[i] += b * column[i] }
                }
            }
            func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
            func average(_ b: Double) -> Double {
                var s = 0.0
                if binaryExposure {
                    for i in 0..<n { s += sigmoid(eta[i] + b) - sigmoid(eta[i]) }
                } else {
                    for i in 0..<n { let q = sigmoid(etaFull[i]); s += b * q * (1 - q) }
                }
                return s / Double(n)
            }
            effect = EffectEstimate(estimate: average(term.estimate), confLow: average(low), confHigh: average(high), scale: scale)
        }
        return AdjustedEffect(coefficient: term.estimate, standardError: term.stdError, pValue: p, effect: effect,
                              nobs: fit.nobs, clusters: g)
    }

    /// The unadjusted effect: the same model with the exposure alone.
    static func raw(y: [Double], exposure: [Double], binaryExposure: Bool, clusters: [Int], kind: OutcomeKind,
                    scale: String) throws -> AdjustedEffect {
        var design = DesignColumns()
        design.add("exposure", exposure)
        return try estimate(y: y, design: design, target: 0, binaryExposure: binaryExposure, clusters: clusters, kind: kind, scale: scale)
    }
}
