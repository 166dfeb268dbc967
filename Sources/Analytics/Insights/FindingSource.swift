import Foundation
import Store

/// What a ``FindingSource`` may read: the database and the run's data window.
public struct FindingContext {
    public let connection: Connection
    /// Events at or after `since` (nil: from the start) and before `until` are analysed.
    public let since: Date?
    public let until: Date

    public init(connection: Connection, since: Date?, until: Date) {
        self.connection = connection
        self.since = since
        self.until = until
    }
}

/// A producer of candidate findings for the insights engine.
///
/// How to plug a source in (the pattern miner, the anomaly detector, model drift, forecasts,
/// fairness reports):
///
/// 1. Return one ``Finding`` per hypothesis you *tested*, significant or not. The engine puts
///    every source's p-values into one Benjamini–Hochberg family per run and fits the p-value
///    distribution (``BetaUniformMixture``) to turn each p-value into a confidence; dropping the
///    non-significant ones first would bias both. Do not adjust p-values yourself.
/// 2. `pValue` is two-sided for "no effect" and uniform under it. Where observations share a
///    developer or a session, use cluster-robust standard errors (see ``AdjustedEffects``).
/// 3. Give the adjusted estimate as `effect`, and the raw one as `rawEffect`/`rawPValue` when
///    you have both: the engine then says so when adjustment makes an effect vanish.
/// 4. Keep `kind`, `subject` and `metric` stable across runs: they (with the direction) are the
///    fingerprint that dedupes an insight across runs.
/// 5. `impact` is volume × |effect| in expected outcomes; the rank is impact × confidence.
///
/// A source that cannot run (a table it needs is empty) returns no findings; one that fails
/// throws, and the run fails with its error (nothing is written).
public protocol FindingSource {
    /// Stable name, stored with each insight (`ai_performance_insights.source`).
    var name: String { get }
    /// Candidate findings over the context's window.
    func findings(in context: FindingContext) throws -> [Finding]
}
