import Foundation

/// Counts of a binary classifier at one threshold, and the rates derived from them.
public struct ConfusionMatrix: Equatable, Sendable {
    public let truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int

    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    /// (TP + TN) / total.
    public var accuracy: Double { Double(truePositives + trueNegatives) / Double(total) }
    /// TP / (TP + FP); NaN when nothing is predicted positive.
    public var precision: Double {
        truePositives + falsePositives == 0 ? .nan : Double(truePositives) / Double(truePositives + falsePositives)
    }
    /// TP / (TP + FN) (sensitivity); NaN when there are no positives.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? .nan : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    /// TN / (TN + FP); NaN when there are no negatives.
    public var specificity: Double {
        trueNegatives + falsePositives == 0 ? .nan : Double(trueNegatives) / Double(trueNegatives + falsePositives)
    }
    /// Harmonic mean of precision and recall.
    public var f1: Double { 2 * precision * recall / (precision + recall) }
}

/// One bin of a calibration (reliability) table.
public struct CalibrationBin: Equatable, Sendable {
    /// The bin covers `[lower, upper)`; the last bin also includes 1.
    public let lower: Double, upper: Double
    public let count: Int
    /// Mean predicted probability in the bin (NaN when empty).
    public let meanPredicted: Double
    /// Fraction of positives in the bin (NaN when empty).
    public let observedRate: Double
}

/// Evaluation of probabilistic binary classifiers. Labels are 0 or 1; predictions are
/// probabilities of label 1 (scores for `rocAUC`). Every function checks that the two arrays
/// have the same non-zero length and throws ``NumericsError/Code-swift.struct/invalidData`` otherwise.
public enum ClassificationMetrics {
    /// Area under the ROC curve, computed exactly as the Mann–Whitney statistic
    /// `U / (n₁·n₀)` from mid-ranks, so a tied positive/negative pair counts one half.
    /// O(n log n). Throws when either class is absent.
    public static func rocAUC(scores: [Double], labels: [Double]) throws -> Double {
        try check(scores, labels)
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPositives = 0.0
        var positives = 0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j + 2) / 2  // ranks are 1-based
            for k in i...j where labels[order[k]] == 1 {
                rankSumPositives += midRank
                positives += 1
            }
            i = j + 1
        }
        let negatives = order.count - positives
        guard positives > 0, negatives > 0 else {
            throw NumericsError(.invalidData, "ROC AUC needs both classes; got \(positives) positives and \(negatives) negatives")
        }
        let n1 = Double(positives)
        return (rankSumPositives - n1 * (n1 + 1) / 2) / (n1 * Double(negatives))
    }

    /// Mean negative log-likelihood `−mean(y·log p + (1−y)·log(1−p))`. Probabilities are clipped
    /// to `[ε, 1−ε]` (default ε = 1e-15, as scikit-learn did) so a confident mistake costs
    /// `−log ε ≈ 34.5` instead of infinity.
    public static func logLoss(probabilities: [Double], labels: [Double], epsilon: Double = 1e-15) throws -> Double {
        try check(probabilities, labels)
        var total = 0.0
        for (p, y) in zip(probabilities, labels) {
            let q = min(max(p, epsilon), 1 - epsilon)
            total -= y == 1 ? log(q) : log1p(-q)
        }
        return total / Double(labels.count)
    }

    /// Mean squared difference between probability and label, `mean((p − y)²)`.
    public static func brierScore(probabilities: [Double], labels: [Double]) throws -> Double {
        try check(probabilities, labels)
        var total = 0.0
        for (p, y) in zip(probabilities, labels) { total += (p - y) * (p - y) }
        return total / Double(labels.count)
    }

    /// Calibration table over `bins` equal-width bins of `[0, 1]`.
    public static func calibrationTable(probabilities: [Double], labels: [Double], bins: Int = 10) throws -> [CalibrationBin] {
        try check(probabilities, labels)
        guard bins > 0 else { throw NumericsError(.badArgument, "calibration table needs at least one bin") }
        var count = [Int](repeating: 0, count: bins)
        var sumP = [Double](repeating: 0, count: bins), sumY = [Double](repeating: 0, count: bins)
        for (p, y) in zip(probabilities, labels) {
            guard p >= 0, p <= 1 else { throw NumericsError(.invalidData, "probability \(p) outside [0, 1]") }
            let b = min(Int(p * Double(bins)), bins - 1)
            count[b] += 1
            sumP[b] += p
            sumY[b] += y
        }
        return (0..<bins).map { b in
            CalibrationBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), count: count[b],
                           meanPredicted: count[b] == 0 ? .nan : sumP[b] / Double(count[b]),
                           observedRate: count[b] == 0 ? .nan : sumY[b] / Double(count[b]))
        }
    }

    /// Confusion matrix predicting 1 when `probability ≥ threshold`.
    public static func confusion(probabilities: [Double], labels: [Double], threshold: Double = 0.5) throws -> ConfusionMatrix {
        try check(probabilities, labels)
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (p, y) in zip(probabilities, labels) {
            switch (p >= threshold, y == 1) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        return ConfusionMatrix(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    static func check(_ predictions: [Double], _ labels: [Double]) throws {
        guard !labels.isEmpty, predictions.count == labels.count else {
            throw NumericsError(.invalidData, "need equally many predictions and labels (got \(predictions.count) and \(labels.count))")
        }
        if let bad = labels.first(where: { $0 != 0 && $0 != 1 }) {
            throw NumericsError(.invalidData, "labels must be 0 or 1; found \(bad)")
        }
        if let bad = predictions.first(where: { !$0.isFinite }) {
            throw NumericsError(.invalidData, "non-finite prediction \(bad)")
        }
    }
}

/// Evaluation of numeric predictions.
public enum RegressionMetrics {
    /// Root mean squared error `√mean((ŷ − y)²)`.
    public static func rmse(observed: [Double], predicted: [Double]) throws -> Double {
        try check(observed, predicted)
        var s = 0.0
        for (y, f) in zip(observed, predicted) { s += (f - y) * (f - y) }
        return sqrt(s / Double(observed.count))
    }

    /// Mean absolute error `mean|ŷ − y|`.
    public static func mae(observed: [Double], predicted: [Double]) throws -> Double {
        try check(observed, predicted)
        var s = 0.0
        for (y, f) in zip(observed, predicted) { s += abs(f - y) }
        return s / Double(observed.count)
    }

    /// Coefficient of determination `1 − Σ(y − ŷ)² / Σ(y − ȳ)²` (can be negative out of sample;
    /// NaN when `y` is constant).
    public static func rSquared(observed: [Double], predicted: [Double]) throws -> Double {
        try check(observed, predicted)
        let mean = observed.reduce(0, +) / Double(observed.count)
        var ssRes = 0.0, ssTot = 0.0
        for (y, f) in zip(observed, predicted) {
            ssRes += (y - f) * (y - f)
            ssTot += (y - mean) * (y - mean)
        }
        return ssTot == 0 ? .nan : 1 - ssRes / ssTot
    }

    static func check(_ observed: [Double], _ predicted: [Double]) throws {
        guard !observed.isEmpty, observed.count == predicted.count else {
            throw NumericsError(.invalidData, "need equally many observations and predictions (got \(observed.count) and \(predicted.count))")
        }
        if observed.contains(where: { !$0.isFinite }) || predicted.contains(where: { !$0.isFinite }) {
            throw NumericsError(.invalidData, "observations and predictions must be finite")
        }
    }
}
