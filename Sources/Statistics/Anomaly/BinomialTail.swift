import Foundation

/// Exact binomial tail probabilities, through the regularized incomplete beta function:
/// P(X ≥ k) = I_p(k, n−k+1) and P(X ≤ k) = I_{1−p}(n−k, k+1) for X ~ Binomial(n, p).
public enum BinomialTail {
    /// P(X ≤ k).
    public static func lower(_ k: Double, trials n: Double, probability p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return Special.incompleteBeta(n - k, k + 1, x: 1 - p, y: p).lower
    }

    /// P(X ≥ k).
    public static func upper(_ k: Double, trials n: Double, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return Special.incompleteBeta(k, n - k + 1, x: p, y: 1 - p).lower
    }

    /// min(1, 2·min(P(X ≤ k), P(X ≥ k))): the doubled smaller tail.
    public static func twoSided(_ k: Double, trials n: Double, probability p: Double) -> Double {
        min(1, 2 * min(lower(k, trials: n, probability: p), upper(k, trials: n, probability: p)))
    }
}
