import Foundation

/// Confidence intervals for a binomial proportion.
public enum ProportionInterval {
    /// Wilson's score interval (1927) for `successes` of `trials` at `level`: the interval of p
    /// whose score test does not reject, `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
    /// It shrinks small samples toward 1/2 and stays inside [0, 1]. NaN for no trials.
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) -> (lower: Double, upper: Double) {
        guard trials > 0 else { return (.nan, .nan) }
        let n = Double(trials), p = Double(successes) / n
        let z = Normal.standardQuantile(0.5 + level / 2), z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }
}
