import Foundation

/// The confusion counts of a binary classifier within one group and the rates fairness metrics
/// compare (fairlearn's names): selection rate, TPR, FPR, FNR, PPV, base rate, accuracy.
///
/// Every rate is a ratio of integer counts, computed as one division of two exactly represented
/// integers, so it is the correctly rounded double of the exact fraction (what numpy and
/// fairlearn compute too). A rate whose denominator is 0 is NaN (written as null in JSON).
public struct GroupRates: Sendable, Equatable {
    public let group: String
    public let truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int

    public init(group: String, truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.group = group
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var positives: Int { truePositives + falseNegatives }
    public var negatives: Int { trueNegatives + falsePositives }
    public var selected: Int { truePositives + falsePositives }

    /// (TP + FP) / n: how often the classifier says yes.
    public var selectionRate: Double { Self.ratio(selected, count) }
    /// (TP + FN) / n: how often the outcome is yes.
    public var baseRate: Double { Self.ratio(positives, count) }
    /// TP / (TP + FN).
    public var truePositiveRate: Double { Self.ratio(truePositives, positives) }
    /// FP / (FP + TN).
    public var falsePositiveRate: Double { Self.ratio(falsePositives, negatives) }
    /// FN / (TP + FN).
    public var falseNegativeRate: Double { Self.ratio(falseNegatives, positives) }
    /// TP / (TP + FP) (precision).
    public var positivePredictiveValue: Double { Self.ratio(truePositives, selected) }
    /// (TP + TN) / n.
    public var accuracy: Double { Self.ratio(truePositives + trueNegatives, count) }

    static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }

    /// Counts of one group from parallel label and prediction flags.
    static func count(group: String, labels: some Sequence<Bool>, predictions: some Sequence<Bool>) -> GroupRates {
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (y, p) in zip(labels, predictions) {
            switch (p, y) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        return GroupRates(group: group, truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }
}
