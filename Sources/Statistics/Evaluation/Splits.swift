import Primitives

/// Deterministic, seeded partitions of row indices `0..<n` for hold-out evaluation.
///
/// The permutation is a Fisher–Yates shuffle driven by ``SplitMix64`` with an explicit bounded
/// draw (`next() % bound` with rejection), so the same seed gives the same split everywhere.
public enum Splits {
    /// A shuffled train/test split: `test` has `round(n·testFraction)` rows, `train` the rest;
    /// both sorted ascending, disjoint, and together covering `0..<n`.
    public static func trainTest(count n: Int, testFraction: Double, seed: UInt64) throws -> (train: [Int], test: [Int]) {
        guard n >= 2, testFraction > 0, testFraction < 1 else {
            throw NumericsError(.badArgument, "train/test split needs n ≥ 2 and 0 < testFraction < 1 (got n = \(n), \(testFraction))")
        }
        let testCount = min(max(Int((Double(n) * testFraction).rounded()), 1), n - 1)
        let order = permutation(n, seed: seed)
        return (Array(order[testCount...]).sorted(), Array(order[..<testCount]).sorted())
    }

    /// `k` folds of a shuffled permutation, sizes differing by at most one (the first `n mod k`
    /// folds get the extra row). Fold `i`'s test set is `folds[i].test`; its train set is the rest.
    public static func kFold(count n: Int, folds k: Int, seed: UInt64) throws -> [(train: [Int], test: [Int])] {
        guard k >= 2, n >= k else {
            throw NumericsError(.badArgument, "k-fold split needs 2 ≤ k ≤ n (got k = \(k), n = \(n))")
        }
        let order = permutation(n, seed: seed)
        var result: [(train: [Int], test: [Int])] = []
        var start = 0
        for i in 0..<k {
            let size = n / k + (i < n % k ? 1 : 0)
            let test = Array(order[start..<(start + size)]).sorted()
            let train = (Array(order[..<start]) + Array(order[(start + size)...])).sorted()
            result.append((train, test))
            start += size
        }
        return result
    }

    /// The seeded Fisher–Yates permutation of `0..<n`.
    public static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var a = Array(0..<n)
        var i = n - 1
        while i > 0 {
            let j = Int(uniform(below: UInt64(i + 1), &rng))
            a.swapAt(i, j)
            i -= 1
        }
        return a
    }

    /// Unbiased `0..<bound` by rejection (Lemire-free, explicit so it never changes under us).
    static func uniform(below bound: UInt64, _ rng: inout SplitMix64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = rng.next()
            if r < limit { return r % bound }
        }
    }
}
