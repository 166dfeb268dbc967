import Foundation
import Primitives
import Statistics
import Store

/// Options of a training run.
public struct TrainingOptions: Sendable {
    /// Share of the data window (by time) used for training; the rest, the latest rows, evaluates.
    public var trainFraction = 0.8
    /// Cluster standard errors by developer when the training rows have at least this many
    /// developers, otherwise by session.
    public var minimumDevelopers = 30
    /// Fewest training rows per design parameter: below it the model is not fitted.
    public var minimumRowsPerParameter = 5
    /// Only rows at or after / before these times (microseconds since 1970).
    public var since: Int64?
    public var until: Int64?
    /// Features to leave out (reported as dropped by request).
    public var excludedFeatures: Set<String> = []
    public var encoding = EncodingBuilder()
    public init() {}
}

/// Trains a model from its feature query: query → frame (binary COPY) → time split → encoding →
/// fit with cluster-robust SEs → held-out evaluation → artifact.
public enum ModelTrainer {
    /// Runs `spec`'s query on `connection` and trains on its rows.
    public static func train(_ spec: ModelSpec, connection: Connection, options: TrainingOptions = TrainingOptions()) throws -> ModelArtifact {
        let frame = try PostgresFrame.read(connection, query: windowedQuery(spec.query, since: options.since, until: options.until), only: spec.columns)
        return try train(spec, table: FeatureTable(frame: frame, spec: spec), options: options)
    }

    /// `query` restricted to `occurred_at` in `[since, until)`.
    public static func windowedQuery(_ query: String, since: Int64?, until: Int64?) -> String {
        var conditions: [String] = []
        if let since { conditions.append("occurred_at >= timestamptz '\(TimestampText.format(microseconds: since))'") }
        if let until { conditions.append("occurred_at < timestamptz '\(TimestampText.format(microseconds: until))'") }
        guard !conditions.isEmpty else { return query }
        return "SELECT * FROM (\n\(query)\n) AS model_rows WHERE " + conditions.joined(separator: " AND ")
    }

