import Foundation

/// A 2×2 table of counts: rows are "pattern present / absent", columns "outcome yes / no".
///
///              outcome   not
///     present     a       b
///     absent      c       d
public struct TwoByTwoTable: Sendable, Equatable {
    public var a: Int, b: Int, c: Int, d: Int

    public init(a: Int, b: Int, c: Int, d: Int) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    public var total: Int { a + b + c + d }
}

/// Fisher's exact test of independence in a 2×2 table (two-sided), computed from the
/// hypergeometric distribution of `a` given all four margins.
///
/// The two-sided p-value is R's (`fisher.test`) and scipy's definition: the sum of the
/// probabilities of every table with the same margins that is no more probable than the one
/// observed, with a relative tolerance of 1e-7 so that tables tied in probability but differing
/// in the last bits are counted. Probabilities are formed as `exp(log p − log p_max)` from
/// `lgamma`, so tables with N in the millions neither overflow nor lose the tail; the cost is one
/// pass over the support of `a` (at most min(row, column margin) + 1 terms). Exact for every
/// sample size, so no chi-squared approximation is needed anywhere.
public enum FisherExactTest {
    /// Two-sided p-value of `table`; 1 when a margin is zero (nothing can differ).
    public static func twoSidedPValue(_ table: TwoByTwoTable) throws -> Double {
        let (a, b, c, d) = (table.a, table.b, table.c, table.d)
        guard a >= 0, b >= 0, c >= 0, d >= 0 else {
            throw NumericsError(.badArgument, "a 2×2 table needs non-negative counts; got \(a), \(b), \(c), \(d)")
        }
        let row1 = a + b, col1 = a + c, n = a + b + c + d
        let low = max(0, row1 + col1 - n), high = min(row1, col1)
        guard high > low else { return 1 }
        let logProbabilities = (low ... high).map { logHypergeometric($0, row1: row1, col1: col1, n: n) }
        let observed = logProbabilities[a - low]
        let peak = logProbabilities.max() ?? observed
        let threshold = observed + log1p(1e-7)
        var sum = 0.0, total = 0.0
        for lp in logProbabilities {
            let p = exp(lp - peak)
            total += p
            if lp <= threshold { sum += p }
        }
        return min(1, sum / total)
    }

    /// log P(a = x) under the hypergeometric law with margins `row1`, `col1` and total `n`.
    static func logHypergeometric(_ x: Int, row1: Int, col1: Int, n: Int) -> Double {
        logChoose(col1, x) + logChoose(n - col1, row1 - x) - logChoose(n, row1)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }
}
