/// The least support an itemset needs to be frequent: a fraction of the transactions or a count.
public enum MinimumSupport: Sendable, Equatable {
    /// Support ≥ s, i.e. count/N ≥ s as mlxtend compares it (so count ≥ ceil(s·N)); s in (0, 1].
    case fraction(Double)
    /// Count ≥ c, c ≥ 1.
    case count(Int)

    /// The least count for `transactionCount` transactions: the smallest c with c/N ≥ s, computed
    /// in the same floating-point division mlxtend uses, so 0.01·100,000 is 1,000 and not 1,001.
    public func minimumCount(transactionCount n: Int) throws -> Int {
        switch self {
        case .count(let c):
            guard c >= 1 else { throw NumericsError(.badArgument, "min count must be at least 1; got \(c)") }
            return c
        case .fraction(let s):
            guard s.isFinite, s > 0, s <= 1 else {
                throw NumericsError(.badArgument, "min support must be a fraction in (0, 1]; got \(s)")
            }
            guard n > 0 else { return 1 }
            var c = max(1, Int((s * Double(n)).rounded(.up)))
            while c > 1, Double(c - 1) / Double(n) >= s { c -= 1 }
            while Double(c) / Double(n) < s { c += 1 }
            return c
        }
    }
}

/// FP-Growth (Han, Pei & Yin 2000): every itemset whose count reaches the minimum, found by
/// recursive conditional FP-trees without candidate generation.
///
/// Items are ranked by descending count (ties by ascending id) and each transaction is inserted
/// in rank order; for each item, least frequent first, its prefix paths form a conditional
/// database whose tree is mined for the itemsets that end with it. A tree that is one path is
/// not mined recursively: every combination of its frequent nodes is frequent, with the count of
/// its deepest node. Counts are exact integers.
public struct FPGrowth: Sendable {
    public var minimumSupport: MinimumSupport
    /// Longest itemset to find (nil: no limit); pruning here saves the deeper trees.
    public var maxLength: Int?

    public init(minimumSupport: MinimumSupport, maxLength: Int? = nil) {
        self.minimumSupport = minimumSupport
        self.maxLength = maxLength
    }

    /// All frequent itemsets of `transactions` (the empty itemset is not reported).
    public func mine(_ transactions: TransactionSet) throws -> FrequentItemsets {
        let n = transactions.count
        let minCount = try minimumSupport.minimumCount(transactionCount: n)
        if let maxLength, maxLength < 1 { throw NumericsError(.badArgument, "max length must be at least 1; got \(maxLength)") }
        var result = FrequentItemsets(transactionCount: n, minimumCount: minCount)

        // Item counts, then ranks: most frequent first, ties by ascending id.
        var itemCounts: [Int32: Int] = [:]
        for item in transactions.items { itemCounts[item, default: 0] += 1 }
        let frequent = itemCounts.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard !frequent.isEmpty else { return result }
        let idOfRank = frequent.map(\.key)
        var rankOfId: [Int32: Int32] = [:]
        for (rank, id) in idOfRank.enumerated() { rankOfId[id] = Int32(rank) }

        var paths: [Int32] = [], offsets = [0], weights: [Int] = []
        paths.reserveCapacity(transactions.items.count)
        for t in 0 ..< n {
            let start = paths.count
            for id in transactions[t] { if let rank = rankOfId[id] { paths.append(rank) } }
            guard paths.count > start else { continue }
            paths[start...].sort()
            offsets.append(paths.count)
            weights.append(1)
        }
        let tree = FPTree(rankCount: idOfRank.count, paths: paths, offsets: offsets, weights: weights)
        var miner = Miner(minCount: minCount, maxLength: maxLength ?? Int.max, idOfRank: idOfRank)
        miner.mine(tree)
        result.append(contentsOf: miner.found, offsets: miner.foundOffsets, counts: miner.foundCounts)
        return result
    }
}

/// The recursion of ``FPGrowth``, collecting itemsets (as item ids) into flat arrays.
private struct Miner {
    let minCount: Int
    let maxLength: Int
    let idOfRank: [Int32]
    var suffix: [Int32] = []
    var found: [Int32] = []
    var foundOffsets: [Int] = [0]
    var foundCounts: [Int] = []
    /// The items of the single path being combined, root first.
    var singlePathItems: [Int32] = []

    init(minCount: Int, maxLength: Int, idOfRank: [Int32]) {
        self.minCount = minCount
        self.maxLength = maxLength
        self.idOfRank = idOfRank
    }

    mutating func emit(_ count: Int) {
        let start = found.count
        for rank in suffix { found.append(idOfRank[Int(rank)]) }
        found[start...].sort()
        foundOffsets.append(found.count)
        foundCounts.append(count)
    }

