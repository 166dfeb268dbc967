/// An association rule X → Y between disjoint itemsets, with the measures analysts know
/// (mlxtend's names): support = count(X ∪ Y)/N, confidence = count(X ∪ Y)/count(X),
/// lift = confidence / (count(Y)/N).
public struct AssociationRule: Sendable, Equatable {
    public var antecedent: [Int32]
    public var consequent: [Int32]
    /// count(X ∪ Y).
    public var count: Int
    public var support: Double
    public var antecedentSupport: Double
    public var consequentSupport: Double
    public var confidence: Double
    public var lift: Double
}

extension FrequentItemsets {
    /// The longest itemset rules are generated from: each itemset of length k gives up to
    /// 2^k − 2 rules.
    public static let maxRuleItemsetLength = 24

    /// Every rule X → Y with X ∪ Y one of these itemsets, X and Y non-empty, and confidence ≥
    /// `minConfidence`. Every subset of a frequent itemset is frequent, so these must be all
    /// frequent itemsets up to some length (as ``FPGrowth`` returns them, with no minimum
    /// length), for the counts of X and Y to be known.
    public func associationRules(minConfidence: Double) throws -> [AssociationRule] {
        guard minConfidence.isFinite, minConfidence >= 0, minConfidence <= 1 else {
            throw NumericsError(.badArgument, "min confidence must be in [0, 1]; got \(minConfidence)")
        }
        let index = countIndex()
        let n = Double(max(transactionCount, 1))
        var rules: [AssociationRule] = []
        for i in 0 ..< count where length(i) >= 2 {
            let set = Array(self[i])
            guard set.count <= Self.maxRuleItemsetLength else {
                throw NumericsError(.badArgument, "rules from an itemset of \(set.count) items would number 2^\(set.count); limit the itemset length (at most \(Self.maxRuleItemsetLength))")
            }
            let whole = counts[i]
            for mask in 1 ..< (1 << set.count) - 1 {
                var x: [Int32] = [], y: [Int32] = []
                for (bit, item) in set.enumerated() {
                    if mask & (1 << bit) != 0 { x.append(item) } else { y.append(item) }
                }
                guard let cx = index[x], let cy = index[y] else {
                    throw NumericsError(.invalidData, "itemset \(x) or \(y) is missing: rules need every frequent subset")
                }
                let confidence = Double(whole) / Double(cx)
                guard confidence >= minConfidence else { continue }
                let consequentSupport = Double(cy) / n
                rules.append(AssociationRule(antecedent: x, consequent: y, count: whole, support: Double(whole) / n,
                                             antecedentSupport: Double(cx) / n, consequentSupport: consequentSupport,
                                             confidence: confidence, lift: confidence / consequentSupport))
            }
        }
        return rules
    }
}
