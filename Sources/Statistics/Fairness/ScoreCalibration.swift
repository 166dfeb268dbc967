import Foundation

/// Calibration of a score within each group: per score bin, how many rows, their mean score and
/// the observed rate of the outcome. A calibrated score has the same observed rate in a bin for
/// every group ("sufficiency"); the classic COMPAS reading compares recidivism by decile score
/// across races.
///
/// Bins: scores all in [0, 1] are probabilities, binned into ten equal-width bins (the last
/// includes 1); otherwise scores with at most 20 distinct values get one bin per value (a decile
/// score 1…10); otherwise the pooled scores' deciles (type-7 quantiles) are the bin edges.
public struct ScoreCalibration: Sendable {
    /// One bin of one group.
    public struct Bin: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
        public let count: Int
        public let meanScore: Double
        public let observedRate: Double
    }
    /// How the bins were made: `probability`, `distinct` or `deciles`.
    public let binning: String
    /// The bin edges (bins are [edge_k, edge_{k+1}), the last closed; for `distinct`, lower == upper).
    public let groups: [(group: String, bins: [Bin])]

    init(groups names: [String], members: [[Int]], scores: [Double], labels: [Bool]) throws {
        let edges: [(Double, Double)]
        let locate: (Double) -> Int
        let distinct = Array(Set(scores)).sorted()
        if scores.allSatisfy({ $0 >= 0 && $0 <= 1 }) {
            binning = "probability"
            edges = (0..<10).map { (Double($0) / 10, Double($0 + 1) / 10) }
            locate = { min(Int($0 * 10), 9) }
        } else if distinct.count <= 20 {
            binning = "distinct"
            edges = distinct.map { ($0, $0) }
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            locate = { index[$0] ?? 0 }
        } else {
            binning = "deciles"
            let sorted = scores.sorted()
            let cuts = (0...10).map { DisparityBootstrap.quantile(sorted, Double($0) / 10) }
            edges = (0..<10).map { (cuts[$0], cuts[$0 + 1]) }
            locate = { s in
                // the last bin whose lower edge is ≤ s (bins with equal edges stay empty)
                var k = 0
                while k + 1 < 10, cuts[k + 1] <= s { k += 1 }
                return k
            }
        }
        groups = names.indices.map { g in
            var count = [Int](repeating: 0, count: edges.count)
            var sumScore = [Double](repeating: 0, count: edges.count), positives = [Int](repeating: 0, count: edges.count)
            for i in members[g] {
                let b = locate(scores[i])
                count[b] += 1
                sumScore[b] += scores[i]
                if labels[i] { positives[b] += 1 }
            }
            return (names[g], edges.indices.map { b in
                Bin(lower: edges[b].0, upper: edges[b].1, count: count[b],
                    meanScore: count[b] == 0 ? .nan : sumScore[b] / Double(count[b]),
                    observedRate: GroupRates.ratio(positives[b], count[b]))
            })
        }
    }
}
