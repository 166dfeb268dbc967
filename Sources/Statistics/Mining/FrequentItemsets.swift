/// Frequent itemsets with their counts, stored flat: itemset `i` is
/// `items[offsets[i] ..< offsets[i + 1]]` (ids ascending) with count `counts[i]`.
public struct FrequentItemsets: Sendable, Equatable {
    /// N, the number of transactions mined (support = count / N).
    public let transactionCount: Int
    /// The least count an itemset needed.
    public let minimumCount: Int
    public private(set) var items: [Int32] = []
    public private(set) var offsets: [Int] = [0]
    public private(set) var counts: [Int] = []

    public init(transactionCount: Int, minimumCount: Int) {
        self.transactionCount = transactionCount
        self.minimumCount = minimumCount
    }

    mutating func append(contentsOf newItems: [Int32], offsets newOffsets: [Int], counts newCounts: [Int]) {
        let base = items.count
        items.append(contentsOf: newItems)
        offsets.append(contentsOf: newOffsets.dropFirst().map { $0 + base })
        counts.append(contentsOf: newCounts)
    }

    /// The number of itemsets.
    public var count: Int { counts.count }

    /// The items of itemset `index`, ascending.
    public subscript(index: Int) -> ArraySlice<Int32> { items[offsets[index] ..< offsets[index + 1]] }

    /// The number of items in itemset `index`.
    public func length(_ index: Int) -> Int { offsets[index + 1] - offsets[index] }

    /// count / N of itemset `index`.
    public func support(_ index: Int) -> Double { Double(counts[index]) / Double(max(transactionCount, 1)) }

    /// How many itemsets have each length.
    public var countsByLength: [Int: Int] {
        var result: [Int: Int] = [:]
        for i in 0 ..< count { result[length(i), default: 0] += 1 }
        return result
    }

    /// The itemsets whose index passes `keep`, in their order.
    public func filtered(_ keep: (Int) -> Bool) -> FrequentItemsets {
        var out = FrequentItemsets(transactionCount: transactionCount, minimumCount: minimumCount)
        for i in 0 ..< count where keep(i) {
            out.items.append(contentsOf: self[i])
            out.offsets.append(out.items.count)
            out.counts.append(counts[i])
        }
        return out
    }

    /// Indices in report order: count descending, then length ascending, then ids
    /// lexicographically ascending (the tie order of the FIMI reference data).
    public func rankedIndices() -> [Int] {
        (0 ..< count).sorted { a, b in
            if counts[a] != counts[b] { return counts[a] > counts[b] }
            if length(a) != length(b) { return length(a) < length(b) }
            return self[a].lexicographicallyPrecedes(self[b])
        }
    }

    /// Itemset → count, for looking up subsets and supersets.
    func countIndex() -> [[Int32]: Int] {
        var index: [[Int32]: Int] = [:]
        index.reserveCapacity(count)
        for i in 0 ..< count { index[Array(self[i])] = counts[i] }
        return index
    }
}
