import Analytics
import Foundation

/// Text and JSON renderings of training results.
enum TrainReport {
    static func evaluationLines(_ a: ModelArtifact) -> [String] {
        let e = a.evaluation
        if a.kind == .logistic {
            return ["  held out: AUC \(fmt(e.auc)) (baseline 0.5), log-loss \(fmt(e.logLoss)) (baseline \(fmt(e.baselineLogLoss))), " +
                    "Brier \(fmt(e.brier)) (baseline \(fmt(e.baselineBrier))), ECE \(fmt(e.ece)); base rate \(fmt(e.baselineRate))"]
        }
        return ["  held out: R² \(fmt(e.rSquared)) (baseline \(fmt(e.baselineRSquared))), RMSE \(fmt(e.rmse)) (baseline \(fmt(e.baselineRMSE))), " +
                "MAE \(fmt(e.mae)) (baseline \(fmt(e.baselineMAE)))"]
    }

    static func header(_ a: ModelArtifact) -> [String] {
        var lines = ["\(a.model) version \(a.version) (\(a.kind.rawValue)): \(a.summary)",
                     "  rows: \(a.rows.training) training from \(a.window.trainStart), \(a.rows.evaluation) held out \(a.window.evaluationStart) – \(a.window.evaluationEnd)" +
                     " (\(a.rows.responseMissing) without a response, \(a.rows.trainingIncomplete + a.rows.evaluationIncomplete) missing a kept feature, \(a.rows.evaluationUnseenLevel) held-out rows with an unseen level)",
                     "  standard errors: \(a.covarianceLabel)"]
        lines += evaluationLines(a)
        for d in a.encoding.dropped { lines.append("  dropped \(d.term): \(d.reason)") }
        return lines
    }

    static func text(_ o: TrainOutcome) -> String {
        (header(o.artifact) + ["  champion: \(o.decision.reason)", ""]).joined(separator: "\n")
    }

    static func json(_ o: TrainOutcome) -> [String: Any] {
        var j = artifactSummaryJSON(o.artifact)
        j["promoted"] = o.decision.promoted
        j["promotion_reason"] = o.decision.reason
        return j
    }

    static func artifactSummaryJSON(_ a: ModelArtifact) -> [String: Any] {
        var j: [String: Any] = ["model": a.model, "version": a.version, "kind": a.kind.rawValue, "covariance": a.covarianceLabel,
                                "rows": ["queried": a.rows.queried, "response_missing": a.rows.responseMissing, "training": a.rows.training,
                                         "training_incomplete": a.rows.trainingIncomplete, "evaluation": a.rows.evaluation,
                                         "evaluation_incomplete": a.rows.evaluationIncomplete, "evaluation_unseen_level": a.rows.evaluationUnseenLevel],
                                "window": ["train_start": a.window.trainStart, "evaluation_start": a.window.evaluationStart, "evaluation_end": a.window.evaluationEnd],
                                "dropped": a.encoding.dropped.map { ["term": $0.term, "reason": $0.reason] },
                                "terms": a.coefficients.map { ["term": $0.term, "estimate": $0.estimate, "std_error": $0.stdError, "statistic": $0.statistic,
                                                               "p_value": $0.pValue, "conf_low": $0.confLow, "conf_high": $0.confHigh] }]
        var e: [String: Any] = ["rows": a.evaluation.rows]
        for f in a.evaluation.figures {
            e[f.name] = f.value
            if let b = f.baseline { e["baseline_" + f.name] = b }
        }
        j["evaluation"] = e
        if let g = a.group { j["group"] = g }
        return j
    }

    static func groupsText(_ s: ModelSpec, by: String, _ groups: [GroupOutcome]) -> String {
        var lines = ["\(s.name) by \(by): \(groups.count) groups"]
        let fitted = groups.compactMap(\.artifact)
        let terms = Array(Set(fitted.flatMap { $0.coefficients.map(\.term) })).sorted { a, b in a == "(Intercept)" || (b != "(Intercept)" && a < b) }
        let names = groups.filter { $0.artifact != nil }.map(\.group)
        var table = TextTable(["term"] + names)
        for t in terms { table.append([t] + fitted.map { a in fmt(a.coefficients.first { $0.term == t }?.estimate) }) }
        let metric = s.kind == .logistic ? "log-loss" : "RMSE"
        table.append(["held-out \(metric)"] + fitted.map { fmt($0.primaryMetric.value) })
        table.append(["training rows"] + fitted.map { String($0.rows.training) })
        lines += table.lines
        for g in groups where g.artifact == nil { lines.append("  \(by) = \(g.group) (\(g.rows) rows): not fitted: \(g.reason ?? "")") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func groupsJSON(_ s: ModelSpec, by: String, _ groups: [GroupOutcome]) -> [String: Any] {
        ["model": s.name, "by": by, "groups": groups.map { g -> [String: Any] in
            var j: [String: Any] = ["group": g.group, "rows": g.rows]
            if let a = g.artifact { j["fit"] = artifactSummaryJSON(a) }
            if let r = g.reason { j["not_fitted"] = r }
            return j
        }]
    }
}
