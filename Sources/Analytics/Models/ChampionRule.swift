import Foundation

/// The champion rule: a new version becomes champion only if its held-out log-loss (classifiers)
/// or RMSE (linear models) is not worse than the champion's, on the same evaluation rows, by more
/// than `tolerance` relative (1%).
public struct ChampionRule: Sendable {
    public var tolerance = 0.01
    public init() {}

    /// Decides for `candidate` against `champion`, both scored on the candidate's evaluation
    /// rows of `table` that are complete for both encodings. When the two versions come from
    /// different feature queries the rows are not comparable, and each one's own evaluation
    /// figure is compared instead (said in the reason).
    public func decide(candidate: ModelArtifact, champion: ModelArtifact?, table: FeatureTable) throws -> PromotionDecision {
        guard let champion else { return PromotionDecision(promoted: true, reason: "first version of \(candidate.model): champion") }
        let name = candidate.primaryMetric.name
        let (new, old): (Double, Double), basis: String
        if champion.queryChecksum == candidate.queryChecksum, champion.kind == candidate.kind {
            let rows = (0..<table.rowCount).filter {
                table.response[$0] != nil && (table.times[$0] ?? .min) >= candidate.window.evaluationStartMicros
                    && table.isComplete($0, for: candidate.encoding) && table.isComplete($0, for: champion.encoding)
            }
            guard !rows.isEmpty else {
                return PromotionDecision(promoted: false, reason: "no evaluation row can be scored by both versions; champion \(champion.version) kept")
            }
            (new, old) = (try metric(candidate, table, rows), try metric(champion, table, rows))
            basis = "on the same \(rows.count) evaluation rows from \(candidate.window.evaluationStart)"
        } else {
            (new, old) = (candidate.primaryMetric.value, champion.primaryMetric.value)
            basis = "each on its own evaluation window (the feature queries differ)"
        }
        let limit = old * (1 + tolerance)
        let figures = "\(name) \(format(new)) vs champion \(champion.version)'s \(format(old)) \(basis)"
        if new <= limit {
            return PromotionDecision(promoted: true, reason: "\(figures): not worse by more than \(Int(tolerance * 100))%, promoted")
        }
        return PromotionDecision(promoted: false, reason: "\(figures): worse by \(format(100 * (new / old - 1)))% (more than \(Int(tolerance * 100))%), saved but not promoted")
    }

    func metric(_ a: ModelArtifact, _ table: FeatureTable, _ rows: [Int]) throws -> Double {
        let e = try ModelTrainer.evaluate(a, table: table, rows: rows, trainMean: 0.5)
        return (a.kind == .logistic ? e.logLoss : e.rmse) ?? .infinity
    }

    func format(_ x: Double) -> String { String(format: "%.4f", x) }
}

/// What `ail train` did for one model.
public struct TrainOutcome: Sendable {
    public let artifact: ModelArtifact
    public let decision: PromotionDecision
}

/// Train → register → champion rule → (promote) → model_performance_metrics, for one model.
public enum ModelTraining {
    public static func trainAndRegister(_ spec: ModelSpec, registry: ModelRegistry, options: TrainingOptions = TrainingOptions(),
                                        rule: ChampionRule = ChampionRule()) throws -> TrainOutcome {
        let c = registry.connection
        let frame = try PostgresFrame.read(c, query: ModelTrainer.windowedQuery(spec.query, since: options.since, until: options.until),
                                           only: spec.columns)
        let table = try FeatureTable(frame: frame, spec: spec)
        let trained = try ModelTrainer.train(spec, table: table, options: options)
        let champion = try registry.champion(spec.name)
        let decision = try rule.decide(candidate: trained, champion: champion, table: table)
        let stored = try registry.register(trained, note: decision.reason)
        if decision.promoted, let v = Int(stored.version) { try registry.promote(spec.name, version: v) }
        try PerformanceMetrics.write(stored, connection: c)
        return TrainOutcome(artifact: stored, decision: decision)
    }
}
