/// Which frequent itemsets to report.
public enum ItemsetTarget: String, Sendable, CaseIterable {
    /// Every frequent itemset.
    case all
    /// Frequent itemsets with no superset of the same count (they keep every count exactly).
    case closed
    /// Frequent itemsets with no frequent superset (the border of the frequent sets).
    case maximal
}

extension FrequentItemsets {
    /// The closed or maximal itemsets among these, which must be *all* frequent itemsets (mined
    /// without a length limit), or the answer is wrong.
    ///
    /// Only supersets with one more item need checking: if any frequent superset Y ⊋ X exists,
    /// X ∪ {y} for y ∈ Y \ X is frequent too (counts fall as sets grow), and if count(Y) =
    /// count(X) then count(X ∪ {y}) = count(X) as well. So each itemset of length k + 1 marks
    /// its k + 1 subsets of length k: not maximal, and not closed when the counts are equal.
    /// Cost: one hash lookup per (itemset, item) pair.
    public func selecting(_ target: ItemsetTarget) -> FrequentItemsets {
        guard target != .all else { return self }
        var position: [[Int32]: Int] = [:]
        position.reserveCapacity(count)
        for i in 0 ..< count { position[Array(self[i])] = i }
        var hasFrequentSuperset = Array(repeating: false, count: count)
        var hasEqualSuperset = Array(repeating: false, count: count)
        var subset: [Int32] = []
        for i in 0 ..< count where length(i) >= 2 {
            let set = self[i]
            for skip in set.indices {
                subset.removeAll(keepingCapacity: true)
                for j in set.indices where j != skip { subset.append(set[j]) }
                guard let s = position[subset] else { continue }
                hasFrequentSuperset[s] = true
                if counts[s] == counts[i] { hasEqualSuperset[s] = true }
            }
        }
        switch target {
        case .all: return self
        case .closed: return filtered { !hasEqualSuperset[$0] }
        case .maximal: return filtered { !hasFrequentSuperset[$0] }
        }
    }
}
