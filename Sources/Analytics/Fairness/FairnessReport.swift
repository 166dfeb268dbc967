import Foundation
import Statistics
import Store

/// The engine's bias and fairness report on the database: outcomes compared across groups (raw
/// and adjusted for the task mix, with false-discovery control) and its classifiers audited on
/// held-out data.
public struct FairnessReport: Sendable {
    /// One outcome's comparison, or why it could not be made.
    public struct Outcome: Sendable {
        public let name: String
        public let description: String
        public let comparison: OutcomeDisparity?
        /// Benjamini–Hochberg q-values of the raw and adjusted contrasts (parallel to
        /// `comparison.contrasts`), over every contrast of every outcome in the report.
        public let rawQ: [Double]
        public let adjustedQ: [Double]
        public let rowsWithoutGroup: Int
        public let skipped: String?

        /// The reading of contrast `k` at FDR `alpha`.
        public func verdict(_ k: Int, alpha: Double) -> Verdict {
            if adjustedQ[k] <= alpha { return .persists }
            if rawQ[k] <= alpha { return .explainedByTaskMix }
            return .none
        }
    }

    /// What a contrast says once both tests are in.
    public enum Verdict: String, Sendable {
        /// Significant after adjusting for the task mix.
        case persists = "difference persists after adjusting for task mix"
        /// Significant raw, not after adjustment: the groups work on different things.
        case explainedByTaskMix = "raw difference explained by task mix"
        case none = "no significant difference"
    }

    public let grouping: FairnessGrouping
    public let since: String?
    public let alpha: Double
    public let outcomes: [Outcome]
    public let classifiers: [Result<ClassifierAudit, FairnessReportError>]

    /// Builds the report.
    /// - Parameters:
    ///   - group: the grouping (see ``FairnessGrouping/resolve(_:connection:)``); nil for the default.
    ///   - since: only sessions started at or after this time (`YYYY-MM-DD` or a timestamp).
    ///   - model: the classifiers' source: fitted in-process, or a registered model's champion
    ///     (``FairnessClassifierSource/registry(_:)``; `acceptance` names `code_acceptance`).
    ///   - threshold: probability at or above which a classifier predicts 1.
    ///   - resamples, seed: the bootstrap of the classifier disparities.
    ///   - alpha: the false-discovery rate at which a contrast is called significant.
    ///   - auditClassifiers: false to compare the outcomes only (the HTML report and the insight
    ///     source need no classifier audit, which costs a fit and a bootstrap).
    public static func make(_ connection: Connection, group: String?, since: String? = nil, model: FairnessClassifierSource = .inProcess,
                            threshold: Double = 0.5, resamples: Int = 1000, seed: UInt64 = 1, alpha: Double = 0.05,
                            auditClassifiers: Bool = true) throws -> FairnessReport {
        let grouping = try FairnessGrouping.resolve(group, connection: connection)
        let from = since ?? "-infinity"
        var comparisons: [(FairnessOutcome, OutcomeDisparity?, Int, String?)] = []
        for outcome in FairnessOutcome.all {
            guard outcome.accepts(grouping) else {
                comparisons.append((outcome, nil, 0, "not defined for grouping by \(grouping.name)")); continue
            }
            do {
                let (disparity, without) = try outcome.compare(connection, grouping: grouping, since: from)
                comparisons.append((outcome, disparity, without, nil))
            } catch let error as NumericsError {
                comparisons.append((outcome, nil, 0, error.message))
            }
        }
        let raw = comparisons.flatMap { $0.1?.contrasts.map(\.raw.pValue) ?? [] }
        let adjusted = comparisons.flatMap { $0.1?.contrasts.map(\.adjusted.pValue) ?? [] }
        // one family each for the raw and the adjusted contrasts; a contrast without a p-value is not counted
        func qValues(_ p: [Double]) throws -> ArraySlice<Double> {
            try BenjaminiHochberg.adjust(allowingUntested: p.map { $0.isNaN ? nil : $0 }).map { $0 ?? .nan }[...]
        }
        var rawQ = try qValues(raw), adjustedQ = try qValues(adjusted)
        let outcomes = comparisons.map { outcome, disparity, without, skipped in
            let k = disparity?.contrasts.count ?? 0
            defer { rawQ = rawQ.dropFirst(k); adjustedQ = adjustedQ.dropFirst(k) }
            return Outcome(name: outcome.name, description: outcome.description, comparison: disparity,
                           rawQ: Array(rawQ.prefix(k)), adjustedQ: Array(adjustedQ.prefix(k)), rowsWithoutGroup: without, skipped: skipped)
        }
        if auditClassifiers, case .registry(let name) = model {
            // a registered model: its champion, scored on the rows it was not fitted on; failures are the user's to fix
            let audit = try RegistryClassifierAudit.audit(connection, model: name, grouping: grouping, since: from,
                                                          threshold: threshold, resamples: resamples, seed: seed)
            return FairnessReport(grouping: grouping, since: since, alpha: alpha, outcomes: outcomes, classifiers: [.success(audit)])
        }
        let classifiers = !auditClassifiers ? [] : FairnessClassifier.all.map { classifier -> Result<ClassifierAudit, FairnessReportError> in
            do {
                return .success(try classifier.audit(connection, grouping: grouping, since: from, threshold: threshold, resamples: resamples, seed: seed))
            } catch let error as FairnessReportError {
                return .failure(error)
            } catch {
                return .failure(FairnessReportError("\(error)"))
            }
        }
        return FairnessReport(grouping: grouping, since: since, alpha: alpha, outcomes: outcomes, classifiers: classifiers)
    }
}
