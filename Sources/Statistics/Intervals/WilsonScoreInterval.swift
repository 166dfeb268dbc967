import Foundation

/// The Wilson score interval for a binomial proportion (Wilson 1927; Agresti & Coull 1998) as
/// a value that keeps its counts and level, for rankings and reports; the bounds come from
/// ``ProportionIntervals/wilson(successes:trials:level:)``.
///
/// Unlike the Wald interval it never leaves [0, 1] and keeps near-nominal coverage for small
/// `n` and rates near 0 or 1, so a rate seen twice gets a wide interval and cannot top a ranking
/// by its lower bound. Same formula as the `tool_effectiveness_ranking` view (migration 016),
/// there with z fixed at 1.959964.
public struct WilsonScoreInterval: Sendable, Equatable {
    /// Successes and trials the interval was computed from.
    public let successes: Int, trials: Int
    /// The confidence level, e.g. 0.95.
    public let level: Double
    /// Bounds of the interval, within [0, 1]; NaN when there were no trials.
    public let lower: Double, upper: Double

    /// The observed rate `successes / trials` (NaN with no trials).
    public var rate: Double { trials > 0 ? Double(successes) / Double(trials) : .nan }

    /// - Precondition: `0 <= successes <= trials` and `0 < level < 1` (anything else gives NaN bounds).
    public init(successes: Int, trials: Int, level: Double = 0.95) {
        self.successes = successes
        self.trials = trials
        self.level = level
        guard trials > 0, successes >= 0, successes <= trials, level > 0, level < 1 else {
            lower = .nan; upper = .nan; return
        }
        // the formula lives once, in ProportionIntervals.wilson
        let bounds = (try? ProportionIntervals.wilson(successes: successes, trials: trials, level: level)) ?? (.nan, .nan)
        lower = bounds.0
        upper = bounds.1
    }
}