    /// Trains on the rows of `table` (a frame of `spec`'s query).
    public static func train(_ spec: ModelSpec, table: FeatureTable, options: TrainingOptions = TrainingOptions(), group: String? = nil) throws -> ModelArtifact {
        let usable = (0..<table.rowCount).filter { table.response[$0] != nil && table.times[$0] != nil }
        guard let tmin = usable.map({ table.times[$0]! }).min(), let tmax = usable.map({ table.times[$0]! }).max(), tmax > tmin else {
            throw ModelsError(.cannotTrain, "\(spec.name): \(usable.count) rows with a response and a time; a time split needs rows at two or more times")
        }
        if spec.kind == .logistic, let bad = usable.first(where: { table.response[$0] != 0 && table.response[$0] != 1 }) {
            throw ModelsError(.cannotTrain, "\(spec.name): the response \(spec.response) must be 0 or 1; row \(table.rowKeys[bad] ?? "?") has \(table.response[bad]!)")
        }
        let cutoff = tmin + Int64((Double(tmax - tmin) * options.trainFraction).rounded())
        let trainCandidates = usable.filter { table.times[$0]! < cutoff }
        let evalCandidates = usable.filter { table.times[$0]! >= cutoff }
        var fitted = spec
        if !options.excludedFeatures.isEmpty {
            fitted = ModelSpec(name: spec.name, kind: spec.kind, response: spec.response,
                               features: spec.features.filter { !options.excludedFeatures.contains($0.name) },
                               interactions: spec.interactions.filter { !options.excludedFeatures.contains($0.categorical) && !options.excludedFeatures.contains($0.numeric) },
                               rowMeaning: spec.rowMeaning, summary: spec.summary, query: spec.query)
        }
        var (encoding, trainRows, incomplete) = try options.encoding.build(spec: fitted, table: table, rows: trainCandidates)
        if !options.excludedFeatures.isEmpty {
            encoding = FeatureEncoding(columns: encoding.columns, categoricals: encoding.categoricals, usedFeatures: encoding.usedFeatures,
                                       dropped: options.excludedFeatures.sorted().map { DroppedTerm(term: $0, reason: "left out on request (--without)") } + encoding.dropped)
        }
        let y = trainRows.map { table.response[$0]! }
        if spec.kind == .logistic, !(y.contains(0) && y.contains(1)) {
            throw ModelsError(.cannotTrain, "\(spec.name): the \(y.count) training rows all have \(spec.response) = \(Int(y.first ?? 0)); a classifier needs both outcomes")
        }
        let (covariance, clusterLabel) = clusters(table, rows: trainRows, minimumDevelopers: options.minimumDevelopers)
        let fit = try fitDropping(spec: spec, table: table, rows: trainRows, y: y, encoding: &encoding, covariance: covariance,
                                  minimumRowsPerParameter: options.minimumRowsPerParameter)

        var artifact = ModelArtifact(
            model: spec.name, version: "", kind: spec.kind, summary: spec.summary, response: spec.response, rowMeaning: spec.rowMeaning,
            group: group, features: spec.features, interactions: spec.interactions, encoding: encoding, coefficients: fit.terms.map(Coefficient.init),
            covariance: (0..<fit.covariance.rows).map { fit.covariance.row($0) },
            covarianceLabel: fit.covarianceLabel + clusterLabel, criticalValue: fit.critical, residualStandardDeviation: fit.sigma,
            evaluation: try ModelEvaluation.linear(f: [0], y: [0], mean: 0),
            window: DataWindow(trainStart: TimestampText.format(microseconds: tmin), evaluationStart: TimestampText.format(microseconds: cutoff),
                               evaluationEnd: TimestampText.format(microseconds: tmax), trainStartMicros: tmin,
                               evaluationStartMicros: cutoff, evaluationEndMicros: tmax),
            rows: RowCounts(queried: table.rowCount, responseMissing: table.rowCount - usable.count, trainingIncomplete: incomplete,
                            training: trainRows.count, evaluationIncomplete: 0, evaluation: 0, evaluationUnseenLevel: 0),
            query: spec.query, queryChecksum: spec.queryChecksum, engineVersion: EngineVersion.current,
            trainedAt: TimestampText.format(secondsSince1970: Date().timeIntervalSince1970))
        let evalRows = evalCandidates.filter { table.isComplete($0, for: encoding) }
        guard !evalRows.isEmpty else {
            throw ModelsError(.cannotTrain, "\(spec.name): no evaluation rows (the latest \(Int((100 * (1 - options.trainFraction)).rounded()))% of the window) have every kept feature")
        }
        let evaluation = try evaluate(artifact, table: table, rows: evalRows, trainMean: y.reduce(0, +) / Double(y.count))
        let unseen = evalRows.filter { r in encoding.categoricals.contains { c in !c.levels.contains(table.text(c.feature, r) ?? "") } }.count
        artifact = artifact.with(evaluation: evaluation,
                                 rows: RowCounts(queried: table.rowCount, responseMissing: table.rowCount - usable.count, trainingIncomplete: incomplete,
                                                 training: trainRows.count, evaluationIncomplete: evalCandidates.count - evalRows.count,
                                                 evaluation: evalRows.count, evaluationUnseenLevel: unseen))
        return artifact
    }

    /// The held-out figures of `artifact` on `rows` of `table`, beside the baseline `trainMean`.
    public static func evaluate(_ artifact: ModelArtifact, table: FeatureTable, rows: [Int], trainMean: Double) throws -> ModelEvaluation {
        let predicted = artifact.score(table, rows: rows)
        let observed = rows.map { table.response[$0] ?? .nan }
        return artifact.kind == .logistic
            ? try ModelEvaluation.classifier(p: predicted, y: observed, rate: trainMean)
            : try ModelEvaluation.linear(f: predicted, y: observed, mean: trainMean)
    }