    mutating func mine(_ tree: FPTree) {
        if tree.isSinglePath { return mineSinglePath(tree) }
        var rawPaths: [Int32] = [], rawOffsets = [0], rawWeights: [Int] = []
        var conditionalSupport = Array(repeating: 0, count: tree.rankCount)
        for rank in stride(from: tree.rankCount - 1, through: 0, by: -1) where tree.support[rank] >= minCount {
            suffix.append(Int32(rank))
            emit(tree.support[rank])
            if suffix.count < maxLength {
                // The conditional pattern base of `rank`: each of its nodes' prefix path, weighted.
                collectPatternBase(of: rank, in: tree, support: &conditionalSupport,
                                   rawPaths: &rawPaths, rawOffsets: &rawOffsets, rawWeights: &rawWeights)
                // Keep the items frequent in this base, in ascending rank order.
                var paths: [Int32] = [], offsets = [0], weights: [Int] = []
                paths.reserveCapacity(rawPaths.count)
                offsets.reserveCapacity(rawWeights.count + 1)
                weights.reserveCapacity(rawWeights.count)
                conditionalSupport.withUnsafeBufferPointer { support in
                    rawPaths.withUnsafeBufferPointer { raw in
                        for p in 0 ..< rawWeights.count {
                            let start = paths.count
                            var i = rawOffsets[p + 1] - 1
                            let first = rawOffsets[p]
                            while i >= first {
                                let r = raw[i]
                                if support[Int(r)] >= minCount { paths.append(r) }
                                i -= 1
                            }
                            if paths.count > start {
                                offsets.append(paths.count)
                                weights.append(rawWeights[p])
                            }
                        }
                    }
                }
                if !weights.isEmpty {
                    mine(FPTree(rankCount: rank, paths: paths, offsets: offsets, weights: weights))
                }
            }
            suffix.removeLast()
        }
    }

    /// The conditional pattern base of `rank`: each of its nodes' prefix path (leaf to root),
    /// weighted by the node's count, into the reused raw buffers; `support` gets each rank's
    /// total weight in the base. Reads the tree through unchecked pointers: this walk is the
    /// hottest loop of the miner.
    private func collectPatternBase(of rank: Int, in tree: FPTree, support conditionalSupport: inout [Int],
                                    rawPaths: inout [Int32], rawOffsets: inout [Int], rawWeights: inout [Int]) {
        rawPaths.removeAll(keepingCapacity: true)
        rawOffsets.removeAll(keepingCapacity: true); rawOffsets.append(0)
        rawWeights.removeAll(keepingCapacity: true)
        conditionalSupport.withUnsafeMutableBufferPointer { support in
            for i in 0 ..< rank { support[i] = 0 }
            tree.count.withUnsafeBufferPointer { count in
                tree.parent.withUnsafeBufferPointer { parent in
                    tree.item.withUnsafeBufferPointer { item in
                        tree.next.withUnsafeBufferPointer { next in
                            var node = tree.head[rank]
                            while node >= 0 {
                                let weight = count[Int(node)]
                                var up = parent[Int(node)]
                                while up > 0 {
                                    let r = item[Int(up)]
                                    rawPaths.append(r)
                                    support[Int(r)] += weight
                                    up = parent[Int(up)]
                                }
                                rawOffsets.append(rawPaths.count)
                                rawWeights.append(weight)
                                node = next[Int(node)]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every combination of the path's frequent nodes; counts fall along the path, so a
    /// combination's count is its deepest node's.
    private mutating func mineSinglePath(_ tree: FPTree) {
        var nodes: [Int] = []
        var node = 1
        while node < tree.item.count, tree.count[node] >= minCount {
            nodes.append(node)
            node += 1
        }
        singlePathItems = nodes.map { tree.item[$0] }
        for deepest in nodes.indices where suffix.count < maxLength {
            suffix.append(tree.item[nodes[deepest]])
            let count = tree.count[nodes[deepest]]
            emit(count)
            combine(below: deepest, count: count)
            suffix.removeLast()
        }
    }

    /// Emits suffix ∪ S for every non-empty S ⊆ the path's nodes above `below`, all with `count`
    /// (the count of the deepest node already in the suffix). Nodes are 1 … n on a single path.
    private mutating func combine(below: Int, count: Int) {
        guard suffix.count < maxLength else { return }
        for shallower in 0 ..< below {
            suffix.append(singlePathItems[shallower])
            emit(count)
            combine(below: shallower, count: count)
            suffix.removeLast()
        }
    }
}
