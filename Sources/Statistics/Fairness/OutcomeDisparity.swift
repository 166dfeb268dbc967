import Foundation

/// Differences of an outcome between groups, raw and adjusted for what each group works on.
///
/// For each group against the reference group (the largest): the raw contrast from a regression
/// of the outcome on the group alone, and the adjusted contrast from one regression of the
/// outcome on the group plus the task-mix covariates (each one-hot coded against its most
/// frequent level), pooled across all strata: logistic for a 0/1 outcome (contrasts are log odds
/// ratios), least squares otherwise (differences of means). Standard errors are cluster-robust
/// (CR1) by `clusters` (the developer), because one developer's events are not independent. A
/// raw difference that disappears once the covariates enter is explained by the task mix; one
/// that stays is not.
public struct OutcomeDisparity: Sendable {
    /// Whether the outcome is 0/1 (logistic, rates) or continuous (linear, means).
    public enum Kind: String, Sendable { case binary, continuous }

    /// One group's level of the outcome.
    public struct GroupLevel: Sendable {
        public let group: String
        public let count: Int
        /// Distinct clusters (developers) in the group.
        public let clusters: Int
        /// Rate (binary) or mean (continuous).
        public let estimate: Double
        /// Wilson interval (binary) or mean ± t·sd/√n (continuous) at 95%, treating rows as
        /// independent (the contrasts below account for clustering).
        public let confLow: Double, confHigh: Double
    }

    /// One group against the reference.
    public struct Contrast: Sendable {
        public let group: String
        public let reference: String
        /// Rate or mean of the group minus that of the reference.
        public let rawDifference: Double
        /// Group-only regression: log odds ratio or mean difference, its cluster-robust SE and p-value.
        public let raw: TermEstimate
        /// Group plus covariates, the same scale.
        public let adjusted: TermEstimate
    }

    public let kind: Kind
    public let nobs: Int
    public let clusterCount: Int
    public let reference: String
    public let groups: [GroupLevel]
    public let contrasts: [Contrast]
    /// The covariates adjusted for, with their levels after pooling.
    public let covariates: [(name: String, levels: Int)]
    /// Rows left out of the adjusted fit because a covariate level predicts their 0/1 outcome
    /// perfectly (e.g. an interaction type that always succeeds).
    public let rowsPerfectlyPredicted: Int

    /// Levels of a covariate seen on fewer rows than this are pooled into one level.
    public static let minimumLevelCount = 20

    /// Compares `outcome` across `groups` (parallel arrays, one row per event).
    /// - Throws: ``NumericsError`` when there are fewer than two groups, the model cannot be
    ///   fitted (a group where the outcome never varies, separation), or the arrays disagree.
    public static func compare(outcome: [Double], groups: [String], covariates: [(name: String, values: [String])],
                               clusters: [String], kind: Kind) throws -> OutcomeDisparity {
        let n = outcome.count
        guard groups.count == n, clusters.count == n, covariates.allSatisfy({ $0.values.count == n }) else {
            throw NumericsError(.badArgument, "outcome, groups, clusters and covariates must have equally many rows")
        }
        guard outcome.allSatisfy(\.isFinite), kind == .continuous || outcome.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw NumericsError(.invalidData, kind == .binary ? "a binary outcome must be 0 or 1 on every row" : "the outcome must be finite on every row")
        }
        let groupLevels = Self.levels(groups)
        guard groupLevels.count >= 2 else {
            throw NumericsError(.invalidData, "comparing groups needs at least two; the data have \(groupLevels.count)")
        }
        let reference = groupLevels[0]
        var clusterID: [String: Int] = [:]
        let clusterCodes = clusters.map { c in clusterID[c] ?? { clusterID[c] = clusterID.count; return clusterID.count - 1 }() }

