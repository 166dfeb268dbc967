import Foundation
import Primitives

/// Seeded, group-stratified bootstrap confidence intervals for the ``Disparities``.
///
/// Each resample draws, within every group separately, as many rows as the group has, with
/// replacement (so group sizes stay fixed, as in a stratified design), recounts each group's
/// confusion matrix and recomputes all six disparities. Intervals are percentile intervals
/// (type-7 quantiles of the resampled values at (1 − level)/2 and (1 + level)/2). Row indices
/// are drawn by Lemire's multiply-high map of one 64-bit ``SeededGenerator`` output (bias below
/// n/2⁶⁴). A resample where a measure is undefined (a group without positives) is left out of
/// that measure's interval and counted in `undefined`.
public struct DisparityBootstrap: Sendable {
    /// One measure's interval.
    public struct Interval: Sendable, Equatable {
        public let name: String
        public let lower: Double
        public let upper: Double
        /// Standard deviation of the resampled values (the bootstrap standard error).
        public let standardError: Double
        /// Resamples in which the measure was undefined.
        public let undefined: Int
    }

    public let resamples: Int
    public let level: Double
    public let seed: UInt64
    /// In the order of ``Disparities/named``.
    public let intervals: [Interval]

    public func interval(_ name: String) -> Interval? { intervals.first { $0.name == name } }

    static func run(names: [String], members: [[Int]], labels: [Bool], predictions: [Bool],
                    resamples: Int, level: Double, seed: UInt64) -> DisparityBootstrap {
        var rng = SeededGenerator(seed: seed)
        // Cell of each row: 0 TP, 1 FP, 2 TN, 3 FN; resampling needs only these.
        let cells: [[UInt8]] = members.map { rows in
            rows.map { i in predictions[i] ? (labels[i] ? 0 : 1) : (labels[i] ? 3 : 2) }
        }
        var draws = [[Double]](repeating: [], count: 6)
        for _ in 0..<resamples {
            var groups: [GroupRates] = []
            for (k, groupCells) in cells.enumerated() {
                var c = (0, 0, 0, 0)
                let n = UInt64(groupCells.count)
                for _ in 0..<groupCells.count {
                    switch groupCells[Int(rng.next().multipliedFullWidth(by: n).high)] {
                    case 0: c.0 += 1
                    case 1: c.1 += 1
                    case 2: c.2 += 1
                    default: c.3 += 1
                    }
                }
                groups.append(GroupRates(group: names[k], truePositives: c.0, falsePositives: c.1, trueNegatives: c.2, falseNegatives: c.3))
            }
            for (m, value) in Disparities(groups: groups).named.enumerated() { draws[m].append(value.value) }
        }
        let template = Disparities(groups: []).named
        let intervals = draws.enumerated().map { m, values in
            let defined = values.filter { !$0.isNaN }.sorted()
            let undefined = values.count - defined.count
            guard defined.count >= 2 else {
                return Interval(name: template[m].name, lower: .nan, upper: .nan, standardError: .nan, undefined: undefined)
            }
            let mean = defined.reduce(0, +) / Double(defined.count)
            let sd = (defined.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(defined.count - 1)).squareRoot()
            return Interval(name: template[m].name, lower: quantile(defined, (1 - level) / 2), upper: quantile(defined, (1 + level) / 2),
                            standardError: sd, undefined: undefined)
        }
        return DisparityBootstrap(resamples: resamples, level: level, seed: seed, intervals: intervals)
    }

    /// Type-7 quantile (R's default) of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (position - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
