import Foundation

/// Confidence intervals for binomial proportions and for the difference of two.
public enum ProportionIntervals {
    /// Wilson's score interval for `successes` out of `trials` at `level` (e.g. 0.95):
    /// centre (x + z²/2)/(n + z²), half-width z/(n + z²)·√(x(n − x)/n + z²/4). It stays inside
    /// [0, 1] and keeps near-nominal coverage for small n and rates near 0 or 1, unlike the Wald
    /// interval. For n = 0 it is [0, 1].
    public static func wilson(successes x: Int, trials n: Int, level: Double = 0.95) throws -> (low: Double, high: Double) {
        guard n >= 0, x >= 0, x <= n else {
            throw NumericsError(.badArgument, "a proportion needs 0 <= successes <= trials; got \(x) of \(n)")
        }
        let z = try criticalValue(level)
        guard n > 0 else { return (0, 1) }
        let nn = Double(n), xx = Double(x), z2 = z * z
        let centre = (xx + z2 / 2) / (nn + z2)
        let half = z / (nn + z2) * (xx * (nn - xx) / nn + z2 / 4).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }

    /// Newcombe's hybrid score interval (1998, method 10) for p₁ − p₂ from two independent
    /// binomials: with Wilson intervals (l₁, u₁) and (l₂, u₂),
    /// low = p₁ − p₂ − √((p₁ − l₁)² + (u₂ − p₂)²), high = p₁ − p₂ + √((u₁ − p₁)² + (p₂ − l₂)²).
    /// Newcombe's example 56/70 − 48/80 gives 0.2000 (0.0524, 0.3339).
    public static func newcombeDifference(successes1 x1: Int, trials1 n1: Int, successes2 x2: Int, trials2 n2: Int,
                                          level: Double = 0.95) throws -> (estimate: Double, low: Double, high: Double) {
        guard n1 > 0, n2 > 0 else {
            throw NumericsError(.badArgument, "a difference of proportions needs trials in both groups; got \(n1) and \(n2)")
        }
        let (l1, u1) = try wilson(successes: x1, trials: n1, level: level)
        let (l2, u2) = try wilson(successes: x2, trials: n2, level: level)
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let d = p1 - p2
        let low = d - ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let high = d + ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return (d, low, high)
    }

    /// The log odds ratio log(ad/bc) of a 2×2 table with Woolf's standard error
    /// √(1/a + 1/b + 1/c + 1/d); when a cell is zero, ½ is added to every cell (Haldane–Anscombe)
    /// so both stay finite.
    public static func logOddsRatio(_ t: TwoByTwoTable, level: Double = 0.95) throws -> (estimate: Double, standardError: Double, low: Double, high: Double) {
        let z = try criticalValue(level)
        let shift = (t.a == 0 || t.b == 0 || t.c == 0 || t.d == 0) ? 0.5 : 0
        let a = Double(t.a) + shift, b = Double(t.b) + shift, c = Double(t.c) + shift, d = Double(t.d) + shift
        let estimate = log(a) + log(d) - log(b) - log(c)
        let se = (1 / a + 1 / b + 1 / c + 1 / d).squareRoot()
        return (estimate, se, estimate - z * se, estimate + z * se)
    }

    /// The two-sided standard-normal critical value for a confidence `level` in (0, 1).
    static func criticalValue(_ level: Double) throws -> Double {
        guard level > 0, level < 1 else { throw NumericsError(.badArgument, "confidence level must be in (0, 1); got \(level)") }
        return Normal().quantile(0.5 + level / 2)
    }
}
