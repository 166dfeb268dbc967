import Foundation

/// A fairness audit of one binary classifier over groups: fairlearn's `MetricFrame` (`overall`,
/// `by_group`) with the disparities, score calibration per group, and seeded bootstrap
/// confidence intervals for every disparity.
public struct FairnessAudit: Sendable {
    /// Every row together.
    public let overall: GroupRates
    /// One entry per group, groups in code-point order of their names.
    public let byGroup: [GroupRates]
    public let disparities: Disparities
    /// Calibration of the score per group, when a score was given.
    public let calibration: ScoreCalibration?
    /// Bootstrap intervals of the disparities, when resamples were asked for.
    public let bootstrap: DisparityBootstrap?

    /// Audits `predictions` of `labels` (both 0/1, parallel to `groups`).
    /// - Parameters:
    ///   - scores: optional scores behind the predictions (a probability or any ordered score),
    ///     for the calibration table.
    ///   - resamples: bootstrap resamples (0 for none; at least 1,000 recommended).
    ///   - level: confidence level of the bootstrap intervals.
    ///   - seed: the bootstrap's seed: the same seed gives the same intervals.
    /// - Throws: ``NumericsError/Code/invalidData`` when the arrays differ in length, are empty,
    ///   or hold a label or prediction other than 0/1 or a non-finite score (naming the row).
    public static func audit(groups: [String], labels: [Double], predictions: [Double], scores: [Double]? = nil,
                             resamples: Int = 0, level: Double = 0.95, seed: UInt64 = 1) throws -> FairnessAudit {
        let n = groups.count
        guard n > 0 else { throw NumericsError(.invalidData, "a fairness audit needs at least one row") }
        guard labels.count == n, predictions.count == n, scores.map({ $0.count == n }) ?? true else {
            throw NumericsError(.invalidData, "groups, labels, predictions and scores must have equally many rows (got \(n), \(labels.count), \(predictions.count)\(scores.map { ", \($0.count)" } ?? ""))")
        }
        for i in 0..<n {
            guard labels[i] == 0 || labels[i] == 1 else { throw NumericsError(.invalidData, "row \(i + 1): label must be 0 or 1; got \(labels[i])") }
            guard predictions[i] == 0 || predictions[i] == 1 else {
                throw NumericsError(.invalidData, "row \(i + 1): prediction must be 0 or 1; got \(predictions[i])")
            }
            if let s = scores?[i], !s.isFinite { throw NumericsError(.invalidData, "row \(i + 1): score must be a finite number; got \(s)") }
        }
        guard resamples >= 0, level > 0, level < 1 else {
            throw NumericsError(.badArgument, "bootstrap needs resamples ≥ 0 and a level strictly between 0 and 1; got \(resamples) and \(level)")
        }
        let names = Array(Set(groups)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let code = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var members = [[Int]](repeating: [], count: names.count)
        for (i, g) in groups.enumerated() { members[code[g]!].append(i) }
        let y = labels.map { $0 == 1 }, p = predictions.map { $0 == 1 }
        let byGroup = names.indices.map { k in
            GroupRates.count(group: names[k], labels: members[k].lazy.map { y[$0] }, predictions: members[k].lazy.map { p[$0] })
        }
        let overall = GroupRates.count(group: "overall", labels: y, predictions: p)
        let calibration = try scores.map { try ScoreCalibration(groups: names, members: members, scores: $0, labels: y) }
        let bootstrap = resamples > 0
            ? DisparityBootstrap.run(names: names, members: members, labels: y, predictions: p, resamples: resamples, level: level, seed: seed)
            : nil
        return FairnessAudit(overall: overall, byGroup: byGroup, disparities: Disparities(groups: byGroup),
                             calibration: calibration, bootstrap: bootstrap)
    }
}
