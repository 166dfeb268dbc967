import Foundation

/// Between-group disparities of a classifier, as fairlearn defines them.
///
/// - demographic-parity difference `max_g SR_g − min_g SR_g` and ratio `min_g SR_g / max_g SR_g`
///   (SR the selection rate);
/// - equalized-odds difference `max(max_g TPR_g − min_g TPR_g, max_g FPR_g − min_g FPR_g)`: the
///   larger of |ΔTPR| and |ΔFPR| over the most different pair of groups, fairlearn's
///   `equalized_odds_difference(agg="worst_case")`; the ratio is `min(min TPR/max TPR,
///   min FPR/max FPR)`.
///
/// Groups where a rate is undefined (no positives for TPR, no negatives for FPR) are left out of
/// that rate's spread; a spread with fewer than two defined groups, or a ratio whose maximum is
/// 0, is NaN.
public struct Disparities: Sendable, Equatable {
    public let demographicParityDifference: Double
    public let demographicParityRatio: Double
    public let truePositiveRateDifference: Double
    public let falsePositiveRateDifference: Double
    public let equalizedOddsDifference: Double
    public let equalizedOddsRatio: Double

    public init(groups: [GroupRates]) {
        let sr = Self.spread(groups.map(\.selectionRate))
        let tpr = Self.spread(groups.map(\.truePositiveRate))
        let fpr = Self.spread(groups.map(\.falsePositiveRate))
        demographicParityDifference = sr.difference
        demographicParityRatio = sr.ratio
        truePositiveRateDifference = tpr.difference
        falsePositiveRateDifference = fpr.difference
        equalizedOddsDifference = tpr.difference.isNaN || fpr.difference.isNaN ? .nan : max(tpr.difference, fpr.difference)
        equalizedOddsRatio = tpr.ratio.isNaN || fpr.ratio.isNaN ? .nan : min(tpr.ratio, fpr.ratio)
    }

    /// Max − min and min / max of the defined values.
    static func spread(_ values: [Double]) -> (difference: Double, ratio: Double) {
        let defined = values.filter { !$0.isNaN }
        guard defined.count >= 2, let lo = defined.min(), let hi = defined.max() else { return (.nan, .nan) }
        return (hi - lo, hi == 0 ? .nan : lo / hi)
    }

    /// The six measures by their report names, in a fixed order.
    public var named: [(name: String, value: Double)] {
        [("demographic_parity_difference", demographicParityDifference),
         ("demographic_parity_ratio", demographicParityRatio),
         ("tpr_difference", truePositiveRateDifference),
         ("fpr_difference", falsePositiveRateDifference),
         ("equalized_odds_difference", equalizedOddsDifference),
         ("equalized_odds_ratio", equalizedOddsRatio)]
    }
}