        let levels = groupLevels.map { g in
            let rows = groups.indices.filter { groups[$0] == g }
            let values = rows.map { outcome[$0] }
            let count = values.count, mean = values.reduce(0, +) / Double(count)
            let interval: (Double, Double)
            if kind == .binary {
                interval = (try? ProportionIntervals.wilson(successes: Int(values.reduce(0, +)), trials: count)) ?? (.nan, .nan)
            } else if count > 1 {
                let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count - 1)).squareRoot()
                let half = StudentT(degreesOfFreedom: Double(count - 1)).quantile(0.975) * sd / Double(count).squareRoot()
                interval = (mean - half, mean + half)
            } else {
                interval = (.nan, .nan)
            }
            return GroupLevel(group: g, count: count, clusters: Set(rows.map { clusterCodes[$0] }).count,
                              estimate: mean, confLow: interval.0, confHigh: interval.1)
        }

        let groupColumns = Self.dummies(groups, levels: groupLevels, prefix: "group=")
        var covariateColumns: [(names: [String], columns: [[Double]])] = []
        var covariateSummary: [(name: String, levels: Int)] = []
        for covariate in covariates {
            let pooled = Self.pooled(covariate.values)
            let covariateLevels = Self.levels(pooled)
            guard covariateLevels.count >= 2 else { continue }
            covariateColumns.append(Self.dummies(pooled, levels: covariateLevels, prefix: covariate.name + "="))
            covariateSummary.append((covariate.name, covariateLevels.count))
        }
        let raw = try fit(outcome, columns: groupColumns.columns, names: groupColumns.names, clusters: clusterCodes, kind: kind)
        // A covariate level whose rows all have the same 0/1 outcome is perfectly predicted: its
        // coefficient has no finite estimate, and its rows carry no information about the others
        // (the likelihood of the rest is maximised by them alone), so they leave the adjusted fit.
        let informative = kind == .binary ? Self.informativeRows(outcome, covariateColumns.flatMap(\.columns)) : Array(0..<n)
        let keep = { (column: [Double]) in informative.map { column[$0] } }
        let adjustedCovariates = covariateColumns.flatMap { c in zip(c.names, c.columns).map { ($0, keep($1)) } }.filter { $0.1.contains(1) }
        let adjusted = try fit(keep(outcome), columns: groupColumns.columns.map(keep) + adjustedCovariates.map(\.1),
                               names: groupColumns.names + adjustedCovariates.map(\.0), clusters: keep(clusterCodes.map(Double.init)).map { Int($0) }, kind: kind)
        let contrasts = groupLevels.dropFirst().enumerated().map { k, g in
            Contrast(group: g, reference: reference, rawDifference: levels[k + 1].estimate - levels[0].estimate,
                     raw: raw[k + 1], adjusted: adjusted[k + 1])
        }
        return OutcomeDisparity(kind: kind, nobs: n, clusterCount: clusterID.count, reference: reference, groups: levels,
                                contrasts: contrasts, covariates: covariateSummary, rowsPerfectlyPredicted: n - informative.count)
    }

    /// Rows outside every dummy column whose rows all share one outcome.
    static func informativeRows(_ y: [Double], _ dummies: [[Double]]) -> [Int] {
        var excluded = [Bool](repeating: false, count: y.count)
        for column in dummies {
            var ones = 0, positives = 0
            for (i, x) in column.enumerated() where x == 1 { ones += 1; positives += y[i] == 1 ? 1 : 0 }
            guard ones > 0, positives == 0 || positives == ones else { continue }
            for (i, x) in column.enumerated() where x == 1 { excluded[i] = true }
        }
        return y.indices.filter { !excluded[$0] }
    }

    /// The terms of the fit (intercept first).
    static func fit(_ y: [Double], columns: [[Double]], names: [String], clusters: [Int], kind: Kind) throws -> [TermEstimate] {
        let x = try Matrix(columns: columns)
        switch kind {
        case .binary:
            var options = LogisticRegressionOptions()
            options.covariance = .cluster(clusters)
            return try LogisticRegression.fit(x: x, y: y, termNames: names, options: options).terms
        case .continuous:
            var options = LinearRegressionOptions()
            options.covariance = .cluster(clusters)
            return try LinearRegression.fit(x: x, y: y, termNames: names, options: options).terms
        }
    }

    /// Distinct values, most frequent first (ties in code-point order): the first is the reference.
    public static func levels(_ values: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.keys.sorted { a, b in
            counts[a]! != counts[b]! ? counts[a]! > counts[b]! : a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }
    }

    /// Rare values (fewer than ``minimumLevelCount`` rows) replaced by `(other)`.
    public static func pooled(_ values: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return values.map { counts[$0]! < minimumLevelCount ? "(other)" : $0 }
    }

    /// 0/1 columns for every level but the first.
    public static func dummies(_ values: [String], levels: [String], prefix: String) -> (names: [String], columns: [[Double]]) {
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        var columns = [[Double]](repeating: [Double](repeating: 0, count: values.count), count: levels.count - 1)
        for (i, v) in values.enumerated() where index[v]! > 0 { columns[index[v]! - 1][i] = 1 }
        return (levels.dropFirst().map { prefix + $0 }, columns)
    }
}
