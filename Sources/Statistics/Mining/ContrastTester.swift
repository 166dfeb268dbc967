/// Whether an outcome's rate differs between the units a pattern covers and the rest.
public struct ContrastStatistics: Sendable, Equatable {
    /// Units with the pattern, and how many of them had the outcome.
    public var unitsWith: Int, positivesWith: Int
    /// Units without the pattern, and how many of them had the outcome.
    public var unitsWithout: Int, positivesWithout: Int
    /// Rate with − rate without, and its Newcombe hybrid-score interval.
    public var difference: Double, differenceLow: Double, differenceHigh: Double
    /// log odds ratio (with vs without) and its Woolf interval.
    public var logOddsRatio: Double, logOddsRatioLow: Double, logOddsRatioHigh: Double
    /// Two-sided p-value (Fisher's exact test; for a pattern with generalisations, the largest of
    /// its tests: see ``ContrastTester``).
    public var pValue: Double
    /// p-value of the pattern-vs-rest test alone.
    public var pValueVersusRest: Double

    public var rateWith: Double { Double(positivesWith) / Double(max(unitsWith, 1)) }
    public var rateWithout: Double { Double(positivesWithout) / Double(max(unitsWithout, 1)) }
}

/// Tests patterns for a binary outcome over a fixed set of units (sessions, generations).
///
/// A pattern is given by its cover (the units containing it). The base test is Fisher's exact
/// test of the 2×2 table pattern present/absent × outcome yes/no; the effect is the difference
/// of rates with Newcombe's interval and the log odds ratio with Woolf's.
///
/// A pattern with generalisations (an itemset's subsets one item smaller; a sequence's
/// subsequences one call shorter) must also be *productive* (Webb 2007): within the units that
/// contain each generalisation G, the ones that contain the full pattern must differ from the
/// ones that do not. Its p-value is the largest of all these tests and the pattern-vs-rest test:
/// an intersection–union test, valid at the nominal level, which keeps {diagnostics, run_tests}
/// from being reported merely because run_tests alone matters.
public struct ContrastTester: Sendable {
    public let outcome: UnitBitset
    public let level: Double
    /// Smallest number of units needed on each side of a comparison.
    public let minimumGroup: Int

    public init(outcome: UnitBitset, level: Double = 0.95, minimumGroup: Int = 5) {
        self.outcome = outcome
        self.level = level
        self.minimumGroup = minimumGroup
    }

    /// The test of `cover` against the rest, made productive against `generalisations`; nil when
    /// either side has fewer than `minimumGroup` units (nothing can be concluded, and the test is
    /// not counted).
    public func test(cover: UnitBitset, generalisations: [UnitBitset] = []) throws -> ContrastStatistics? {
        let n = cover.count
        let with = cover.cardinality
        let without = n - with
        guard with >= minimumGroup, without >= minimumGroup else { return nil }
        let positives = outcome.cardinality
        let positivesWith = cover.intersectionCount(outcome)
        let positivesWithout = positives - positivesWith
        let table = TwoByTwoTable(a: positivesWith, b: with - positivesWith, c: positivesWithout, d: without - positivesWithout)
        let pRest = try FisherExactTest.twoSidedPValue(table)
        var p = pRest
        for g in generalisations {
            // within G: units with the full pattern (cover ⊆ G) versus G's other units
            let gUnits = g.cardinality
            let gPositives = g.intersectionCount(outcome)
            let rest = gUnits - with, restPositives = gPositives - positivesWith
            guard rest >= 1 else { p = 1; break }
            let sub = TwoByTwoTable(a: positivesWith, b: with - positivesWith, c: restPositives, d: rest - restPositives)
            p = max(p, try FisherExactTest.twoSidedPValue(sub))
        }
        let diff = try ProportionIntervals.newcombeDifference(successes1: positivesWith, trials1: with,
                                                              successes2: positivesWithout, trials2: without, level: level)
        let or = try ProportionIntervals.logOddsRatio(table, level: level)
        return ContrastStatistics(unitsWith: with, positivesWith: positivesWith, unitsWithout: without,
                                  positivesWithout: positivesWithout, difference: diff.estimate, differenceLow: diff.low,
                                  differenceHigh: diff.high, logOddsRatio: or.estimate, logOddsRatioLow: or.low,
                                  logOddsRatioHigh: or.high, pValue: p, pValueVersusRest: pRest)
    }
}