    /// Cluster ids by developer (≥ `minimumDevelopers` developers) or else by session; rows
    /// without the id form clusters of their own.
    static func clusters(_ table: FeatureTable, rows: [Int], minimumDevelopers: Int) -> (CovarianceKind, String) {
        let developers = Set(rows.compactMap { table.developers[$0] })
        let byDeveloper = developers.count >= minimumDevelopers
        let keys = byDeveloper ? table.developers : table.sessions
        var index: [String: Int] = [:]
        var ids: [Int] = []
        for (i, r) in rows.enumerated() {
            let k = keys[r] ?? "\u{0}row\(i)"
            if let id = index[k] { ids.append(id) } else { index[k] = index.count; ids.append(index.count - 1) }
        }
        guard index.count >= 2 else { return (.classical, " (one cluster: model-based errors)") }
        let name = byDeveloper ? "developer_id" : "session_id (\(developers.count) developer\(developers.count == 1 ? "" : "s"), fewer than \(minimumDevelopers))"
        return (.cluster(ids), " by \(name)")
    }

    struct Fit {
        let terms: [TermEstimate]
        let covariance: Matrix
        let covarianceLabel: String
        let critical: Double
        let sigma: Double?
    }

    /// Fits, and when the fit names aliased or separated terms, drops those columns (reported)
    /// and fits again: a degenerate column never stops a model.
    static func fitDropping(spec: ModelSpec, table: FeatureTable, rows: [Int], y: [Double], encoding: inout FeatureEncoding,
                            covariance: CovarianceKind, minimumRowsPerParameter: Int) throws -> Fit {
        for _ in 0..<8 {
            let k = encoding.columns.count + 1
            guard encoding.columns.count > 0 else {
                throw ModelsError(.cannotTrain, "\(spec.name): no usable feature is left (\(encoding.dropped.map { "\($0.term): \($0.reason)" }.joined(separator: "; ")))")
            }
            guard rows.count >= minimumRowsPerParameter * k else {
                throw ModelsError(.cannotTrain, "\(spec.name): \(rows.count) training rows for \(k) parameters; at least \(minimumRowsPerParameter * k) are needed")
            }
            let x = table.design(encoding, rows: rows)
            let names = encoding.columns.map(\.term)
            do {
                if spec.kind == .logistic {
                    var o = LogisticRegressionOptions()
                    o.covariance = covariance
                    let r = try LogisticRegression.fit(x: x, y: y, termNames: names, options: o)
                    return Fit(terms: r.terms, covariance: r.covariance, covarianceLabel: r.covarianceKind.label,
                               critical: Normal().quantile(0.975), sigma: nil)
                } else {
                    var o = LinearRegressionOptions()
                    o.covariance = covariance
                    let r = try LinearRegression.fit(x: x, y: y, termNames: names, options: o)
                    return Fit(terms: r.terms, covariance: r.covariance, covarianceLabel: r.covarianceKind.label,
                               critical: StudentT(degreesOfFreedom: r.inferenceDF).quantile(0.975), sigma: r.sigma)
                }
            } catch let e as NumericsError where (e.code == .rankDeficient || e.code == .separation) && !Set(e.terms).intersection(names).isEmpty {
                let reason = e.code == .separation ? "separation: the outcome is (almost) perfectly predicted by this term"
                                                   : "aliased with other terms (rank deficient)"
                encoding = encoding.removing(terms: Set(e.terms).intersection(names), reason: reason)
            }
        }
        throw ModelsError(.cannotTrain, "\(spec.name): the design stayed degenerate after dropping aliased and separated terms")
    }
}

extension ModelArtifact {
    func with(evaluation: ModelEvaluation, rows: RowCounts) -> ModelArtifact {
        ModelArtifact(model: model, version: version, kind: kind, summary: summary, response: response, rowMeaning: rowMeaning,
                      group: group, features: features, interactions: interactions, encoding: encoding, coefficients: coefficients,
                      covariance: covariance, covarianceLabel: covarianceLabel, criticalValue: criticalValue,
                      residualStandardDeviation: residualStandardDeviation, evaluation: evaluation, window: window, rows: rows,
                      query: query, queryChecksum: queryChecksum, engineVersion: engineVersion, trainedAt: trainedAt)
    }

    /// The model specification this version was trained from (its own query and features).
    public var spec: ModelSpec {
        ModelSpec(name: model, kind: kind, response: response, features: features, interactions: interactions,
                  rowMeaning: rowMeaning, summary: summary, query: query)
    }
}
