/// A set of unit indices 0..<count as bits: the cover of a pattern (which sessions contain it).
/// Intersections and counts are word-wise AND and popcount, so testing a pattern against
/// 100,000 sessions costs about 1,600 word operations.
public struct UnitBitset: Sendable, Equatable {
    public let count: Int
    public private(set) var words: [UInt64]

    /// An empty set over `count` units, or the full set when `full`.
    public init(count: Int, full: Bool = false) {
        self.count = count
        words = Array(repeating: full ? ~0 : 0, count: (count + 63) / 64)
        if full, count % 64 != 0, !words.isEmpty { words[words.count - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
    }

    /// The set of `indices` (each in 0..<count).
    public init<S: Sequence>(count: Int, indices: S) where S.Element == Int {
        self.init(count: count)
        for i in indices { insert(i) }
    }

    public mutating func insert(_ i: Int) { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
    public func contains(_ i: Int) -> Bool { words[i >> 6] & (UInt64(1) << UInt64(i & 63)) != 0 }

    /// The number of members.
    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public func intersection(_ other: UnitBitset) -> UnitBitset {
        var out = self
        for i in words.indices { out.words[i] &= other.words[i] }
        return out
    }

    /// |self ∩ other| without building the intersection.
    public func intersectionCount(_ other: UnitBitset) -> Int {
        var total = 0
        for i in words.indices { total += (words[i] & other.words[i]).nonzeroBitCount }
        return total
    }
}
