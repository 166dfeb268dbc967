import Foundation
import Primitives
import Statistics
import Store

/// Findings from the fairness comparison (``FairnessReport``, without the classifier audit): one
/// per outcome and group against the reference group (the largest), on the default grouping
/// (`cohort` tags when sessions carry them, else task type) or the one given.
///
/// The claim is the **adjusted** contrast (one regression with the group and the task-mix
/// covariates, standard errors clustered by developer): a log odds ratio for 0/1 outcomes,
/// a difference of means otherwise, with its 95% interval and p-value; the raw contrast is
/// passed as `rawEffect`/`rawPValue`, so a difference explained by the task mix is reported as
/// vanishing after adjustment. The report's own q-values are not used: the p-values join the run's
/// single Benjamini–Hochberg family. Subject: `{grouping: group}`, e.g. `{"cohort": "product"}`.
public struct FairnessFindingSource: FindingSource {
    public let name = "fairness"
    /// The grouping (a tag key, context key or task_type); nil for the report's default.
    public var group: String?

    public init(group: String? = nil) { self.group = group }

    public func findings(in context: FindingContext) throws -> [Finding] {
        let since = context.since.map { TimestampText.format(microseconds: Int64($0.timeIntervalSince1970 * 1_000_000)) }
        let report: FairnessReport
        do {
            report = try FairnessReport.make(context.connection, group: group, since: since, auditClassifiers: false)
        } catch let error as FairnessReportError {
            PatternFindingSource.note("fairness: \(error.description); no fairness findings")
            return []
        }
        let key = report.grouping.name
        var out: [Finding] = []
        for outcome in report.outcomes {
            guard let d = outcome.comparison else { continue }
            let metric = Self.metric[outcome.name] ?? outcome.name
            let referenceLevel = d.groups.first { $0.group == d.reference }
            for c in d.contrasts {
                let a = c.adjusted
                guard a.pValue.isFinite, a.estimate.isFinite, a.confLow.isFinite, a.confHigh.isFinite else { continue }
                let level = d.groups.first { $0.group == c.group }
                let n = level?.count ?? 0
                let scale: String, impact: Double
                switch d.kind {
                case .binary:
                    scale = "log odds ratio"
                    // outcomes changed: n × |p_ref − expit(logit(p_ref) + β)|
                    let p = min(max(referenceLevel?.estimate ?? 0.5, 1e-6), 1 - 1e-6)
                    let shifted = 1 / (1 + Foundation.exp(-(Foundation.log(p / (1 - p)) + a.estimate)))
                    impact = Double(n) * abs(shifted - p)
                case .continuous:
                    scale = outcome.name == "satisfaction" ? "rating points" : outcome.name == "latency" ? "ms" : "units"
                    let reference = abs(referenceLevel?.estimate ?? 0)
                    // rating points count a quarter each; latency by its relative change
                    impact = Double(n) * (outcome.name == "satisfaction" ? abs(a.estimate) / 4
                                          : reference > 0 ? min(1, abs(a.estimate) / reference) : 0)
                }
                let covariates = d.covariates.map { $0.name }
                out.append(Finding(
                    source: name, kind: "fairness_disparity", category: .fairness, subject: [key: c.group], metric: metric,
                    effect: EffectEstimate(estimate: a.estimate, confLow: a.confLow, confHigh: a.confHigh, scale: scale),
                    pValue: a.pValue, rawEffect: c.raw.estimate, rawPValue: c.raw.pValue.isFinite ? c.raw.pValue : nil,
                    volume: n, impact: impact,
                    subjectText: "developers with \(key) \(c.group)", comparisonText: "\(key) \(c.reference) (the largest group)",
                    actionIfHigher: "The assistant serves \(key) \(c.group) better on \(outcome.description) even for the same kind of work; find what the others lack.",
                    actionIfLower: "The assistant serves \(key) \(c.group) worse on \(outcome.description) even for the same kind of work; look at their sessions and fix the gap.",
                    method: (d.kind == .binary ? "logistic" : "linear") + " regression on the group and \(covariates.joined(separator: ", ")), "
                        + "standard errors clustered by developer (\(d.clusterCount) clusters); raw: the group alone",
                    adjustedFor: covariates,
                    numbers: ["rate_or_mean": level?.estimate ?? .nan, "reference_rate_or_mean": referenceLevel?.estimate ?? .nan,
                              "raw_difference": c.rawDifference, "n": Double(n), "reference_n": Double(referenceLevel?.count ?? 0)]
                        .filter { $0.value.isFinite }))
            }
        }
        return out
    }

    /// Fairness outcome names in the insight metrics' terms.
    static let metric = ["success": "interaction_success", "acceptance": "code_acceptance", "satisfaction": "satisfaction",
                         "latency": "response_time_ms", "learning_applied": "learning_applied",
                         "learning_applied_successfully": "learning_applied_successfully"]
}
